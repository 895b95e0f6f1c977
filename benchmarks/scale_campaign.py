"""A campaign at the scale of the largest label skills, made up from the demo (never committed).

400 pieces over 12 weeks (a studio section answering tips and a backstage section, dropped twice a
week), a quiz of 100 questions, text in three locales, the demo's members, unlockables and
sentences. `write` makes the manifest; with `audio=True` also a clip for every path it names
(hard links to one demo clip) and the campaign's interaction models, so `dropday validate` can run
on it as on a real campaign. The demo clip lasts 7.4 s; with `clip_seconds` the pieces' clips are
one clip of about that length instead (the demo clip's MP3 frames repeated: the same encoding,
valid for Alexa), since checking a clip takes time in proportion to its length.

    .venv/bin/python benchmarks/scale_campaign.py OUT_DIR [--audio [--clip-seconds 60]]   # prints the manifest's path
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "audio_manifest" / "lantern-foxes.yaml"
WORDS = ["warmup", "notebook", "tuning", "strings", "first-take", "groove", "kick", "metronome", "brushes",
         "tea", "harbour", "foghorn", "lyric", "chorus", "bridge", "demo", "setlist", "soundcheck"]
LOCALES = ("en-GB", "en-US", "en-AU")
#: The scale campaign's release date; its pieces drop twice a week over the `weeks` before it.
RELEASE = date(2027, 6, 30)
#: The campaign's name (its manifest is `<CAMPAIGN>.yaml`).
CAMPAIGN = "scale"


def manifest(campaign: str = CAMPAIGN, pieces: int = 400, questions: int = 100, weeks: int = 12,
             seed: int = 20270115) -> dict:
    """The scale campaign's manifest data."""
    import yaml

    base = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    rng = random.Random(seed)
    members = [m["id"] for m in base["members"]]
    names = {m["id"]: m["name"] for m in base["members"]}
    release = RELEASE
    first_day = release - timedelta(weeks=weeks)
    drop_days = [first_day + timedelta(days=d) for d in range(weeks * 7) if (first_day + timedelta(days=d)).weekday()
                 in (0, 3)]
    studio, backstage = [], []
    for i in range(pieces):
        member = members[i % len(members)]
        piece_id = f"{member}-{rng.choice(WORDS)}-{i:03d}"
        section = studio if i % 3 else backstage
        folder = "studio" if section is studio else "backstage"
        text = (f"Piece {i} from {names[member]}: keep the {rng.choice(WORDS)} simple, and let the song breathe "
                "before you add another part to it.")
        entry = {"id": piece_id, "member": member, "audio": f"{folder}/{piece_id}.mp3",
                 "transcript": {"default": text, "en-US": text + " Y'all.", "en-AU": text + " Mate."}
                 if i % 10 == 3 else text,
                 "available": {"from": drop_days[i % len(drop_days)]}}
        section.append(entry)
    sections = {s["id"]: s for s in base["sections"]}
    sections["studio"] = {**sections["studio"], "pieces": studio}
    sections["backstage"] = {**sections["backstage"], "pieces": backstage}
    quiz = []
    for q in range(questions):
        right = rng.choice(members)
        quiz.append({"id": f"q-{q:03d}", "question": {"audio": f"quiz/q-{q:03d}.mp3",
                                                      "transcript": f"Question {q}: who recorded piece {q}?"},
                     "choices": [names[m] for m in members], "answer": names[right],
                     **({"available": {"from": drop_days[q % len(drop_days)]}} if q >= 10 else {})})
    doc = {**base, "campaign": campaign, "invocation_name": "scale foxes",
           "album": {**base["album"], "release_date": release},
           "sections": [sections["studio"], sections["backstage"], sections["track-by-track"]],
           "quiz": {**base["quiz"], "questions": quiz}}
    doc["sentences"] = {**base.get("sentences", {}),
                        "en-US": {**base["sentences"].get("en-US", {}), "goodbye": "See you soon, y'all!"},
                        "en-AU": {**base["sentences"].get("en-AU", {}), "goodbye": "See ya, mate!"}}
    doc.pop("draw", None)
    return doc


