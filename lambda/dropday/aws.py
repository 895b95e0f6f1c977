"""The only module that touches AWS: DynamoDB for listener state, and the prize draw's entries.

The adapter keeps the ASK SDK `DynamoDbAdapter`'s conventions (one item per user id in the
partition key `id`, the attributes as a map in `attributes`, `user_id_partition_keygen`,
`PersistenceException` from the SDK interface) but talks to DynamoDB through a plain botocore
client: importing `ask_sdk_dynamodb.adapter` imports boto3 and builds a boto3 resource, about
70 ms of every cold start that a client does not cost.

Every call is bounded (short timeouts, no botocore retries) and throttling gets a small retry
budget of our own, so a DynamoDB that is slow or gone costs a listener about a second, never the
8 s Alexa waits. Writes are conditional on a version number, so two devices of one listener
cannot overwrite each other's progress. An item this code cannot read can be kept aside
(`set_aside`) under `<user id>#unreadable` for a month before a fresh state replaces it.
"""

import hashlib
import json
import logging
import random
import re
import time
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

import botocore.session
from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.exceptions import PersistenceException
from ask_sdk_dynamodb.partition_keygen import user_id_partition_keygen
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from .config import Settings

logger = logging.getLogger(__name__)

#: One attempt per call at the botocore level, with short timeouts: a DynamoDB that does not
#: answer costs at most connect + read timeout. Throttling and DynamoDB's own transient errors
#: (`_RETRYABLE`) are retried by `_with_retries`.
CLIENT_CONFIG = Config(connect_timeout=0.4, read_timeout=0.6, retries={"mode": "standard", "total_max_attempts": 1})
#: The table's TTL attribute (template.yaml): epoch seconds after which DynamoDB deletes the item.
EXPIRES_AT = "expires_at"
#: Item version for conditional writes; absent on items written before versioning.
VERSION = "version"
#: Suffix of the key under which an item the skill cannot read is kept aside (Alexa ids have no "#"),
#: and for how long (seconds).
SET_ASIDE_SUFFIX = "#unreadable"
SET_ASIDE_SECONDS = 30 * 86400
_WHOLE_VERSION = re.compile(r"^[1-9][0-9]{0,14}$")
_RETRYABLE = {"ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded",
              "InternalServerError", "ServiceUnavailable", "LimitExceededException"}


class StateStoreError(Exception):
    """DynamoDB could not be used for this request (unreachable, slow, throttled, denied...)."""


class StoredAttributes(NamedTuple):
    """A listener's item as read.

    Attributes:
        attributes: the stored `attributes` as Python values: a dict for every item this code
            writes, but whatever an item it did not write holds (a list, text, None, a set...);
            an empty dict when there is no item; None when it cannot be decoded at all.
        version: the item's version (the next write stores `version + 1`); 0 when there is no
            item or it is from before versioning.
        version_as_stored: the `version` attribute exactly as stored when it is not a whole
            number from 1 up (text, a fraction, 0...): the next write is conditional on that
            value and repairs it. None otherwise.
        item: the whole item as DynamoDB holds it, for `set_aside`; None when there is none.
    """

    attributes: Any
    version: int
    version_as_stored: Mapping[str, Any] | None = None
    item: Mapping[str, Any] | None = None


