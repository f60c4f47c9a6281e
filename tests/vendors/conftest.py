"""Vendor fixtures: uploads go to a temporary media folder; the demo's vendor and the bureau's accounts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from govmedia.demo import DEMO_PASSWORD
from govmedia.org import actions as org
from govmedia.org.models import Role, Unit
from govmedia.registry.models import Account
from govmedia.vendors import actions
from govmedia.vendors.demo import VENDOR
from govmedia.vendors.models import Vendor


@pytest.fixture(autouse=True, scope="module")
def _media(tmp_path_factory):
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture
def yunfan(bureau) -> Vendor:
    """The demo vendor: contract ending in 20 days, agreement valid, ``vendor`` assigned to the WeChat account."""
    return Vendor.objects.get(name=VENDOR)


@pytest.fixture
def wechat(bureau) -> Account:
    return Account.objects.get(unit__kind=Unit.Kind.BUREAU, platform__name="微信公众号")


@pytest.fixture
def weibo(bureau) -> Account:
    return Account.objects.get(unit__kind=Unit.Kind.BUREAU, platform__name="新浪微博")


@pytest.fixture
def make_vendor(office):
    """make_vendor(name, contract=(start, end) | None, agreement=(start, end) | None) -> Vendor (days from today)."""

    def make(name: str, contract=(-100, 200), agreement=(-100, 200)) -> Vendor:
        day = timezone.localdate()
        vendor = actions.save_vendor(name=name, actor=office)
        if contract:
            actions.add_contract(vendor, scope="图文编辑", responsibilities="甲方负责审核", actor=office,
                                 starts_on=day + timedelta(days=contract[0]), ends_on=day + timedelta(days=contract[1]))
        if agreement:
            actions.add_agreement(vendor, signed_on=day + timedelta(days=agreement[0]),
                                  ends_on=day + timedelta(days=agreement[1]), actor=office)
        return vendor

    return make


@pytest.fixture
def new_vendor_person(bureau, office):
    """new_vendor_person(username) -> a bureau person with only the 外包人员 role."""

    def make(username: str):
        return org.create_person(username=username, password=DEMO_PASSWORD, full_name=f"外包{username}",
                                 unit=Unit.objects.get(kind=Unit.Kind.BUREAU), roles=(Role.VENDOR,), actor=office)

    return make


@pytest.fixture
def api(client, bureau):
    """api(person) -> a JSON client holding a fresh token of that person; api() -> one without a token."""
    from jsonapi import Api

    from govmedia.org.actions import issue_token

    def as_(person=None):
        return Api(client, issue_token(person, actor="测试") if person is not None else None)

    return as_
