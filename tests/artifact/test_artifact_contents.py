"""What `sam build` packs for Lambda holds what the function needs and nothing it must not carry."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest

import lambda_stack
from artifact_support import REPORT
from support import REPO

LAMBDA = REPO / "lambda"
MANIFESTS = REPO / "audio_manifest"
#: Never packed: the development tools (docs/architecture.md, "Floors").
DEVELOPMENT_PACKAGES = ("cli", "localdev", "tooling")
#: The Lambda Python runtime's own packages (lambda/Makefile deletes them from the artifact).
RUNTIME_PROVIDED = {"boto3", "botocore", "s3transfer", "jmespath"}
#: What pip's markers see on Lambda: CPython 3.12 on Linux, arm64.
LAMBDA_MARKERS = {"python_version": "3.12", "python_full_version": "3.12.0", "sys_platform": "linux",
                  "platform_system": "Linux", "platform_machine": "aarch64", "os_name": "posix",
                  "implementation_name": "cpython", "platform_python_implementation": "CPython", "extra": ""}
EM_AARCH64 = 183
MB = 1024 * 1024
#: Lambda's limits for a zip deployment, and the share of them the package may use.
UNZIPPED_LIMIT, ZIPPED_LIMIT, ROOM = 250 * MB, 50 * MB, 0.5


def files_under(folder: Path) -> dict[str, Path]:
    return {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*")) if p.is_file()}


def campaigns() -> list[str]:
    return sorted(p.stem for p in MANIFESTS.glob("*.yaml"))


def test_ci_builds_the_function_with_the_recipe_sam_build_uses():
    # GIVEN template.yaml's function
    [function] = [r for r in lambda_stack.sam_template()["Resources"].values()
                  if r["Type"] == "AWS::Serverless::Function"]
    # THEN sam build hands it to lambda/Makefile, which is what `make artifact` runs the way SAM does
    assert function["Metadata"]["BuildMethod"] == "makefile"
    assert function["Properties"]["CodeUri"].rstrip("/") == "lambda"
    assert "build-SkillFunction:" in (LAMBDA / "Makefile").read_text()


def test_the_artifact_carries_no_yaml_and_no_development_tools(package):
    packed = files_under(package.artifact)
    assert [name for name in packed if name.endswith((".yaml", ".yml"))] == []
    assert not (package.artifact / "yaml").exists() and not list(package.artifact.glob("_yaml*")), "PyYAML is packed"
    assert [name for name in DEVELOPMENT_PACKAGES if (package.artifact / "dropday" / name).exists()] == []
    assert [name for name in packed if name.endswith((".mp3", ".wav", ".m4a", ".png", ".jpg"))] == [], \
        "the clips are served from the audio bucket, never from the function"


def test_the_artifact_holds_exactly_what_the_requirements_pull_in_except_the_runtimes_own_packages(package):
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    # GIVEN the distributions in the artifact, with the requirements each declares
    packed = {}
    for info in package.artifact.glob("*.dist-info"):
        metadata = (info / "METADATA").read_text(encoding="utf-8")
        name = canonicalize_name(re.search(r"^Name: (.+)$", metadata, re.M)[1].strip())
        packed[name] = [Requirement(r) for r in re.findall(r"^Requires-Dist: (.+)$", metadata, re.M)]
    # WHEN we follow lambda/requirements.txt through them, stopping at what the runtime provides
    wanted, todo = set(), [Requirement(line) for line in (LAMBDA / "requirements.txt").read_text().splitlines()
                           if line.strip() and not line.startswith("#")]
    while todo:
        requirement = todo.pop()
        name = canonicalize_name(requirement.name)
        if name in wanted or name in RUNTIME_PROVIDED or \
                (requirement.marker and not requirement.marker.evaluate(LAMBDA_MARKERS)):
            continue
        assert name in packed, f"{name} is required but not packed"
        wanted.add(name)
        todo.extend(packed[name])
    # THEN the artifact holds those and nothing else; boto3 & co. come from the runtime
    assert set(packed) == wanted
    assert [p for p in RUNTIME_PROVIDED if (package.artifact / p).exists()] == []


def test_every_file_of_the_skill_is_packed_unchanged(package):
    source = {name: path for name, path in files_under(LAMBDA).items()
              if (name.startswith("dropday/") or name == "lambda_function.py")
              and "__pycache__" not in name and not name.endswith(".pyc")
              and name.split("/")[1:2] not in ([p] for p in DEVELOPMENT_PACKAGES)}
    assert "dropday/app.py" in source
    missing = [name for name in source if not (package.artifact / name).is_file()]
    changed = [name for name in source if name not in missing
               and (package.artifact / name).read_bytes() != source[name].read_bytes()]
    assert (missing, changed) == ([], [])


def test_the_dynamodb_client_is_made_from_botocores_data_cut_down_to_dynamodb(package):
    import json
    from dropday.aws import DYNAMODB_OPERATIONS
    packed = package.artifact / "dropday" / "aws_endpoints.json"
    data = json.loads(packed.read_text())
    assert packed.stat().st_size < 20_000
    assert {name for partition in data["partitions"] for name in partition["services"]} == {"dynamodb"}
    assert "aws-cn" in [partition["partition"] for partition in data["partitions"]]
    [model] = (package.artifact / "dropday" / "aws_models").rglob("*.json")
    assert model.relative_to(package.artifact / "dropday" / "aws_models").parts[::2] == ("dynamodb", "service-2.json")
    assert sorted(json.loads(model.read_text())["operations"]) == sorted(DYNAMODB_OPERATIONS)


def test_every_module_has_bytecode_for_python_3_12_that_never_checks_the_source(package, lambda_runtime):
    # GIVEN Python 3.12's bytecode magic number
    magic = bytes.fromhex(subprocess.run(
        [str(lambda_runtime.python), "-c", "import importlib.util; print(importlib.util.MAGIC_NUMBER.hex())"],
        capture_output=True, text=True, check=True).stdout.strip())
    without, stale = [], []
    for name, path in files_under(package.artifact).items():
        if not name.endswith(".py"):
            continue
        compiled = path.parent / "__pycache__" / f"{path.stem}.cpython-312.pyc"
        if not compiled.is_file():
            without.append(name)
            continue
        header = compiled.read_bytes()[:8]
        # unchecked hash-based (flags 0b01): valid whatever timestamps the zip gives the sources
        if header[:4] != magic or int.from_bytes(header[4:8], "little") != 0b01:
            stale.append(name)
    assert (without, stale) == ([], [])


def test_native_code_is_built_for_lambdas_arm64_processors(package):
    libraries = [p for p in package.artifact.rglob("*.so*") if p.is_file()]
    wrong = [str(p.relative_to(package.artifact)) for p in libraries
             if p.read_bytes()[:4] != b"\x7fELF" or int.from_bytes(p.read_bytes()[18:20], "little") != EM_AARCH64]
    assert wrong == []
    assert all("x86_64" not in p.name for p in libraries)


@pytest.mark.parametrize("campaign", campaigns())
def test_each_campaign_is_packed_as_the_checked_json_the_function_reads(package, campaign):
    from dropday.content import read_manifest

    compiled = package.artifact / "audio_manifest" / f"{campaign}.manifest.json"
    assert compiled.is_file()
    assert comparable(read_manifest(compiled)) == comparable(read_manifest(MANIFESTS / f"{campaign}.yaml"))
    index = MANIFESTS / f"{campaign}.published.json"
    if index.is_file():
        assert (package.artifact / "audio_manifest" / index.name).read_bytes() == index.read_bytes()


@pytest.mark.parametrize("campaign", campaigns())
def test_each_campaign_is_packed_parsed_for_the_code_packed_beside_it(package, campaign):
    import pickle

    from dropday.snapshot import code_digest
    compiled = package.artifact / "audio_manifest" / f"{campaign}.manifest.json"
    _, _, code, manifest = pickle.loads(compiled.with_suffix(".pickle").read_bytes())
    # the snapshot is used on Lambda: made from this JSON, by the campaign code in the artifact
    assert code == code_digest(package.artifact / "dropday" / "core" / "campaign")
    assert manifest == read_manifest_parsing(compiled)


def read_manifest_parsing(path: Path):
    """The packed campaign as parsing its JSON gives it (the snapshot left aside)."""
    import json

    from dropday.content import parse_manifest
    return parse_manifest(json.loads(path.read_text(encoding="utf-8")), source=str(path))


def comparable(manifest):
    """The manifest without where it was read from."""
    return manifest._replace(**{name: None for name in ("source", "path") if name in manifest._fields})


@pytest.mark.parametrize("campaign", campaigns())
def test_every_clip_and_image_a_campaign_names_is_published_or_reported(package, campaign):
    from dropday.content import load_campaign, published_index

    # GIVEN the campaign as the function loads it (a stale publish index would stop it here)
    manifest = load_campaign(package.artifact / "audio_manifest", campaign)
    named = [*manifest.audio_paths, *getattr(manifest, "image_paths", ())]
    if published_index(package.artifact / "audio_manifest", campaign).is_file():
        # THEN every clip plays from the key it was published under
        assert [path for path in named if path not in manifest.published] == []
        return
    # OR, before the first publish, every clip exists to be published, and the run says so
    sources = MANIFESTS / "audio" / campaign
    assert [path for path in named if not (sources / path).is_file()] == []
    REPORT.append(f"{campaign}: {len(named)} clips not published yet; the function plays them from "
                  f"AUDIO_BASE_URL/{campaign}/<path> until `dropday audio publish` has run")


def test_the_deployable_zip_is_the_artifact_and_well_within_lambdas_size_limits(package):
    with zipfile.ZipFile(package.zip) as archive:
        entries = {i.filename: i for i in archive.infolist() if not i.is_dir()}
    packed = files_under(package.artifact)
    assert sorted(entries) == sorted(packed)
    assert [name for name, i in entries.items() if (i.external_attr >> 16) & 0o444 != 0o444] == [], \
        "Lambda needs every file readable by everyone"
    unzipped = sum(p.stat().st_size for p in packed.values())
    zipped = package.zip.stat().st_size
    REPORT.append(f"artifact: {len(packed)} files, {unzipped / MB:.1f} MB unzipped (Lambda's limit "
                  f"{UNZIPPED_LIMIT // MB} MB), {zipped / MB:.1f} MB zipped (limit {ZIPPED_LIMIT // MB} MB)")
    assert unzipped < ROOM * UNZIPPED_LIMIT and zipped < ROOM * ZIPPED_LIMIT
