"""The only module that touches AWS: DynamoDB for listener state.

Every call is bounded (short timeouts, no botocore retries on timeouts) and throttling gets a
small retry budget of our own, so a DynamoDB that is slow or gone costs a listener about a
second, never the whole 8 s Alexa waits. Writes are conditional on a version number, so two
devices of one listener cannot overwrite each other's progress.
"""

from __future__ import annotations

import contextlib
import logging
import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from .config import Settings, aws_region_is_set

logger = logging.getLogger(__name__)


@contextlib.contextmanager
def _placeholder_region_if_unset():
    """`ask_sdk_dynamodb.adapter` builds a boto3 resource at import, which needs a region.

    That default resource is never used (we always pass our own), so when the environment has no
    region a placeholder is set for the import only.
    """
    if aws_region_is_set():
        yield
        return
    os.environ["AWS_DEFAULT_REGION"] = "us-east-1"
    try:
        yield
    finally:
        del os.environ["AWS_DEFAULT_REGION"]


with _placeholder_region_if_unset():
    from ask_sdk_dynamodb.adapter import DynamoDbAdapter

#: One attempt per call at the botocore level, with short timeouts: a DynamoDB that does not
#: answer costs at most connect + read timeout. Throttling is retried by `_with_retries`.
CLIENT_CONFIG = Config(connect_timeout=0.4, read_timeout=0.6, retries={"mode": "standard", "total_max_attempts": 1})
#: The table's TTL attribute (template.yaml): epoch seconds after which DynamoDB deletes the item.
EXPIRES_AT = "expires_at"
#: Item version for conditional writes; absent on items written before versioning.
VERSION = "version"
_THROTTLED = {"ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded",
              "InternalServerError", "ServiceUnavailable", "LimitExceededException"}


class StateStoreError(Exception):
    """DynamoDB could not be used for this request (unreachable, slow, throttled, denied...)."""


@dataclass(frozen=True)
class StoredAttributes:
    """A listener's attributes as read, with the version a conditional write must match."""

    attributes: dict[str, Any]
    version: int


