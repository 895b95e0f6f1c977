"""Paths the tests share (importable as `support`: pytest puts tests/ on the path)."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
SHARED_ALEXA_FIXTURES = REPO.parent / "shared" / "fixtures" / "alexa-app"


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