class VersionedDynamoDbAdapter(AbstractPersistenceAdapter):
    """Listener attributes in DynamoDB with versioned reads, conditional writes, TTL stamping and
    bounded calls, in the table layout of the ASK SDK's `DynamoDbAdapter`.

    `get_attributes`/`save_attributes`/`delete_attributes` work as the SDK expects; the skill
    itself uses `load` and `save_if_version`.
    """

    def __init__(self, table_name: str, client, ttl_seconds: int, expires_no_later_than: int | None = None,
                 partition_key_name: str = "id", attribute_name: str = "attributes",
                 partition_keygen: Callable[[Any], str] = user_id_partition_keygen,
                 throttle_retries: int = 2, sleep: Callable[[float], None] = time.sleep) -> None:
        self.table_name = table_name
        self.client = client
        self.ttl_seconds = ttl_seconds
        self.expires_no_later_than = expires_no_later_than
        self.partition_key_name = partition_key_name
        self.attribute_name = attribute_name
        self.partition_keygen = partition_keygen
        self.throttle_retries = throttle_retries
        self.sleep = sleep

    def load(self, request_envelope) -> StoredAttributes:
        """The listener's attributes and version (empty, version 0, for a new listener).

        Raises:
            StateStoreError: when the store cannot be read, or the request names no user.
        """
        key = self._key(request_envelope)
        item = self._with_retries(lambda: self.client.get_item(
            TableName=self.table_name, Key=key, ConsistentRead=True)).get("Item") or {}
        attributes = _decoded(item[self.attribute_name]) if self.attribute_name in item else {}
        version, as_stored = _version(item.get(VERSION))
        return StoredAttributes(attributes, version, as_stored, item or None)

    def save_if_version(self, request_envelope, attributes: Mapping[str, Any], version: int,
                        version_as_stored: Mapping[str, Any] | None = None) -> bool:
        """Write `attributes` as version `version + 1` if the stored version is still `version`.

        Args:
            version_as_stored: `StoredAttributes.version_as_stored`: when given, the write is
                conditional on the stored version being exactly that value instead.

        Returns:
            True when written; False when another request wrote first (re-read and try again).

        Raises:
            StateStoreError: when the store cannot be written.
        """
        item = {**self._key(request_envelope), self.attribute_name: to_dynamodb(dict(attributes)),
                VERSION: to_dynamodb(version + 1), EXPIRES_AT: to_dynamodb(self.expires_at())}
        # Version 0 means nothing versioned was read (no item, or one from before versioning). An
        # item read at version N must still be there at N: a write may not resurrect an item that
        # was deleted meanwhile (the listener disabled the skill).
        if version_as_stored is not None:
            condition = {"ConditionExpression": "#version = :read",
                         "ExpressionAttributeValues": {":read": dict(version_as_stored)}}
        elif version == 0:
            condition = {"ConditionExpression": "attribute_not_exists(#version)"}
        else:
            condition = {"ConditionExpression": "#version = :read",
                         "ExpressionAttributeValues": {":read": to_dynamodb(version)}}
        try:
            self._with_retries(lambda: self.client.put_item(
                TableName=self.table_name, Item=item, ExpressionAttributeNames={"#version": VERSION}, **condition))
        except StateStoreError as exc:
            if _condition_failed(exc):
                return False
            raise
        return True

    def set_aside(self, request_envelope, stored: StoredAttributes) -> None:
        """Keep a copy of an item the skill cannot read, under `<user id>#unreadable`, for
        `SET_ASIDE_SECONDS` (a month, or less when the campaign's state expires sooner), so that
        it can still be looked into once a fresh state has replaced it. A copy already kept is
        left as it is.

        Raises:
            StateStoreError: when the copy cannot be written (then the original must stay too).
        """
        key = self._key(request_envelope)
        copy_key = {self.partition_key_name: {"S": key[self.partition_key_name]["S"] + SET_ASIDE_SUFFIX}}
        kept = {name: value for name, value in (stored.item or {}).items()
                if name not in (self.partition_key_name, EXPIRES_AT)}
        expires = int(time.time()) + SET_ASIDE_SECONDS
        if self.expires_no_later_than:
            expires = min(expires, self.expires_no_later_than)
        try:
            self._with_retries(lambda: self.client.put_item(
                TableName=self.table_name, Item={**kept, **copy_key, EXPIRES_AT: to_dynamodb(expires)},
                ConditionExpression="attribute_not_exists(#key)",
                ExpressionAttributeNames={"#key": self.partition_key_name}))
        except StateStoreError as exc:
            if not _condition_failed(exc):
                raise

    def expires_at(self) -> int:
        """When an item written now should expire (epoch seconds)."""
        expires = int(time.time()) + self.ttl_seconds
        return min(expires, self.expires_no_later_than) if self.expires_no_later_than else expires

    # The SDK's interface, for code that goes through AttributesManager.

    def get_attributes(self, request_envelope) -> dict[str, Any]:
        """The listener's attributes (the SDK's contract)."""
        return self._as_persistence_error(lambda: self.load(request_envelope).attributes)

    def save_attributes(self, request_envelope, attributes) -> None:
        """Unconditional write (the SDK's contract); bumps the version so versioned writers notice."""
        key = self._key_or_persistence_error(request_envelope)
        self._as_persistence_error(lambda: self._with_retries(lambda: self.client.update_item(
            TableName=self.table_name, Key=key,
            UpdateExpression="SET #attrs = :attrs, #expires = :expires ADD #version :one",
            ExpressionAttributeNames={"#attrs": self.attribute_name, "#expires": EXPIRES_AT, "#version": VERSION},
            ExpressionAttributeValues={":attrs": to_dynamodb(dict(attributes)),
                                       ":expires": to_dynamodb(self.expires_at()), ":one": to_dynamodb(1)})))

    def delete_attributes(self, request_envelope) -> None:
        """Delete everything stored about the listener: their item, and any copy kept aside."""
        key = self._key_or_persistence_error(request_envelope)
        copy_key = {self.partition_key_name: {"S": key[self.partition_key_name]["S"] + SET_ASIDE_SUFFIX}}
        for each in (key, copy_key):
            self._as_persistence_error(lambda each=each: self._with_retries(lambda: self.client.delete_item(
                TableName=self.table_name, Key=each)))

    # Internals.

    def _key(self, request_envelope) -> dict[str, Any]:
        try:
            user_id = self.partition_keygen(request_envelope)
        except Exception as exc:  # the request names no user
            raise StateStoreError(f"no user id in the request: {exc}") from exc
        if not isinstance(user_id, str) or not user_id or "#" in user_id or not _is_text(user_id):
            raise StateStoreError("the request's user id is not one Alexa gives (empty, not text, or with a '#')")
        return {self.partition_key_name: {"S": user_id}}

    def _key_or_persistence_error(self, request_envelope) -> dict[str, Any]:
        return self._as_persistence_error(lambda: self._key(request_envelope))

    def _with_retries(self, call: Callable[[], Any]) -> Any:
        return with_retries(call, self.throttle_retries, self.sleep)

    @staticmethod
    def _as_persistence_error(call: Callable[[], Any]) -> Any:
        try:
            return call()
        except StateStoreError as exc:
            raise PersistenceException(str(exc)) from exc


