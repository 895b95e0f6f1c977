"""The listeners' Alexa accounts in `dropday chat`: what each listener allowed each skill, and their
own reminders and email address behind the Alexa API stub (`alexa_api.AlexaApiStub`).

Alexa knows a listener by a user id per skill; the chat gives each of those an account and an access
token of its own (`apiAccessToken`), and the stub hands each Reminders or customer profile request to
the account whose token it carries. Once a listener allowed a permission, every request to that skill
says so in `context.System.user.permissions` (a consent token, and the scope GRANTED), as Alexa's do.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from .profile_api import ProfileApiStub
from .reminders_api import RemindersApiStub

REMINDERS_SCOPE = "alexa::alerts:reminders:skill:readwrite"
EMAIL_SCOPE = "alexa::profile:email:read"


@dataclass
class Account:
    """One listener's account with one skill.

    Attributes:
        user_id: the listener's user id for the skill.
        token: the access token of their requests.
        allowed: the permission scopes they gave the skill.
        reminders: the reminders the skill set for them (the Reminders API's state).
        profile: their customer profile (the email address the skill may read once allowed).
    """

    user_id: str
    token: str
    allowed: set[str] = field(default_factory=set)
    reminders: RemindersApiStub = field(default_factory=RemindersApiStub)
    profile: ProfileApiStub = field(default_factory=ProfileApiStub)

    def allow(self, scope: str) -> None:
        """The listener allows `scope` (they said yes to Alexa's question)."""
        self.allowed.add(scope)

    def permissions(self) -> dict[str, Any] | None:
        """`context.System.user.permissions` of their requests (None while they allowed nothing)."""
        if not self.allowed:
            return None
        return {"consentToken": self.token.replace("access", "consent"),
                "scopes": {scope: {"status": "GRANTED"} for scope in sorted(self.allowed)}}


class Accounts:
    """Every listener's account in the chat, and the routes that serve them behind `api`.

    `api` is the Alexa API stub (an `AlexaApiStub`, with its `reminders` and `profile`); with a stub
    that has neither (the Settings API's alone), the accounts still keep what was allowed, and the
    skill's calls to the Reminders API find nothing there.
    """

    def __init__(self, api: Any = None) -> None:
        self.api = api
        self._accounts: dict[str, Account] = {}
        self._by_token: dict[str, Account] = {}

    @property
    def serves_apis(self) -> bool:
        """Whether the stub answers the Reminders and customer profile APIs."""
        return self.api is not None and hasattr(self.api, "reminders") and hasattr(self.api, "profile")

    def account(self, user_id: str) -> Account:
        """The account of `user_id` (one per listener and skill), made on first use."""
        if user_id not in self._accounts:
            token = "local-access-token-" + hashlib.sha256(user_id.encode()).hexdigest()[:16]
            name = user_id.rsplit(".", 1)[-1].lower()
            account = Account(user_id, token, profile=ProfileApiStub(email=f"{name}@example.com"))
            self._accounts[user_id] = self._by_token[token] = account
        return self._accounts[user_id]

    @contextmanager
    def serving(self) -> Iterator[Accounts]:
        """Route the stub's Reminders and customer profile requests to these accounts meanwhile."""
        if not self.serves_apis:
            yield self
            return
        before = self.api.reminders, self.api.profile
        self.api.reminders, self.api.profile = _Route(self, "reminders"), _Route(self, "profile")
        try:
            yield self
        finally:
            self.api.reminders, self.api.profile = before

    def answer(self, kind: str, method: str, path: str, headers: dict[str, str], body: bytes):
        """One request to the Reminders (`kind` reminders) or customer profile (`profile`) API."""
        token = headers.get("Authorization", "").removeprefix("Bearer ").strip()
        account = self._by_token.get(token)
        if account is None:  # nobody's token: the API's answer without permission (None for another API's path)
            stub = RemindersApiStub() if kind == "reminders" else ProfileApiStub()
            return stub.answer(method, path, headers, body)
        stub = account.reminders if kind == "reminders" else account.profile
        stub.granted = (REMINDERS_SCOPE if kind == "reminders" else EMAIL_SCOPE) in account.allowed
        return stub.answer(method, path, headers, body)


class _Route:
    """Stands in the stub for its Reminders or customer profile API."""

    def __init__(self, accounts: Accounts, kind: str) -> None:
        self.accounts, self.kind = accounts, kind

    def answer(self, method: str, path: str, headers: dict[str, str], body: bytes):
        return self.accounts.answer(self.kind, method, path, headers, body)
