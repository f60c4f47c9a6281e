"""Fixtures of the account-security tests: the demo's accounts by short name, API clients, fresh clients."""

from __future__ import annotations

import pytest
from django.test import Client
from jsonapi import Api

from govmedia.demo import DEMO_PASSWORD
from govmedia.org.actions import issue_token
from govmedia.registry.models import Account


@pytest.fixture
def wechat(bureau):
    """The bureau's 微信公众号 「吴江人社」: kept by clerk, managed by clerk."""
    return Account.objects.get(platform__name="微信公众号", name="吴江人社")


@pytest.fixture
def weibo(bureau):
    """The bureau's 新浪微博: kept and managed by clerk2."""
    return Account.objects.get(platform__name="新浪微博")


@pytest.fixture
def inspection_account(bureau):
    """The institution's 微信公众号 「吴江劳动监察」: kept and managed by staff1 (the outsider)."""
    return Account.objects.get(name="吴江劳动监察")


@pytest.fixture
def api(client, bureau):
    """api(person) -> an Api holding a fresh token of that person; api() -> one without a token."""

    def as_(person=None) -> Api:
        return Api(client, issue_token(person, actor="测试") if person is not None else None)

    return as_


@pytest.fixture
def browser_of():
    """browser_of(person) -> a separate Django test client signed in through the real sign-in page.

    For personas without the second factor (信息员 and the like); use ``signed_in`` for the others.
    """

    def sign_in(person) -> Client:
        client = Client()
        response = client.post("/login/", {"username": person.username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, response.content.decode()[:300]
        return client

    return sign_in
