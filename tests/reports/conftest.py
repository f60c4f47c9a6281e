"""A unit of the tests' own, so the demo's data (and whatever posts other apps' demos add) never blur the figures."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.utils import timezone

from govmedia.demo import DEMO_PASSWORD
from govmedia.monitoring.models import Post, PostKind, PostSource
from govmedia.org import actions as org
from govmedia.org.models import Role, Unit
from govmedia.registry.models import Account, Platform

SHANGHAI = ZoneInfo("Asia/Shanghai")
PLATFORMS = {"fresh": "微信公众号", "due": "新浪微博", "overdue": "抖音", "veto": "快手", "dormant": "今日头条",
             "never": "哔哩哔哩"}
CLEARED = date(2020, 1, 1)
SILENT_DAYS = {"fresh": 3, "due": 6, "overdue": 10, "veto": 20, "dormant": 100}


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The charts cache finished weeks and months; a test's own posts must not meet another test's counts."""
    cache.clear()
    yield
    cache.clear()


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def add_post(account: Account, at: datetime, kind: str = PostKind.ORIGINAL, title: str = "") -> Post:
    return Post.objects.create(account=account, published_at=at, title=title or f"{account.name}发布{at:%m%d%H%M%S}",
                               kind=kind, source=PostSource.MANUAL)


def make_unit(name: str, short_name: str, *, sort_order: int = 9) -> SimpleNamespace:
    """A unit with a 信息员, a 科室负责人 who manages its accounts, and no accounts yet."""
    unit = org.create_unit(name=name, kind=Unit.Kind.INSTITUTION, short_name=short_name, sort_order=sort_order,
                           actor="测试")
    prefix = f"u{unit.pk}"
    clerk = org.create_person(username=f"{prefix}clerk", password=DEMO_PASSWORD, full_name=f"{short_name}信息员",
                              unit=unit, roles=(Role.CLERK,), email=f"{prefix}clerk@example.gov.cn", actor="测试",
                              clearance_on=CLEARED, trained_on=CLEARED)
    manager = org.create_person(username=f"{prefix}manager", password=DEMO_PASSWORD, full_name=f"{short_name}管理员",
                                unit=unit, roles=(Role.SECTION_CHIEF,), email=f"{prefix}manager@example.gov.cn",
                                actor="测试", clearance_on=CLEARED, trained_on=CLEARED)
    return SimpleNamespace(unit=unit, clerk=clerk, manager=manager, accounts={})


def add_account(ns: SimpleNamespace, key: str, platform: str, *, opened_on: date = date(2020, 1, 1)) -> Account:
    account = Account.objects.create(unit=ns.unit, platform=Platform.objects.get(name=platform),
                                     name=f"{ns.unit.short_name}{key}", subject=ns.unit.name, opened_on=opened_on)
    account.managers.add(ns.manager)
    ns.accounts[key] = account
    return account


@pytest.fixture
def watched(bureau):
    """就业中心: six running accounts, one per state — silent 3 (正常), 6 (即将到期), 10 (超期未更新),
    20 (单项否决) and 100 days (长期不更新), and one that never posted since 2020 (长期不更新)."""
    ns = make_unit("苏州市吴江区就业管理中心", "就业中心")
    now = timezone.now()
    for key, platform in PLATFORMS.items():
        account = add_account(ns, key, platform)
        if key in SILENT_DAYS:
            add_post(account, now - timedelta(days=SILENT_DAYS[key], hours=1))
    ns.now = now
    return ns
