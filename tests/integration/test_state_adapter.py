"""The state adapter writes the same DynamoDB values boto3 would, and reads them back."""

from __future__ import annotations

from decimal import Decimal

import pytest
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

from dropday.aws import from_dynamodb, to_dynamodb

STATE = {"v": 1, "heard": "AbCdEfGhIjKl", "rotation": 0, "visits": 12, "last_visit": "2027-01-02",
         "tz": "Pacific/Auckland", "flags": [True, None, "x", {"nested": Decimal("2.5")}]}


def test_values_are_written_as_boto3_would_write_them():
    assert to_dynamodb(STATE) == TypeSerializer().serialize(STATE)


def test_values_read_back_as_boto3_would_read_them():
    stored = TypeSerializer().serialize(STATE)
    assert from_dynamodb(stored) == TypeDeserializer().deserialize(stored)
    assert from_dynamodb(stored)["visits"] == Decimal(12)


def test_types_state_never_holds_are_refused():
    with pytest.raises(TypeError, match="cannot store a float"):
        to_dynamodb({"x": 1.5})
