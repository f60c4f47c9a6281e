"""Set-up through the real actions, shared by the account-security tests."""

from __future__ import annotations

from datetime import timedelta

from govmedia.demo import BUREAU
from govmedia.org.models import Person, Unit
from govmedia.registry import actions as registry
from govmedia.registry.models import Platform, today

EVIDENCE = {
    "managing_body": "办公室为管理机构（吴人社〔2026〕1号）",
    "trained_staff": "专职信息员1名，已培训",
    "funding": "部门预算列支",
    "rules": "《政务新媒体管理制度》",
}


def kuaishou(opened_days_ago: int = 1000, managers: list[Person] | None = None):
    """A bureau account on 快手 (the demo has none), running for ``opened_days_ago`` days, no change recorded."""
    office = Person.objects.get(username="office")
    unit = Unit.objects.get(name=BUREAU)
    return registry.register_account(
        unit=unit, platform=Platform.objects.get(name="快手"), name="吴江人社快手号", subject=unit.name,
        preconditions=EVIDENCE, managers=managers or [], opened_on=today() - timedelta(days=opened_days_ago),
        existing=True, actor=office,
    )
