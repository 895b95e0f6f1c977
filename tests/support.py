"""Paths and helpers the tests share (importable as `support`: pytest puts tests/ on the path)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
SHARED_ALEXA_FIXTURES = REPO.parent / "shared" / "fixtures" / "alexa-app"
#: A campaign the tests own, laid out as a repository is: audio_manifest/ and interaction_models/.
FIXTURE_WORKSPACE = FIXTURES / "workspace"
FIXTURE_CAMPAIGN = "night-owls"
#: Alexa's clip format, as `dropday audio convert` and scripts/make_demo_audio.py write it.
ALEXA_MP3 = ["-ac", "1", "-ar", "24000", "-c:a", "libmp3lame", "-b:a", "48k", "-write_xing", "0"]


def free_port() -> int:
    """A loopback TCP port nobody listens on (closed once this returns)."""
    import socket
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def create_state_table(resource, name: str) -> None:
    """The listener-state table as template.yaml declares it (moto starts empty)."""
    resource.create_table(TableName=name, KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                          AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                          BillingMode="PAY_PER_REQUEST")


def heard_tips(campaign, attributes) -> list[str]:
    """The ids of the pieces a stored `attributes` map says were heard (in any section), sorted."""
    from dropday.core.listener import ListenerState
    return sorted(p.id for p in campaign.pieces_with_keys(ListenerState.from_dict(attributes).fitted(campaign).heard))


def alexa_clips(clips: dict[Path, tuple[int, float]]) -> None:
    """Write each `path: (frequency, seconds)` as a tone in a clip Alexa plays (MPEG-2 layer III,
    48 kbps, 24000 Hz), all in one ffmpeg run."""
    from dropday.tooling.convert import ffmpeg_exe

    inputs, outputs = [], []
    for number, (path, (frequency, seconds)) in enumerate(clips.items()):
        path.parent.mkdir(parents=True, exist_ok=True)
        inputs += ["-f", "lavfi", "-i", f"sine=frequency={frequency}:sample_rate=24000:duration={seconds}"]
        outputs += ["-map", f"{number}:a", *ALEXA_MP3, str(path)]
    subprocess.run([ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y", *inputs, *outputs],
                   check=True)


def make_workspace(root: Path) -> Path:
    """The fixture campaign at `root`, as a label's repository holds it: the manifest, a clip for
    every audio path (each its own tone), the sample utterances, and its interaction models as
    `dropday models sync` writes them. Returns `root`."""
    from dropday.cli.__main__ import main
    from dropday.content import read_manifest

    shutil.copytree(FIXTURE_WORKSPACE, root, dirs_exist_ok=True)
    shutil.copytree(REPO / "interaction_models" / "samples", root / "interaction_models" / "samples")
    manifest = read_manifest(root / "audio_manifest" / f"{FIXTURE_CAMPAIGN}.yaml")
    audio = root / "audio_manifest" / "audio" / manifest.campaign
    alexa_clips({audio / clip: (300 + 40 * number, 1.0 + 0.1 * number)
                 for number, clip in enumerate(manifest.audio_paths)})
    status = main(["models", "sync", str(root / "audio_manifest")])
    assert status == 0, "the fixture campaign's models could not be generated"
    return root


def atomic_moto_server(port: int):
    """A moto server on loopback that handles one request at a time, started.

    DynamoDB evaluates a write's condition and applies the write atomically; moto's in-memory
    backend does not (a thread can be switched out between the check and the write), so under load
    two conditional writes of one version could both succeed in moto and never in DynamoDB. The
    concurrency tests are about the skill, so they run on a server as atomic as the real one.
    """
    import threading

    from moto.server import DomainDispatcherApplication, MotoRequestHandler, ThreadedMotoServer, create_backend_app
    from werkzeug.serving import make_server

    class AtomicMotoServer(ThreadedMotoServer):
        def _server_entry(self) -> None:
            app, lock = DomainDispatcherApplication(create_backend_app), threading.Lock()

            def one_at_a_time(environ, start_response):
                with lock:
                    return list(app(environ, start_response))

            self._server = make_server(self._ip_address, self._port, one_at_a_time, True,
                                       request_handler=MotoRequestHandler)
            self._server_ready_event.set()
            self._server.serve_forever()

    server = AtomicMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    return server
