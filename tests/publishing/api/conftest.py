"""The drafts API as a client sees it: JSON over the real URL conf, bearer tokens from the real action."""

from __future__ import annotations

import pytest
from jsonapi import Api as JsonApi

from govmedia.org.actions import issue_token
from govmedia.registry.models import Account

BODY = "<p>符合条件的人员可于12月31日前申领一次性就业补贴。</p>"


class Api(JsonApi):
    """The shared JSON client with the review steps as one-liners."""

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
