"""Show SSML as a person reads it: text, with each clip as [clip: path 3.2 s "transcript"]."""

from __future__ import annotations

import html
import re
from pathlib import Path

from ..core.campaign import Manifest

_AUDIO = re.compile(r'<audio src="([^"]*)"\s*/>')
_TAG = re.compile(r"<[^>]+>")


def clip_transcripts(manifest: Manifest, locale: str | None) -> dict[str, str]:
    """Clip path -> the transcript a listener in `locale` would read for it (every recording's)."""
    return {r.audio: manifest.fill(r.transcript.get(locale)) for r in manifest.recordings if r.audio}


def clip_seconds(path: Path) -> float | None:
    """The length of an MP3 (or, for episodes, AAC or M4A) file in seconds (None when it cannot be read)."""
    try:
        if path.suffix.lower() == ".mp3":
            from mutagen.mp3 import MP3
            return MP3(path).info.length
        import mutagen
        found = mutagen.File(path)
        return found.info.length if found is not None else None
    except Exception:
        return None


def clip_paths_by_url(manifest: Manifest, audio_base_url: str) -> dict[str, str]:
    """Clip URL as the skill builds it -> the clip's path in the manifest."""
    return {f"{audio_base_url.rstrip('/')}/{manifest.clip_key(p)}": p for p in manifest.audio_paths}


def describe(ssml: str, manifest: Manifest, audio_base_url: str, audio_dir: Path | None = None,
             locale: str | None = None) -> str:
    """`ssml` as readable text."""
    paths = clip_paths_by_url(manifest, audio_base_url)
    transcripts = clip_transcripts(manifest, locale)

    def clip(match: re.Match) -> str:
        url = html.unescape(match[1])
        path = paths.get(url, url)
        seconds = clip_seconds(audio_dir / path) if audio_dir else None
        length = f" {seconds:.1f} s" if seconds is not None else ""
        words = transcripts.get(path)
        return f'[clip: {path}{length}{f" {chr(34)}{words}{chr(34)}" if words else ""}]'

    return html.unescape(_TAG.sub("", _AUDIO.sub(clip, ssml))).strip()


def clip_files(ssml: str, manifest: Manifest, audio_base_url: str, audio_dir: Path) -> list[Path]:
    """The local files of the clips in `ssml`, in the order Alexa plays them (only those that exist)."""
    paths = clip_paths_by_url(manifest, audio_base_url)
    urls = [html.unescape(found) for found in _AUDIO.findall(ssml)]
    files = [audio_dir / paths[url] for url in urls if url in paths]
    return [path for path in files if path.is_file()]


def clock_time(milliseconds: float) -> str:
    """A stream position as a player shows it: 0:00, 4:05, 1:02:03."""
    seconds = int(milliseconds // 1000)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def stream_path(url: str, manifest: Manifest, audio_base_url: str) -> str:
    """The manifest's path of the episode a stream URL plays (the URL itself when it is none of them)."""
    return clip_paths_by_url(manifest, audio_base_url).get(url, url)


def describe_directive(directive: dict, manifest: Manifest, audio_base_url: str,
                       audio_dir: Path | None = None) -> str | None:
    """An AudioPlayer directive as a person reads it, e.g. `[playing: track-by-track/01.mp3 5:12
    "Small Hours Harbour" from 0:00]`; None for other directives."""
    kind = directive.get("type")
    if kind == "AudioPlayer.Stop":
        return "[player stopped]"
    if kind == "AudioPlayer.ClearQueue":
        return "[queue cleared]"
    if kind != "AudioPlayer.Play":
        return None
    item = directive.get("audioItem") or {}
    stream = item.get("stream") or {}
    path = stream_path(stream.get("url", ""), manifest, audio_base_url)
    seconds = clip_seconds(audio_dir / path) if audio_dir else None
    length = f" {clock_time(seconds * 1000)}" if seconds is not None else ""
    title = (item.get("metadata") or {}).get("title")
    named = f' "{title}"' if title else ""
    if directive.get("playBehavior") == "ENQUEUE":
        return f"[queued next: {path}{length}{named}]"
    return f"[playing: {path}{length}{named} from {clock_time(stream.get('offsetInMilliseconds') or 0)}]"


def describe_card(card: dict | None) -> str | None:
    """A home card in the Alexa app as a person reads it, e.g. `[card in the Alexa app: allow
    alexa::alerts:reminders:skill:readwrite]`; None without a card."""
    if not card:
        return None
    if card.get("type") == "AskForPermissionsConsent":
        return f"[card in the Alexa app: allow {', '.join(card.get('permissions') or [])}]"
    title = card.get("title") or ""
    text = " ".join(str(card.get("content") or card.get("text") or "").split())
    return f'[card in the Alexa app: "{title}" {text}]'.replace('"" ', "")
