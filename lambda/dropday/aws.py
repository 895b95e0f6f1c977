"""The only module that touches AWS: DynamoDB for listener state."""

from __future__ import annotations

import contextlib
import os
import time

import boto3
from ask_sdk_core.exceptions import PersistenceException
from botocore.config import Config

from .config import Settings, aws_region_is_set


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

#: Bounded calls: a DynamoDB that does not answer must not hold the listener for long.
CLIENT_CONFIG = Config(connect_timeout=1, read_timeout=1, retries={"mode": "standard", "total_max_attempts": 2})
#: The table's TTL attribute (template.yaml): epoch seconds after which DynamoDB deletes the item.
EXPIRES_AT = "expires_at"


class ExpiringDynamoDbAdapter(DynamoDbAdapter):
    """`DynamoDbAdapter` whose writes also stamp the TTL attribute `expires_at`."""

    def __init__(self, table_name: str, dynamodb_resource, ttl_seconds: int) -> None:
        super().__init__(table_name=table_name, create_table=False, dynamodb_resource=dynamodb_resource)
        self.ttl_seconds = ttl_seconds

    def save_attributes(self, request_envelope, attributes) -> None:
        """Write the listener's attributes with a fresh expiry (one PutItem)."""
        try:
            self.dynamodb.Table(self.table_name).put_item(Item={
                self.partition_key_name: self.partition_keygen(request_envelope),
                self.attribute_name: attributes,
                EXPIRES_AT: int(time.time()) + self.ttl_seconds,
            })
        except Exception as exc:
            raise PersistenceException(f"Failed to save attributes to DynamoDb table {self.table_name}: "
                                       f"{type(exc).__name__}: {exc}") from exc


def make_dynamodb_resource():
    """A DynamoDB resource with short timeouts and a small retry budget."""
    return boto3.resource("dynamodb", config=CLIENT_CONFIG)


def make_persistence_adapter(settings: Settings, dynamodb_resource=None) -> ExpiringDynamoDbAdapter:
    """Per-listener state in `settings.state_table`, keyed by Alexa user id.

    The table is declared in template.yaml; the adapter never creates it.
    """
    return ExpiringDynamoDbAdapter(settings.state_table, dynamodb_resource or make_dynamodb_resource(),
                                   settings.state_ttl_days * 86400)
