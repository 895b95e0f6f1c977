"""What Lambda runs, run as Lambda runs it.

The artifact is built with the root Makefile's `package` target, which runs lambda/Makefile's
`build-SkillFunction` the way `sam build` does, and zips it. The zip is unpacked into a read-only
folder (Lambda's /var/task) and started with the Lambda runtime interface client on Python 3.12,
with only awslambdaric and a boto3 like the runtime's beside it (`make lambda-runtime`), against
a Runtime API stub on loopback. AWS is a moto server on loopback, on which template.yaml,
translated to CloudFormation, is created as a stack: the function runs with the environment
CloudFormation gave it, against the table the stack made.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import lambda_stack
from artifact_support import REPORT, make, make_read_only
from support import REPO
from dropday.localdev.runtime_api import FunctionProcess, Invocation, RuntimeApiStub

LAMBDA_RUNTIME = REPO / ".lambda-runtime"


def pytest_terminal_summary(terminalreporter) -> None:
    if REPORT:
        terminalreporter.section("what Lambda runs")
        for line in REPORT:
            terminalreporter.write_line(line)


@dataclass(frozen=True)
class LambdaRuntime:
    """Lambda's Python runtime on this machine."""

    python: Path  # Python 3.12 with nothing installed beside it (Lambda's /var/lang)
    folder: Path  # awslambdaric and the runtime's boto3 (Lambda's /var/runtime)


@pytest.fixture(scope="session")
def lambda_runtime() -> LambdaRuntime:
    done = make("lambda-runtime")
    if done.returncode != 0 and "no python3.12" in done.stderr:
        pytest.skip("no python3.12 on this machine, so nothing runs as Lambda runs it")
    assert done.returncode == 0, f"make lambda-runtime failed:\n{done.stdout}\n{done.stderr}"
    return LambdaRuntime(LAMBDA_RUNTIME / "python" / "bin" / "python", LAMBDA_RUNTIME / "runtime")


@dataclass(frozen=True)
class Package:
    """What `make package` made."""

    artifact: Path  # the folder sam build makes (.aws-sam/build/SkillFunction)
    zip: Path       # the deployable zip of it
    build_log: str


@pytest.fixture(scope="session")
def package(tmp_path_factory) -> Package:
    folder = tmp_path_factory.mktemp("package")
    done = make("package", ARTIFACT=folder / "SkillFunction", PACKAGE=folder / "skill-function.zip")
    assert done.returncode == 0, f"make package failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return Package(folder / "SkillFunction", folder / "skill-function.zip", done.stdout + done.stderr)


@pytest.fixture(scope="session")
def code_folder(package, tmp_path_factory) -> Path:
    """The deployable zip unpacked into a read-only folder, as Lambda's /var/task."""
    folder = tmp_path_factory.mktemp("var") / "task"
    with zipfile.ZipFile(package.zip) as archive:
        archive.extractall(folder)
    make_read_only(folder)
    return folder


@pytest.fixture(scope="session")
def cloudformation() -> dict:
    """template.yaml translated to CloudFormation (aws-sam-translator, offline)."""
    return lambda_stack.translate()


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """A moto server on loopback (DynamoDB, and the CloudFormation the stack is created with)."""
    from dropday.localdev.dynamodb_server import LocalDynamoDB
    with LocalDynamoDB() as server:
        yield server.endpoint


@pytest.fixture(scope="session")
def stack(cloudformation, moto_endpoint, package) -> lambda_stack.Stack:
    """The translated stack as moto's CloudFormation created it (without what moto cannot create:
    CloudFront, the alarms, the secret; see `lambda_stack.for_moto`)."""
    return lambda_stack.create_on_moto(lambda_stack.for_moto(cloudformation), moto_endpoint,
                                       package.zip)


@pytest.fixture(scope="session")
def settings_api():
    from dropday.localdev.settings_api import SettingsApiStub
    with SettingsApiStub() as stub:
        yield stub


@dataclass
class RunningFunction:
    """A function process and the Runtime API stub it polls."""

    api: RuntimeApiStub
    process: FunctionProcess

    def invoke(self, event) -> dict:
        """The function's answer to `event` (raises FunctionFailed if there is none)."""
        return self.api.invoke(event).response

    def send(self, event) -> Invocation:
        """`event` handed to the function, with its timings."""
        return self.api.invoke(event)

    def output(self) -> str:
        """The function's log so far."""
        return self.process.output()


@pytest.fixture
def function_environment(stack, moto_endpoint, settings_api, tmp_path) -> dict[str, str]:
    """The function's environment: what CloudFormation gave it, Lambda's credentials (fake), and
    DynamoDB at the moto server."""
    return {
        **stack.environment,
        "AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local", "AWS_SESSION_TOKEN": "local",
        "AWS_ENDPOINT_URL_DYNAMODB": moto_endpoint, "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_CONFIG_FILE": str(tmp_path / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-aws-credentials"),
        "REQUESTS_CA_BUNDLE": str(settings_api.ca_bundle),
    }


@pytest.fixture
def function_process(lambda_runtime, code_folder, cloudformation, function_environment, tmp_path):
    """`function_process(code=None, **environment)`: the function's process as Lambda would start it
    (not started), with the handler, memory and environment template.yaml gives it."""
    _, function = lambda_stack.the_function(cloudformation)
    count = iter(range(1000))

    def process(code: Path | None = None, **environment: str) -> FunctionProcess:
        return FunctionProcess(lambda_runtime.python, code or code_folder, lambda_runtime.folder, function["Handler"],
                               {**function_environment, **environment}, tmp_path / f"function-{next(count)}.log",
                               memory_mb=int(function["MemorySize"]), region=lambda_stack.REGION)
    return process


@pytest.fixture
def start_function(function_process, cloudformation):
    """`start_function(code=None, **environment)`: start the function as Lambda would, against a
    Runtime API stub of its own; keyword arguments add or replace environment variables."""
    _, function = lambda_stack.the_function(cloudformation)
    running: list[RunningFunction] = []

    def start(code: Path | None = None, **environment: str) -> RunningFunction:
        api = RuntimeApiStub(timeout_s=float(function["Timeout"])).__enter__()
        running.append(RunningFunction(api, function_process(code, **environment).start(api)))
        return running[-1]

    yield start
    for function_run in running:
        function_run.process.stop()
        function_run.api.__exit__(None, None, None)
