"""The MP3 frame walk of `tooling.clips` against a plain frame-by-frame walk, on synthetic streams:
constant bit rate (one header repeated), padding that comes and goes, bit rates that change, a
Xing header, and files cut off, damaged or followed by tags."""

from __future__ import annotations

import random

import pytest

from dropday.tooling.clips import _audio_start, _first_frame, _parse_header, _xing_frames, walk_frames

KBPS_INDEX = {8: 1, 16: 2, 24: 3, 32: 4, 48: 6, 64: 8}            # MPEG-2 layer III
RATE_INDEX = {22050: 0, 24000: 1, 16000: 2}


def frame(kbps: int = 48, rate: int = 24000, padding: int = 0, fill: int = 0x55) -> bytes:
    """One MPEG-2 layer III frame (mono, no CRC) with `fill` as its audio bytes."""
    header = (0x7FF << 21) | (0b10 << 19) | (0b01 << 17) | (1 << 16) | (KBPS_INDEX[kbps] << 12) \
        | (RATE_INDEX[rate] << 10) | (padding << 9) | (0b11 << 6)
    size = 72 * kbps * 1000 // rate + padding
    return header.to_bytes(4, "big") + bytes([fill]) * (size - 4)


def xing_frame(frames: int) -> bytes:
    """A frame holding a Xing header that announces `frames` frames."""
    body = bytearray(frame())
    body[21:33] = b"Xing" + (1).to_bytes(4, "big") + frames.to_bytes(4, "big")
    return bytes(body)


def frame_by_frame(data: bytes, start: int = 0) -> tuple:
    """What `walk_frames` finds, as (count, seconds, bitrates, missing bytes, damaged at, announced frames),
    following one frame header at a time."""
    pos = _first_frame(data, start)
    if pos is None:
        return 0, 0.0, frozenset(), 0, (start if len(data) > start else None), None
    count, samples, rate, bitrates, announced = 0, 0, 0, set(), None
    while pos + 4 <= len(data):
        header = _parse_header(data, pos)
        if header is None:
            break
        mpeg1, kbps, rate, size = header
        if pos + size > len(data):
            return count, samples / rate, frozenset(bitrates), pos + size - len(data), None, announced
        xing = _xing_frames(data, pos, size) if count == 0 else None
        if xing is not None:
            announced = xing
        else:
            count, samples = count + 1, samples + (1152 if mpeg1 else 576)
            bitrates.add(kbps)
        pos += size
    seconds = samples / rate if rate else 0.0
    rest = data[pos:]
    if 0 < len(rest) < 4 and rest[:1] == b"\xff":
        return count, seconds, frozenset(bitrates), 4 - len(rest), None, announced
    damaged = None if not rest.strip(b"\x00") or rest.startswith((b"TAG", b"APETAGEX", b"LYRICSBEGIN", b"ID3")) \
        or b"APETAGEX" in rest[:64] else pos
    return count, seconds, frozenset(bitrates), 0, damaged, announced


def walked(data: bytes) -> tuple:
    frames = walk_frames(data, start=_audio_start(data))
    return (frames.count, frames.seconds, frames.bitrates, frames.missing_bytes, frames.damaged_at,
            frames.announced_frames)


def streams() -> dict[str, bytes]:
    rng = random.Random(7)
    return {
        "constant bit rate": frame() * 300,
        "padding now and then (22050 Hz)": b"".join(frame(rate=22050, padding=int(rng.random() < 0.73))
                                                   for _ in range(300)),
        "bit rates that change": b"".join(frame(kbps=rng.choice([32, 48, 64])) for _ in range(300)),
        "long runs, then a change": frame() * 150 + frame(kbps=64) * 3 + frame() * 150,
        "a Xing header first": xing_frame(300) + frame() * 300,
        "an ID3 tag first": b"ID3\x04\x00\x00\x00\x00\x00\x05" + b"\x00" * 5 + frame() * 50,
        "a tag after the audio": frame() * 50 + b"TAG" + b"\x00" * 125,
        "junk after the audio": frame() * 50 + b"junk" * 10,
    }


@pytest.mark.parametrize("name", list(streams()))
def test_the_frame_walk_finds_what_a_frame_by_frame_walk_finds(name):
    data = streams()[name]
    assert walked(data) == frame_by_frame(data, _audio_start(data))


@pytest.mark.parametrize("name", list(streams()))
def test_the_frame_walk_agrees_on_files_cut_off_or_damaged_anywhere(name):
    data = streams()[name]
    rng = random.Random(name)
    for cut in [*rng.sample(range(len(data)), 40), *range(len(data) - 300, len(data))]:
        assert walked(data[:cut]) == frame_by_frame(data[:cut], _audio_start(data[:cut])), cut
    for _ in range(60):
        damaged = bytearray(data)
        damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        assert walked(bytes(damaged)) == frame_by_frame(bytes(damaged), _audio_start(bytes(damaged)))


def test_a_cut_off_constant_bit_rate_stream_counts_its_whole_frames_and_the_bytes_missing():
    data = (frame() * 100)[:-10]
    frames = walk_frames(data)
    assert (frames.count, frames.missing_bytes, frames.damaged_at) == (99, 10, None)
    assert frames.seconds == pytest.approx(99 * 576 / 24000)
