"""Incident fixtures: the demo bureau's units and accounts, and an open incident recorded through the action."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from jsonapi import Api

from govmedia.demo import BUREAU, INSTITUTIONS
from govmedia.incidents import actions
from govmedia.incidents.models import Kind
from govmedia.org.actions import issue_token
from govmedia.org.models import Unit
from govmedia.registry.models import Account


@pytest.fixture
def bureau_unit(bureau):
    return Unit.objects.get(name=BUREAU)


@pytest.fixture
def institution(bureau):
    """The unit of the outsider (staff1): 劳动保障监察大队."""
    return Unit.objects.get(name=INSTITUTIONS[0][0])


@pytest.fixture
def weibo(bureau_unit):
    return Account.objects.get(unit=bureau_unit, platform__name="新浪微博")


@pytest.fixture
def stolen(bureau_unit, weibo, clerk):
    """An open incident of the bureau: its 微博 account stolen an hour ago."""
    now = timezone.now()
    return actions.open_incident(
        unit=bureau_unit, kind=Kind.STOLEN, severity="severe", title="微博账号被盗", accounts=[weibo],
        occurred_at=now - timedelta(hours=1), reported_at=now - timedelta(minutes=50),
        description="账号被异地登录并发布广告。", actor=clerk)


@pytest.fixture
def api(client, bureau):
    def as_(person=None) -> Api:
        return Api(client, issue_token(person, actor="测试") if person is not None else None)

    return as_
