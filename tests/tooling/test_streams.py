"""Episode streams for the content team: converted with `--long-form`, checked against AudioPlayer's
rules with file, line and fix, uploaded with their own content type, listed by drop day."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import boto3
import pytest
import yaml
from moto import mock_aws
from mutagen.mp3 import MP3

from dropday.content import line_finder, read_manifest
from dropday.tooling import publish
from dropday.tooling.convert import ConvertError, convert, ffmpeg_exe
from dropday.tooling.findings import Workspace
from dropday.tooling.streams import check_episodes, check_stream, episode_drops, episode_files, schedule_lines
from support import FIXTURES

CAMPAIGN_FILE = FIXTURES / "playback-campaign.yaml"
EPISODES = {  # path in the fixture campaign -> ffmpeg output options (a good stream of each kind)
    "track-by-track/01-doorway.m4a": ["-c:a", "aac", "-b:a", "64k"],
    "track-by-track/02-stairwell.mp3": ["-ac", "1", "-c:a", "libmp3lame", "-b:a", "32k", "-ar", "22050"],
    "track-by-track/03-lantern.aac": ["-c:a", "aac", "-b:a", "48k"],
    "track-by-track/04-skylight.mp3": ["-ac", "1", "-c:a", "libmp3lame", "-b:a", "24k", "-ar", "16000"],
    "interviews/tour.mp3": ["-ac", "1", "-c:a", "libmp3lame", "-b:a", "64k"],
    "interviews/studio.mp3": ["-ac", "1", "-c:a", "libmp3lame", "-b:a", "64k"],
}


def ffmpeg(*args: str) -> None:
    subprocess.run([ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y", *args], check=True)


def tone(out: Path, seconds: float, *options: str) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    ffmpeg("-f", "lavfi", "-i", f"sine=frequency=220:sample_rate=44100:duration={seconds}", *options, str(out))
    return out


@pytest.fixture(scope="module")
def streams(tmp_path_factory) -> Path:
    """A good stream file for every episode of the fixture campaign (3 s each), in one audio folder."""
    root = tmp_path_factory.mktemp("campaign")
    for path, options in EPISODES.items():
        tone(root / "audio" / "echo-hall" / path, 3, *options)
    shutil.copy(CAMPAIGN_FILE, root / "echo-hall.yaml")
    return root


def workspace(root: Path) -> Workspace:
    return Workspace(root, (root / "echo-hall.yaml",), None, root / "schema.json")


def findings_for(root: Path) -> list:
    text = (root / "echo-hall.yaml").read_text()
    return check_episodes(yaml.safe_load(text), workspace(root), "echo-hall.yaml", line_finder(text))


# -- checking episode files ---------------------------------------------------------------------------------


def test_mp3_and_aac_streams_of_any_stream_bit_rate_pass(streams):
    assert findings_for(streams) == []
    check = check_stream(streams / "audio/echo-hall/track-by-track/01-doorway.m4a", "01-doorway.m4a", "-")
    assert check.codec == "AAC" and 60 <= check.kbps <= 70 and 2.9 <= check.seconds <= 3.1
    check = check_stream(streams / "audio/echo-hall/track-by-track/04-skylight.mp3", "04-skylight.mp3", "-")
    assert (check.codec, check.kbps) == ("MP3", 24)


def test_an_episode_longer_than_240_seconds_is_fine(tmp_path):
    long = tone(tmp_path / "long.mp3", 245, "-ac", "1", "-c:a", "libmp3lame", "-b:a", "16k", "-ar", "16000")
    check = check_stream(long, "long.mp3", "-")
    assert check.ok and check.seconds > 240


def test_a_bit_rate_outside_16_to_384_kbps_is_reported_with_the_command_that_fixes_it(tmp_path):
    low = tone(tmp_path / "low.mp3", 2, "-ac", "1", "-c:a", "libmp3lame", "-b:a", "8k", "-ar", "8000")
    [problem] = check_stream(low, "low.mp3", "dropday audio convert --long-form low.mp3 --out .").problems
    assert problem.message == "low.mp3 is MP3 at 8 kbps; AudioPlayer streams MP3 or AAC at 16 to 384 kbps"
    assert problem.fix.startswith("re-encode it with `dropday audio convert --long-form low.mp3 --out .`")


def test_a_wav_named_mp3_and_aac_named_mp3_are_recognised_from_their_bytes(tmp_path):
    wav = tone(tmp_path / "take.wav", 1)
    renamed = shutil.copy(wav, tmp_path / "take.mp3")
    [problem] = check_stream(Path(renamed), "take.mp3", "-").problems
    assert problem.message == "take.mp3 is a WAV file; AudioPlayer streams MP3 or AAC at 16 to 384 kbps"
    aac = tone(tmp_path / "episode.m4a", 1, "-c:a", "aac", "-b:a", "64k")
    misnamed = shutil.copy(aac, tmp_path / "episode.mp3")
    [problem] = check_stream(Path(misnamed), "episode.mp3", "-").problems
    assert problem.message == "episode.mp3 holds AAC audio but is named .mp3, so it would be served as audio/mpeg"


def test_a_cut_off_or_missing_episode_is_reported(tmp_path):
    good = tone(tmp_path / "good.mp3", 3, "-ac", "1", "-c:a", "libmp3lame", "-b:a", "64k")
    cut = tmp_path / "cut.mp3"
    cut.write_bytes(good.read_bytes()[:len(good.read_bytes()) // 2 + 77])
    [problem] = check_stream(cut, "cut.mp3", "-").problems
    assert "is cut off" in problem.message
    [problem] = check_stream(tmp_path / "gone.mp3", "gone.mp3", "-").problems
    assert problem.message == "gone.mp3 does not exist" and "did you mean good.mp3?" in problem.fix


def test_validate_names_the_manifest_line_of_a_bad_episode_and_checks_each_file_once(streams, tmp_path):
    root = tmp_path / "campaign"
    shutil.copytree(streams, root)
    folder = root / "audio" / "echo-hall" / "track-by-track"
    shutil.copy(tone(tmp_path / "take.wav", 1), folder / "02-stairwell.mp3")       # a WAV, misnamed
    (folder / "03-lantern.aac").unlink()
    found = findings_for(root)
    text = (root / "echo-hall.yaml").read_text().splitlines()
    assert [(f.path, f.message.split(";")[0]) for f in found] == [
        ("sections[1].pieces[1].audio", f"{folder / '02-stairwell.mp3'} is a WAV file"),
        ("sections[1].pieces[2].audio", f"{folder / '03-lantern.aac'} does not exist"),
    ]
    assert "02-stairwell.mp3" in text[found[0].line - 1] and "03-lantern.aac" in text[found[1].line - 1]
    assert found[0].file == "echo-hall.yaml"
    assert "dropday audio convert --long-form" in found[0].fix


def test_episodes_are_left_out_of_the_ssml_clip_checks():
    data = yaml.safe_load(CAMPAIGN_FILE.read_text())
    files = dict(episode_files(data))
    assert set(files.values()) == set(EPISODES)
    assert "tips/june-tip.mp3" not in files.values()            # a tip stays an SSML clip


# -- converting a studio take ---------------------------------------------------------------------------------


def test_a_long_studio_take_becomes_an_episode_stream_at_tip_loudness(tmp_path):
    from test_audio_convert import loudness
    take = tone(tmp_path / "Track 3 - Lantern (commentary).wav", 250)
    done = convert(take, tmp_path / "out", ffmpeg_exe(), long_form=True)
    assert done.output.name == "track-3-lantern-commentary.mp3"
    info = MP3(done.output).info
    assert (info.bitrate, info.sample_rate, info.channels) == (64000, 44100, 1)
    assert 245 <= done.seconds <= 251
    assert check_stream(done.output, done.output.name, "-").ok
    assert abs(loudness(done.output) - -16.0) < 1.0


def test_without_long_form_the_same_take_is_refused_with_the_way_out(tmp_path):
    take = tone(tmp_path / "take.wav", 250)
    with pytest.raises(ConvertError, match="make it an episode of a long-form section with `--long-form`"):
        convert(take, tmp_path / "out", ffmpeg_exe())


# -- publishing -------------------------------------------------------------------------------------------------


def test_episodes_are_uploaded_like_clips_with_their_own_content_type(streams):
    manifest = read_manifest(CAMPAIGN_FILE)
    with mock_aws():
        s3 = boto3.client("s3", region_name="eu-west-1")
        s3.create_bucket(Bucket="audio", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
        (streams / "audio/echo-hall/tips").mkdir(exist_ok=True)
        tone(streams / "audio/echo-hall/tips/june-tip.mp3", 1, "-ac", "1", "-c:a", "libmp3lame", "-b:a", "48k",
             "-ar", "24000")
        uploads = publish.plan("echo-hall", streams / "audio" / "echo-hall", manifest.audio_paths)
        assert publish.upload_all(s3, "audio", uploads) == (len(manifest.audio_paths), 0)
        types = {u.path: s3.head_object(Bucket="audio", Key=u.key)["ContentType"] for u in uploads}
    assert types["track-by-track/01-doorway.m4a"] == "audio/mp4"
    assert types["track-by-track/03-lantern.aac"] == "audio/aac"
    assert types["track-by-track/02-stairwell.mp3"] == types["tips/june-tip.mp3"] == "audio/mpeg"
    keys = {u.path: u.key for u in uploads}
    assert keys["track-by-track/01-doorway.m4a"].startswith("echo-hall/track-by-track/01-doorway.")
    assert keys["track-by-track/01-doorway.m4a"].endswith(".m4a")


# -- the schedule -----------------------------------------------------------------------------------------------


def test_the_schedule_lists_each_episode_by_the_day_it_drops():
    manifest = read_manifest(CAMPAIGN_FILE)
    drops = episode_drops(manifest, date(2027, 2, 1), date(2027, 3, 21))
    assert [(d.day, d.episode.id) for d in drops][-1] == (date(2027, 2, 10), "tbt-04-skylight")
    assert all(d.day is None for d in drops[:-1])
    lines = schedule_lines(manifest, date(2027, 2, 1), date(2027, 3, 21))
    assert lines[-1] == '2027-02-10 Wed track-by-track/tbt-04-skylight (track 4) "Skylight"'
    assert 'from the start track-by-track/tbt-01-doorway (track 1) "Doorway, the opening song"' in lines
    before_the_drop = schedule_lines(manifest, date(2027, 2, 1), date(2027, 2, 9))
    assert before_the_drop[-1] == "from the start interviews/int-studio"
    assert not any("skylight" in line for line in before_the_drop)
