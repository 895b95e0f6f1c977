"""The services a local chat talks to: DynamoDB (a moto server on loopback, another endpoint, or
AWS) and the Alexa APIs' stub (Settings, Reminders, customer profile: `alexa_api.AlexaApiStub`),
started for the life of a `dropday chat`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any


class ChatError(Exception):
    """A chat that cannot start: a bad option, manifest or model (the message says which)."""


@dataclass
class Backend:
    """The services a chat talks to: DynamoDB (a boto3 resource to look at the table, and the
    plain client the skill uses) and the Alexa API stub at the requests' `apiEndpoint`: the Settings
    API's (`settings_api.SettingsApiStub`), or one that also answers the Reminders and customer
    profile APIs (`alexa_api.AlexaApiStub`, as `local_backend` starts).

    `create_table`: create the state table when missing (local servers start empty; a real AWS
    table is declared by template.yaml and never created here).
    """

    dynamodb: Any
    dynamodb_client: Any
    settings_api: Any
    create_table: bool = True


@contextmanager
def local_backend(endpoint: str | None = None, command: str = "dropday chat") -> Iterator[Backend]:
    """Start the Alexa API stub (Settings, Reminders, customer profile) and, without `endpoint`, a moto
    DynamoDB server on loopback.

    `endpoint` is a DynamoDB URL (DynamoDB Local, a moto server you keep running) or `aws` for
    real AWS with the standard configuration. `REQUESTS_CA_BUNDLE` trusts the stub meanwhile.

    Raises:
        ChatError: the development extras are not installed.
    """
    try:
        from .dynamodb_server import LocalDynamoDB, dynamodb_client, dynamodb_resource
        from .alexa_api import AlexaApiStub
        if endpoint is None:
            import moto.server  # noqa: F401 (fail here, with the fix, rather than mid-start)
    except ImportError as exc:
        raise ChatError(f"{command} needs the development extras ({exc.name} is missing): "
                        f".venv/bin/pip install -e '.[dev]'") from None

    with ExitStack() as stack:
        settings_api = stack.enter_context(AlexaApiStub())
        stack.enter_context(environment(REQUESTS_CA_BUNDLE=str(settings_api.ca_bundle),
                                        NO_PROXY=_no_proxy(), no_proxy=_no_proxy()))
        if endpoint is None:
            server = stack.enter_context(LocalDynamoDB())
            yield Backend(server.resource(), dynamodb_client(server.endpoint), settings_api)
        elif endpoint == "aws":
            yield Backend(dynamodb_resource(None), dynamodb_client(None), settings_api, create_table=False)
        else:
            yield Backend(dynamodb_resource(endpoint), dynamodb_client(endpoint), settings_api)


@contextmanager
def environment(**values: str) -> Iterator[None]:
    """Set environment variables for the duration, then put the old values back."""
    import os

    old = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in old.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _no_proxy() -> str:
    import os

    current = os.environ.get("NO_PROXY") or os.environ.get("no_proxy") or ""
    return ",".join(filter(None, [current, "127.0.0.1", "localhost"]))
