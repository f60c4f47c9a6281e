"""The API as a client sees it: JSON over the real URL conf, with bearer tokens issued by the real action."""

from __future__ import annotations

import pytest
from jsonapi import Api

from govmedia.demo import BUREAU, INSTITUTIONS
from govmedia.org.actions import issue_token
from govmedia.org.models import Unit
from govmedia.registry.models import Account, Platform

PRECONDITIONS = {
    "managing_body": "办公室为管理机构（吴人社〔2026〕1号）",
    "trained_staff": "专职信息员1名，已培训",
    "funding": "部门预算列支",
    "rules": "《政务新媒体管理制度》",
}


@pytest.fixture
def api(client, bureau):
    """api(person) -> an Api holding a fresh token of that person; api() -> one without a token."""

    def as_(person=None) -> Api:
        return Api(client, issue_token(person, actor="测试") if person is not None else None)

    return as_


@pytest.fixture
def bureau_unit(bureau):
    return Unit.objects.get(name=BUREAU)


@pytest.fixture
def institution(bureau):
    """The unit of the outsider (staff1): 劳动保障监察大队."""
    return Unit.objects.get(name=INSTITUTIONS[0][0])


@pytest.fixture
def weibo(bureau_unit):
    """The bureau's 新浪微博 account, running for years."""
    return Account.objects.get(unit=bureau_unit, platform__name="新浪微博")


@pytest.fixture
def inspection_account(institution):
    """The institution's 微信公众号 account, running for years."""
    return Account.objects.get(unit=institution)


@pytest.fixture
def new_account_body():
    """new_account_body(unit, **overrides) -> a complete POST /accounts body on 快手 (no account there yet)."""

    def body(unit, /, **overrides) -> dict:
        return {"unit": unit.pk, "platform": Platform.objects.get(name="快手").pk, "name": f"{unit.short_name}快手号",
                "subject": unit.name, "purpose": "发布人社政策", "platform_uid": "ks_test",
                "url": "https://example.gov.cn/ks", "managers": [], "preconditions": PRECONDITIONS, **overrides}

    return body
