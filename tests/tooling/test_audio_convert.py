"""`dropday audio convert`: studio recordings in, Alexa-compliant clips out, refusals explained."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from mutagen.mp3 import MP3

from dropday.tooling.clips import check_clip
from dropday.tooling.convert import ffmpeg_exe


def loudness(clip: Path) -> float:
    """Integrated loudness in LUFS, measured by ffmpeg's EBU R128 meter."""
    result = subprocess.run([ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", str(clip), "-af", "ebur128",
                             "-f", "null", "-"], capture_output=True, text=True, check=True)
    return float(re.findall(r"I:\s+(-?[\d.]+) LUFS", result.stderr)[-1])


@pytest.fixture(scope="module")
def converted(studio, tmp_path_factory):
    """The four kinds of studio recording, converted once for the module's tests."""
    from dropday.cli.__main__ import main

    out = tmp_path_factory.mktemp("clips")
    inputs = [studio.take_wav, studio.take_flac, studio.take_m4a, studio.take_mp3]
    return out, inputs, main(["audio", "convert", *map(str, inputs), "--out", str(out)])


def test_wav_flac_m4a_and_mp3_recordings_become_alexa_compliant_clips(converted):
    out, _, status = converted
    assert status == 0
    assert sorted(p.name for p in out.iterdir()) == ["ada-warm-up-take-3.mp3", "noor-bass.mp3", "rui-riff.mp3",
                                                     "tomasz-44k.mp3"]
    for clip in out.iterdir():
        info = MP3(clip).info
        assert (info.version, info.layer, info.bitrate, info.sample_rate) == (2, 3, 48000, 24000), clip.name
        assert check_clip(clip, clip.name, "-").ok, check_clip(clip, clip.name, "-").problems


def test_silence_is_trimmed_from_both_ends(converted):
    out, inputs, _ = converted
    assert len(list(out.iterdir())) == len(inputs)
    for clip in out.iterdir():
        # 1 s + 2 s of tone + 1.5 s: the tone stays, with a few hundredths of a second either side
        assert 2.0 <= MP3(clip).info.length <= 2.3, clip.name


def test_clips_are_normalised_to_minus_16_lufs(converted):
    out, inputs, _ = converted
    assert len(list(out.iterdir())) == len(inputs)
    for clip in out.iterdir():
        assert loudness(clip) == pytest.approx(-16.0, abs=1.0), clip.name


def test_each_recording_gets_a_progress_line_and_the_run_a_summary(studio, dropday, tmp_path):
    run = dropday("audio", "convert", str(studio.take_wav), str(studio.take_m4a), "--out", str(tmp_path / "tips"))
    assert run.status == 0
    assert [re.sub(r"\d+\.\d s", "N s", line) for line in run.out] == [
        f"[1/2] {tmp_path}/tips/ada-warm-up-take-3.mp3 N s (from Ada Warm-up (take 3).wav, N s of silence trimmed)",
        f"[2/2] {tmp_path}/tips/rui-riff.mp3 N s (from rui-riff.m4a, N s of silence trimmed)",
        f"2 of 2 clips converted into {tmp_path}/tips",
    ]


def test_names_become_safe_for_a_web_address(studio, dropday, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run = dropday("audio", "convert", str(studio.take_wav), "--out", "tips")
    assert run.out[0].startswith("[1/1] tips/ada-warm-up-take-3.mp3 2.")
    assert (tmp_path / "tips" / "ada-warm-up-take-3.mp3").is_file()


def test_a_recording_over_240_seconds_is_refused_and_nothing_is_written(studio, dropday, tmp_path):
    run = dropday("audio", "convert", str(studio.long_take), "--out", str(tmp_path))
    assert run.out == [
        f"[1/1] refused: {studio.long_take} is 241.0 s long after trimming silence; Alexa plays at most 240 s in one "
        "clip. Cut it into shorter clips in your audio editor, or make it an episode of a long-form section with "
        "`--long-form`",
        f"0 of 1 clip converted into {tmp_path}; 1 refused (see above)",
    ]
    assert run.status == 1
    assert list(tmp_path.iterdir()) == []


def test_a_file_that_is_not_audio_is_refused_and_the_others_still_converted(studio, dropday, tmp_path):
    run = dropday("audio", "convert", str(studio.not_audio), str(studio.take_flac), "--out", str(tmp_path))
    assert run.out[0].startswith(f"[1/2] refused: {studio.not_audio} could not be read as audio (")
    assert run.out[1].startswith(f"[2/2] {tmp_path}/noor-bass.mp3 ")
    assert run.status == 1
    assert [p.name for p in tmp_path.iterdir()] == ["noor-bass.mp3"]


def test_a_folder_of_recordings_is_converted_file_by_file(studio, dropday, tmp_path):
    folder = tmp_path / "session"
    folder.mkdir()
    for source in (studio.take_wav, studio.take_flac):
        shutil.copy(source, folder)
    (folder / "notes.txt").write_text("not audio, not picked up")
    run = dropday("audio", "convert", str(folder), "--out", str(tmp_path / "out"))
    assert run.status == 0
    assert run.out[-1] == f"2 of 2 clips converted into {tmp_path}/out"


def test_two_recordings_that_would_get_the_same_name_are_refused_before_converting(studio, dropday, tmp_path):
    twin = tmp_path / "Noor Bass.wav"
    shutil.copy(studio.take_wav, twin)
    run = dropday("audio", "convert", str(twin), str(studio.take_flac), "--out", str(tmp_path / "out"))
    assert run.status == 2
    assert "would both become noor-bass.mp3; rename one of them" in run.err
    assert not (tmp_path / "out").exists()


def test_converting_over_an_existing_clip_says_replaced(studio, dropday, tmp_path):
    # GIVEN a clip already converted into the folder
    assert dropday("audio", "convert", str(studio.take_wav), "--out", str(tmp_path)).status == 0
    first = (tmp_path / "ada-warm-up-take-3.mp3").read_bytes()
    # WHEN another take with the same name is converted into it
    retake = tmp_path / "studio" / "Ada Warm-up (take 3).flac"
    retake.parent.mkdir()
    shutil.copy(studio.take_flac, retake)
    run = dropday("audio", "convert", str(retake), "--out", str(tmp_path))
    # THEN the line says the clip was replaced, and the summary says to publish again
    assert run.status == 0
    assert run.out[0].startswith(f"[1/1] replaced {tmp_path}/ada-warm-up-take-3.mp3 ")
    assert run.out[-1] == f"1 of 1 clip converted into {tmp_path} (1 replaced: publish again if the campaign was " \
                          "published)"
    assert (tmp_path / "ada-warm-up-take-3.mp3").read_bytes() != first