class VersionedDynamoDbAdapter(DynamoDbAdapter):
    """`DynamoDbAdapter` (same table layout: `id` and `attributes`) with versioned reads and
    conditional writes, TTL stamping and bounded calls.

    `get_attributes`/`save_attributes`/`delete_attributes` keep working as the SDK expects;
    the skill itself uses `load` and `save_if_version`.
    """

    def __init__(self, table_name: str, dynamodb_resource, ttl_seconds: int, expires_no_later_than: int | None = None,
                 throttle_retries: int = 2, sleep: Callable[[float], None] = time.sleep) -> None:
        super().__init__(table_name=table_name, create_table=False, dynamodb_resource=dynamodb_resource)
        self.ttl_seconds = ttl_seconds
        self.expires_no_later_than = expires_no_later_than
        self.throttle_retries = throttle_retries
        self.sleep = sleep
        self.table = dynamodb_resource.Table(table_name)

    def load(self, request_envelope) -> StoredAttributes:
        """The listener's attributes and version (empty, version 0, for a new listener).

        Raises:
            StateStoreError: when the store cannot be read, or the request names no user.
        """
        key = self._key(request_envelope)
        item = self._with_retries(lambda: self.table.get_item(Key=key, ConsistentRead=True)).get("Item") or {}
        return StoredAttributes(dict(item.get(self.attribute_name) or {}), int(item.get(VERSION, 0)))

    def save_if_version(self, request_envelope, attributes: dict[str, Any], version: int) -> bool:
        """Write `attributes` as version `version + 1` if the stored version is still `version`.

        Returns:
            True when written; False when another request wrote first (re-read and try again).

        Raises:
            StateStoreError: when the store cannot be written.
        """
        item = {**self._key(request_envelope), self.attribute_name: attributes, VERSION: version + 1,
                EXPIRES_AT: self.expires_at()}
        try:
            self._with_retries(lambda: self.table.put_item(
                Item=item, ConditionExpression="attribute_not_exists(#version) OR #version = :read",
                ExpressionAttributeNames={"#version": VERSION}, ExpressionAttributeValues={":read": version}))
        except StateStoreError as exc:
            if isinstance(exc.__cause__, ClientError) and \
                    exc.__cause__.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def expires_at(self) -> int:
        """When an item written now should expire (epoch seconds)."""
        expires = int(time.time()) + self.ttl_seconds
        return min(expires, self.expires_no_later_than) if self.expires_no_later_than else expires

    # The SDK's interface, for code that goes through AttributesManager.

    def get_attributes(self, request_envelope) -> dict[str, Any]:
        return self._as_persistence_error(lambda: self.load(request_envelope).attributes)

    def save_attributes(self, request_envelope, attributes) -> None:
        """Unconditional write (the SDK's contract); bumps the version so versioned writers notice."""
        key = self._key(request_envelope)
        self._as_persistence_error(lambda: self._with_retries(lambda: self.table.update_item(
            Key=key, UpdateExpression="SET #attrs = :attrs, #expires = :expires ADD #version :one",
            ExpressionAttributeNames={"#attrs": self.attribute_name, "#expires": EXPIRES_AT, "#version": VERSION},
            ExpressionAttributeValues={":attrs": attributes, ":expires": self.expires_at(), ":one": 1})))

    def delete_attributes(self, request_envelope) -> None:
        """Delete everything stored about the listener."""
        key = self._key(request_envelope)
        self._as_persistence_error(lambda: self._with_retries(lambda: self.table.delete_item(Key=key)))

    # Internals.

    def _key(self, request_envelope) -> dict[str, str]:
        try:
            return {self.partition_key_name: self.partition_keygen(request_envelope)}
        except Exception as exc:  # the request names no user
            raise StateStoreError(f"no user id in the request: {exc}") from exc

    def _with_retries(self, call: Callable[[], Any]) -> Any:
        """`call()`, retried with a short backoff when DynamoDB throttles; any failure -> StateStoreError."""
        for attempt in range(self.throttle_retries + 1):
            try:
                return call()
            except ClientError as exc:
                code = exc.response.get("Error", {}).get("Code", "")
                if code not in _THROTTLED or attempt == self.throttle_retries:
                    raise StateStoreError(f"{code}: {exc}") from exc
                self.sleep(0.05 * 2 ** attempt * (0.5 + random.random()))
            except (BotoCoreError, OSError) as exc:  # timeouts, refused connections, unknown hosts
                raise StateStoreError(f"{type(exc).__name__}: {exc}") from exc
        raise AssertionError("unreachable")

    @staticmethod
    def _as_persistence_error(call: Callable[[], Any]) -> Any:
        from ask_sdk_core.exceptions import PersistenceException
        try:
            return call()
        except StateStoreError as exc:
            raise PersistenceException(str(exc)) from exc


def make_dynamodb_resource():
    """A DynamoDB resource with short timeouts (endpoint and region from the environment)."""
    return boto3.resource("dynamodb", config=CLIENT_CONFIG)


def make_persistence_adapter(settings: Settings, dynamodb_resource=None,
                             expires_no_later_than: int | None = None) -> VersionedDynamoDbAdapter:
    """Per-listener state in `settings.state_table`, keyed by Alexa user id.

    The table is declared in template.yaml; the adapter never creates it.

    Args:
        settings: table name and TTL.
        dynamodb_resource: a boto3 DynamoDB resource; made from the environment when None.
        expires_no_later_than: epoch seconds no item may outlive (the campaign's end plus TTL).
    """
    return VersionedDynamoDbAdapter(settings.state_table, dynamodb_resource or make_dynamodb_resource(),
                                    settings.state_ttl_days * 86400, expires_no_later_than)
