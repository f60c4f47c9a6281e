"""The drafts API as a client sees it: JSON over the real URL conf, bearer tokens from the real action."""

from __future__ import annotations

import pytest

from govmedia.audit.models import AuditEvent
from govmedia.org.actions import issue_token
from govmedia.registry.models import Account

BASE = "/api/v1"
BODY = "<p>符合条件的人员可于12月31日前申领一次性就业补贴。</p>"


class Api:
    """The Django test client speaking JSON as one person (a fresh bearer token), or with no token."""

    def __init__(self, client, token: str | None):
        self.client, self.token = client, token

    def _headers(self) -> dict:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def get(self, path: str, **params):
        return self.client.get(BASE + path, params, headers=self._headers())

    def post(self, path: str, body=None):
        return self.client.post(BASE + path, body if body is not None else {}, content_type="application/json",
                                headers=self._headers())

    def patch(self, path: str, body: dict):
        return self.client.patch(BASE + path, body, content_type="application/json", headers=self._headers())

    def write(self, account: Account, **fields) -> dict:
        """POST /drafts with a complete normal draft; returns the created draft's body."""
        response = self.post("/drafts", {"account": account.pk, "title": "2026年度就业补贴申领指南", "body": BODY,
                                         **fields})
        assert response.status_code == 201, response.json()
        return response.json()

    def submit(self, draft: dict) -> dict:
        response = self.post(f"/drafts/{draft['id']}/submit")
        assert response.status_code == 200, response.json()
        return response.json()

    def approve(self, draft: dict, **fields) -> dict:
        response = self.post(f"/drafts/{draft['id']}/decisions", {"decision": "approve", **fields})
        assert response.status_code == 201, response.json()
        return response.json()

    def read(self, draft: dict) -> dict:
        response = self.get(f"/drafts/{draft['id']}")
        assert response.status_code == 200, response.json()
        return response.json()


@pytest.fixture
def api(client, bureau):
    """api(person) -> an Api holding a fresh token of that person; api() -> one without a token."""

    def as_(person=None) -> Api:
        return Api(client, issue_token(person, actor="测试") if person is not None else None)

    return as_


@pytest.fixture
def audit():
    """audit.mark() before the requests; audit.new() -> the event types written since, oldest first."""

    class Audit:
        seq = 0

        def mark(self):
            self.seq = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0

        def new(self) -> list[int]:
            return list(AuditEvent.objects.filter(seq__gt=self.seq).order_by("seq")
                        .values_list("event_type", flat=True))

    return Audit()


@pytest.fixture
def wechat(bureau, office):
    """The bureau's 微信公众号「吴江人社」."""
    return Account.objects.get(platform__name="微信公众号", unit=office.unit)


@pytest.fixture
def weibo(bureau, office):
    """The bureau's 新浪微博「吴江人社」."""
    return Account.objects.get(platform__name="新浪微博", unit=office.unit)


@pytest.fixture
def inspection_account(outsider):
    """The 微信公众号 of staff1's institution (劳动保障监察大队)."""
    return Account.objects.get(unit=outsider.unit)
