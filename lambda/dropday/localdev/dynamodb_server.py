"""DynamoDB for local conversations: a moto server on loopback, or any endpoint, with the state table.

The server runs in a thread of this process and keeps its data in memory, so listener state lasts
as long as the process. It speaks the real DynamoDB HTTP API, so the skill's boto3 calls go over
the wire exactly as in Lambda.
"""

from __future__ import annotations

import logging
import os
from typing import Any

#: Local-only credentials and region for a loopback endpoint (never real AWS).
LOCAL_CREDENTIALS = {"aws_access_key_id": "local", "aws_secret_access_key": "local"}
DEFAULT_REGION = "eu-west-1"


class LocalDynamoDB:
    """A moto DynamoDB server on 127.0.0.1 (a free port), for use as a context manager.

    `endpoint` is its URL once started; `resource()` gives a boto3 resource pointed at it.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host, self.port = host, port
        self._server = None

    @property
    def endpoint(self) -> str:
        """The server's URL (`http://127.0.0.1:<port>`)."""
        if self._server is None:
            raise RuntimeError("the DynamoDB server is not running")
        host, port = self._server.get_host_and_port()
        return f"http://{host}:{port}"

    def start(self) -> LocalDynamoDB:
        """Start serving (returns once the port is bound)."""
        from moto.server import ThreadedMotoServer

        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
        self._server = ThreadedMotoServer(ip_address=self.host, port=self.port, verbose=False)
        self._server.start()
        return self

    def stop(self) -> None:
        """Stop serving and free the port (the data is gone)."""
        if self._server is None:
            return
        server, self._server = self._server, None
        server.stop()
        wsgi = getattr(server, "_server", None)
        if wsgi is not None:
            wsgi.server_close()

    def resource(self):
        """A boto3 DynamoDB resource for this server."""
        return dynamodb_resource(self.endpoint)

    def __enter__(self) -> LocalDynamoDB:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def dynamodb_resource(endpoint: str | None):
    """A boto3 DynamoDB resource: at `endpoint` (a URL; local credentials unless the environment
    has some), or real AWS with the standard configuration when `endpoint` is None."""
    import boto3
    return boto3.resource("dynamodb", **_connection(endpoint))


def dynamodb_client(endpoint: str | None):
    """A plain DynamoDB client for the skill, connected like `dynamodb_resource(endpoint)` (a
    resource's own client rewrites attribute values, which the skill's adapter writes itself)."""
    import boto3
    return boto3.client("dynamodb", **_connection(endpoint))


def _connection(endpoint: str | None) -> dict[str, Any]:
    from botocore.config import Config

    config = Config(connect_timeout=2, read_timeout=5, retries={"mode": "standard", "total_max_attempts": 2})
    if endpoint is None:
        return {"config": config}
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or DEFAULT_REGION
    credentials: dict[str, Any] = {} if os.environ.get("AWS_ACCESS_KEY_ID") else dict(LOCAL_CREDENTIALS)
    if _is_loopback(endpoint):
        credentials = dict(LOCAL_CREDENTIALS)  # a local server never needs (nor gets) real keys
    return {"endpoint_url": endpoint, "region_name": region, "config": config, **credentials}


def ensure_state_table(resource, name: str) -> bool:
    """Create the listener-state table as template.yaml declares it, unless it exists.

    Key `id` (string), on-demand billing, TTL on `expires_at`. Returns True when it was created.
    """
    client = resource.meta.client
    try:
        client.describe_table(TableName=name)
        return False
    except client.exceptions.ResourceNotFoundException:
        pass
    client.create_table(TableName=name, KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                        BillingMode="PAY_PER_REQUEST")
    client.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 0.1, "MaxAttempts": 50})
    try:
        client.update_time_to_live(TableName=name, TimeToLiveSpecification={"Enabled": True,
                                                                            "AttributeName": "expires_at"})
    except Exception:  # TTL is bookkeeping; some local servers do not implement it
        pass
    return True


def _is_loopback(endpoint: str) -> bool:
    from urllib.parse import urlsplit

    return (urlsplit(endpoint).hostname or "") in ("127.0.0.1", "localhost", "::1")
