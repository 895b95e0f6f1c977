"""The pure core: manifest model, tip rotation, countdown arithmetic, dialog and SSML.

Standard library only: nothing here imports ask_sdk, boto3 or yaml.
"""
