"""template.yaml's prize-draw table: its own table, least privilege, entries that expire."""

from __future__ import annotations

import pytest

from dropday.aws import EXPIRES_AT
from dropday.config import Settings
from support import REPO


@pytest.fixture(scope="module")
def template():
    from cfnlint.decode import decode
    decoded, problems = decode(str(REPO / "template.yaml"))
    assert not problems
    return decoded


def _statements(template):
    for policy in template["Resources"]["SkillFunction"]["Properties"]["Policies"]:
        yield from policy.get("Statement", [])


def test_the_function_may_only_put_and_delete_draw_entries_never_read_them(template):
    on_draw = [s for s in _statements(template) if "DrawTable" in str(s.get("Resource"))]
    assert len(on_draw) == 1
    assert sorted(on_draw[0]["Action"]) == ["dynamodb:DeleteItem", "dynamodb:PutItem"]
    assert on_draw[0]["Resource"] == {"Fn::GetAtt": ["DrawTable", "Arn"]}
    assert not any("*" in str(s.get("Resource")) and "dynamodb" in str(s.get("Action")) for s in _statements(template))


def test_entries_expire_by_ttl_and_are_not_kept_in_backups(template):
    table = template["Resources"]["DrawTable"]["Properties"]
    assert table["TimeToLiveSpecification"] == {"AttributeName": EXPIRES_AT, "Enabled": True}
    assert "PointInTimeRecoverySpecification" not in table
    assert table["SSESpecification"] == {"SSEEnabled": True}
    assert [k["AttributeName"] for k in table["KeySchema"]] == ["campaign", "entrant"]


def test_the_function_is_told_its_draw_table_and_grace_period(template):
    variables = template["Resources"]["SkillFunction"]["Properties"]["Environment"]["Variables"]
    assert variables["DRAW_TABLE"] == {"Ref": "DrawTable"}
    assert variables["DRAW_GRACE_DAYS"] == {"Ref": "DrawGraceDays"}
    settings = Settings.from_env({"DRAW_TABLE": "stack-draw", "DRAW_GRACE_DAYS": "14"})
    assert (settings.draw_table, settings.draw_grace_days) == ("stack-draw", 14)