def with_retries(call: Callable[[], Any], throttle_retries: int = 2, sleep: Callable[[float], None] = time.sleep) -> Any:
    """`call()`, retried with a short backoff when DynamoDB throttles or reports a transient
    error of its own; any failure -> StateStoreError."""
    for attempt in range(throttle_retries + 1):
        try:
            return call()
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code not in _RETRYABLE or attempt == throttle_retries:
                raise StateStoreError(f"{code}: {exc}") from exc
            sleep(0.05 * 2 ** attempt * (0.5 + random.random()))
        except (BotoCoreError, OSError) as exc:  # timeouts, refused connections, unknown hosts
            raise StateStoreError(f"{type(exc).__name__}: {exc}") from exc
    raise AssertionError("unreachable")


class DrawEntries:
    """The prize draw's entries, in their own table (template.yaml `DrawTable`).

    One item per listener and campaign: `campaign` (partition key), `entrant` (sort key: a hash
    of the campaign and the Alexa user id, never the id itself), `entered_at` (UTC), `contact`
    (the email address they allowed) and `expires_at` (the table's TTL). Nothing else. The skill
    may only put and delete items (least privilege: it can never read the entries back);
    `dropday draw` reads them with the content team's own credentials. Calls are bounded as for
    listener state.

    Attributes:
        grace_days: days after the draw closes that entries are kept before the TTL deletes them.
    """

    def __init__(self, table_name: str, client, grace_days: int, throttle_retries: int = 2,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.table_name = table_name
        self.client = client
        self.grace_days = grace_days
        self.throttle_retries = throttle_retries
        self.sleep = sleep

    def enter(self, campaign: str, entrant: str, contact: str, entered_at: datetime, expires_at: int) -> None:
        """Write (or rewrite) the listener's entry.

        Raises:
            StateStoreError: when the table cannot be written.
        """
        item = {"campaign": {"S": campaign}, "entrant": {"S": entrant}, "contact": {"S": contact},
                "entered_at": {"S": entered_at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")},
                EXPIRES_AT: {"N": str(expires_at)}}
        with_retries(lambda: self.client.put_item(TableName=self.table_name, Item=item),
                     self.throttle_retries, self.sleep)

    def withdraw(self, campaign: str, entrant: str) -> None:
        """Delete the listener's entry, if there is one.

        Raises:
            StateStoreError: when the table cannot be written.
        """
        with_retries(lambda: self.client.delete_item(
            TableName=self.table_name, Key={"campaign": {"S": campaign}, "entrant": {"S": entrant}}),
            self.throttle_retries, self.sleep)


def entrant_key(campaign: str, user_id: str) -> str:
    """The draw table's key for a listener: 128 bits of SHA-256 over the campaign and their user id."""
    return hashlib.sha256(f"{campaign}\n{user_id}".encode()).hexdigest()[:32]


def to_dynamodb(value: Any) -> dict[str, Any]:
    """A Python value as a DynamoDB attribute value (what boto3's TypeSerializer does for these types).

    Raises:
        TypeError: for types listener state never holds (floats, sets, bytes...).
    """
    if isinstance(value, bool):
        return {"BOOL": value}
    if value is None:
        return {"NULL": True}
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, (int, Decimal)):
        return {"N": str(value)}
    if isinstance(value, Mapping):
        return {"M": {str(k): to_dynamodb(v) for k, v in value.items()}}
    if isinstance(value, (list, tuple)):
        return {"L": [to_dynamodb(v) for v in value]}
    raise TypeError(f"cannot store a {type(value).__name__} in listener state")


def from_dynamodb(value: Mapping[str, Any]) -> Any:
    """A DynamoDB attribute value as Python; numbers come back as `Decimal`, sets as sets, as from boto3.

    Raises:
        ValueError: for a value that is not a DynamoDB attribute value.
    """
    [(kind, data)] = value.items()
    if kind in ("S", "BOOL", "B"):
        return data
    if kind == "N":
        return Decimal(data)
    if kind == "NULL":
        return None
    if kind == "M":
        return {k: from_dynamodb(v) for k, v in data.items()}
    if kind == "L":
        return [from_dynamodb(v) for v in data]
    if kind in ("SS", "BS"):
        return set(data)
    if kind == "NS":
        return {Decimal(n) for n in data}
    raise ValueError(f"unexpected DynamoDB type {kind} in listener state")


def _decoded(value: Any) -> Any:
    """A stored attribute as Python, or None when it is not even a DynamoDB value."""
    try:
        return from_dynamodb(value)
    except (ValueError, TypeError, ArithmeticError, AttributeError):
        return None


def _version(stored: Mapping[str, Any] | None) -> tuple[int, Mapping[str, Any] | None]:
    """The item's version, and the stored value when it is not a whole number from 1 up.

    Such a value (text such as "7", a fraction, 0, any other type) can never match a version this
    code writes, so it is returned as it is, for the next write's condition; the version that
    write stores follows the number it held, when it held one (7.5 -> 8), so it never goes back.
    """
    if stored is None:
        return 0, None
    number = next(iter(stored.values()), None) if isinstance(stored, Mapping) and len(stored) == 1 else None
    if isinstance(number, str) and "N" in stored and _WHOLE_VERSION.match(number):
        return int(number), None
    try:
        held = Decimal(number.strip()) if isinstance(number, str) else Decimal(0)
        return (max(0, int(held)) if held.is_finite() and abs(held) < 10 ** 15 else 0), stored
    except ArithmeticError:
        return 0, stored


def _condition_failed(exc: StateStoreError) -> bool:
    return isinstance(exc.__cause__, ClientError) and \
        exc.__cause__.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException"


def _is_text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: no DynamoDB key, and no hash, can be made of it
        return False
    return True


#: botocore's data cut down to what this module uses (scripts/pack_botocore_data.py), which
#: lambda/Makefile packs beside this module; absent in the source tree, where botocore reads its own.
PACKED_ENDPOINTS = Path(__file__).with_name("aws_endpoints.json")
PACKED_MODELS = Path(__file__).with_name("aws_models")
#: The DynamoDB operations this module calls, and DescribeEndpoints, which botocore calls itself
#: when endpoint discovery is turned on: the packed service model holds only these.
DYNAMODB_OPERATIONS = ("GetItem", "PutItem", "UpdateItem", "DeleteItem", "DescribeEndpoints")


def make_dynamodb_client(packed_endpoints: Path = PACKED_ENDPOINTS, packed_models: Path = PACKED_MODELS):
    """A DynamoDB client with short timeouts (region and endpoint from the environment, e.g.
    AWS_REGION and AWS_ENDPOINT_URL_DYNAMODB), from a session that knows only DynamoDB."""
    session = botocore.session.Session(include_builtin_handlers=False)
    register_builtin_handlers(session, "dynamodb")
    # The loader checks a service name against every service it knows, listing about 400 folders of
    # botocore's data on each cold start (about 20 ms of the 65 ms this call takes): this session
    # only ever makes a DynamoDB client.
    session.get_component("data_loader").list_available_services = lambda type_name: ["dynamodb"]
    use_packed_endpoints(session, packed_endpoints)
    use_packed_models(session, packed_models)
    return session.create_client("dynamodb", config=CLIENT_CONFIG)


def register_builtin_handlers(session, service: str) -> int:
    """Register on `session` (made with `include_builtin_handlers=False`) botocore's built-in event
    handlers that can fire for a client of `service`: those of no particular service and those of
    `service`. The other 80-odd are for other services' clients and for generated documentation;
    registering them all is about 8 ms of a cold start. Returns how many were registered."""
    from botocore import handlers

    emitter = session.get_component("event_emitter")
    registered = 0
    for event, handler, *how in handlers.BUILTIN_HANDLERS:
        parts = event.split(".")
        if parts[0] == "docs" or (len(parts) > 1 and parts[1] not in (service, "*")):
            continue
        if how and how[0] is handlers.REGISTER_FIRST:
            emitter.register_first(event, handler)
        elif how and how[0] is handlers.REGISTER_LAST:
            emitter.register_last(event, handler)
        else:
            emitter.register(event, handler)
        registered += 1
    return registered


def use_packed_models(session, folder: Path) -> bool:
    """Let `session` read service models from `folder` first (DynamoDB's, cut down to
    `DYNAMODB_OPERATIONS`: about 20 KB of JSON where botocore's own is 490 KB, gzipped, parsed into
    ordered dicts on every cold start). Returns whether it does: without the folder, or with a
    botocore whose loader keeps its search paths differently, the session reads its own models."""
    if not folder.is_dir():
        return False
    try:
        session.get_component("data_loader").search_paths.insert(0, str(folder))
    except AttributeError:
        logger.warning("this botocore's loader keeps its search paths elsewhere: it reads its own models")
        return False
    return True


def use_packed_endpoints(session, path: Path) -> bool:
    """Let `session` place its clients with the endpoint data at `path` (botocore's own, cut down
    to DynamoDB) rather than read botocore's whole `endpoints.json`, 1.2 MB and about 25 ms of a
    cold start on Lambda. Returns whether it does: without the file, or with a botocore that keeps
    its components differently, the session reads its own data as usual."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return False
    except (OSError, ValueError) as exc:
        logger.warning("packed endpoint data %s unreadable, botocore reads its own: %s", path, exc)
        return False
    from botocore.regions import EndpointResolver
    try:
        # Marked as botocore's built-in data, which it is (cut down): DynamoDB's endpoint rules then
        # compute the endpoint exactly as they do with the whole file.
        session._internal_components.register_component("endpoint_resolver",
                                                        EndpointResolver(data, uses_builtin_data=True))
    except AttributeError:
        logger.warning("this botocore keeps its endpoint resolver elsewhere: it reads its own endpoint data")
        return False
    return True


def make_persistence_adapter(settings: Settings, dynamodb_client=None,
                             expires_no_later_than: int | None = None) -> VersionedDynamoDbAdapter:
    """Per-listener state in `settings.state_table`, keyed by Alexa user id.

    The table is declared in template.yaml; the adapter never creates it.

    Args:
        settings: table name and TTL.
        dynamodb_client: a botocore/boto3 DynamoDB client (tests pass moto's); made from the
            environment when None.
        expires_no_later_than: epoch seconds no item may outlive (the campaign's end plus TTL).
    """
    return VersionedDynamoDbAdapter(settings.state_table, dynamodb_client or make_dynamodb_client(),
                                    settings.state_ttl_days * 86400, expires_no_later_than)


def make_draw_entries(settings: Settings, dynamodb_client=None) -> DrawEntries:
    """The prize draw's entries in `settings.draw_table` (declared in template.yaml; never created here)."""
    return DrawEntries(settings.draw_table, dynamodb_client or make_dynamodb_client(), settings.draw_grace_days)
