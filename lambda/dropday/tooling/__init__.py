"""Pure helpers behind the content team's `dropday` commands (validate, audio, schedule).

Nothing here is imported by the skill: these modules read audio files, run ffmpeg and talk to S3,
which the Lambda function never does.
"""