def write(folder: Path, audio: bool = False, clip_seconds: float | None = None, **sizes: int) -> Path:
    """Write the scale campaign into `folder` (`audio_manifest/`, and with `audio` its clips and
    `interaction_models/`; the pieces' clips about `clip_seconds` long if given); returns the
    manifest file."""
    import yaml

    data = manifest(**sizes)
    manifests = folder / "audio_manifest"
    manifests.mkdir(parents=True, exist_ok=True)
    path = manifests / f"{data['campaign']}.yaml"
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    path.write_text(yaml.dump(_plain(data), Dumper=dumper, sort_keys=False, allow_unicode=True, width=1000),
                    encoding="utf-8")
    if audio:
        _clips(folder, data, clip_seconds)
        _models(folder, data)
    return path


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _clips(folder: Path, data: dict, clip_seconds: float | None = None) -> None:
    sys.path.insert(0, str(REPO / "lambda"))
    from dropday.core.campaign import parse_manifest

    source = REPO / "audio_manifest" / "audio" / "lantern-foxes"
    clip = source / "tips" / "tomasz-tea.mp3"
    piece_clip = clip
    if clip_seconds:
        piece_clip = folder / f"piece-{clip_seconds:g}s.mp3"
        piece_clip.write_bytes(repeated_frames(clip.read_bytes(), clip_seconds))
    parsed = parse_manifest(json.loads(json.dumps(data, default=str)))
    target = folder / "audio_manifest" / "audio" / data["campaign"]
    for path in (*parsed.audio_paths, *parsed.image_paths):
        out = target / path
        out.parent.mkdir(parents=True, exist_ok=True)
        original = source / path
        made = piece_clip if path.startswith(("studio/", "backstage/")) else clip
        try:
            os.link(original if original.is_file() else made, out)
        except OSError:
            shutil.copy(original if original.is_file() else made, out)
    shutil.copytree(REPO / "audio_manifest" / "schema", folder / "audio_manifest" / "schema", dirs_exist_ok=True)


#: Layer III bit rates (kbps) by MPEG-1 or not, and sample rates (Hz) by version bits.
_KBPS = {True: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
         False: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160)}
_RATES = {0b11: (44100, 48000, 32000), 0b10: (22050, 24000, 16000), 0b00: (11025, 12000, 8000)}


def repeated_frames(mp3: bytes, seconds: float) -> bytes:
    """An MP3 of about `seconds` (never shorter): the audio frames of `mp3` (a constant bit rate
    layer III file) repeated, without its tags and its Xing/Info frame."""
    pos = 10 + int.from_bytes(bytes(b & 0x7F for b in mp3[6:10]), "big") if mp3[:3] == b"ID3" else 0
    frames, samples = [], 0
    while pos + 4 <= len(mp3):
        h = int.from_bytes(mp3[pos:pos + 4], "big")
        version, index, rate_index = (h >> 19) & 3, (h >> 12) & 15, (h >> 10) & 3
        if h >> 21 != 0x7FF or version == 0b01 or (h >> 17) & 3 != 0b01 or index in (0, 15) or rate_index == 3:
            break   # the end of the audio (an ID3v1 tag, or nothing)
        mpeg1 = version == 0b11
        rate = _RATES[version][rate_index]
        size = (144 if mpeg1 else 72) * _KBPS[mpeg1][index] * 1000 // rate + ((h >> 9) & 1)
        frame = mp3[pos:pos + size]
        if not frames and (b"Xing" in frame or b"Info" in frame):
            pos += size   # the VBR/Info header: it would announce the original length
            continue
        frames.append(frame)
        samples += 1152 if mpeg1 else 576
        pos += size
    if not frames:
        raise ValueError("no MPEG layer III frames")
    audio = b"".join(frames)
    return audio * max(1, -(-int(seconds * rate) // samples))


def _models(folder: Path, data: dict) -> None:
    models = folder / "interaction_models"
    shutil.copytree(REPO / "interaction_models" / "samples", models / "samples", dirs_exist_ok=True)
    skill = json.loads((REPO / "interaction_models" / "lantern-foxes" / "skill.json").read_text(encoding="utf-8"))
    locales = skill["manifest"]["publishingInformation"]["locales"]
    skill["manifest"]["publishingInformation"]["locales"] = {k: v for k, v in locales.items() if k in LOCALES}
    (models / data["campaign"]).mkdir(parents=True, exist_ok=True)
    (models / data["campaign"] / "skill.json").write_text(json.dumps(skill, indent=2), encoding="utf-8")
    sys.path.insert(0, str(REPO / "lambda"))
    from dropday.cli.__main__ import main as dropday
    if dropday(["models", "sync", str(folder / "audio_manifest"), "--models", str(models)]) != 0:
        raise SystemExit("the scale campaign's models could not be generated")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--audio", action="store_true", help="also clips and interaction models, for validate")
    parser.add_argument("--clip-seconds", type=float, metavar="S",
                        help="with --audio: the pieces' clips last about S seconds (default: the demo clip's 7.4 s)")
    args = parser.parse_args()
    print(write(args.out, audio=args.audio, clip_seconds=args.clip_seconds))
