"""Demo data for 账号安全与人员; called by govmedia.demo.load_demo with the demo bureau's objects.

Custodians for the running accounts (clerk, clerk2, staff1, staff2), a few devices, and password changes
of different ages so the 账号安全 page shows ok, due and overdue; the video account is left without a
custodian and without a recorded change, so the violations list and "overdue from opening" show too.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.utils import timezone

from govmedia.security import actions
from govmedia.security.models import DeviceKind

# account (platform, name) → custodian, days since the last change(s), devices (kind, asset number, model)
PLAN = [
    (("微信公众号", "吴江人社"), "clerk", (200, 110, 20), [(DeviceKind.OFFICE_PC, "WJRS-PC-0107", "联想 启天M437")]),
    (("新浪微博", "吴江人社"), "clerk2", (80,), [(DeviceKind.WORK_PHONE, "WJRS-MP-0032", "华为 nova 12")]),
    (("抖音", "吴江人社"), "clerk", (130,), []),
    (("微信公众号", "吴江劳动监察"), "staff1", (45,), [(DeviceKind.OFFICE_PC, "WJJC-PC-0011", "同方 超越E500")]),
    (("微信公众号", "吴江人才服务"), "staff2", (85,), []),
]


def _password() -> str:
    return "Wj#" + secrets.token_urlsafe(12)  # letters, digits and a symbol: meets the policy


def load(ctx: dict) -> None:
    """ctx: bureau, institutions, sections, people (username → Person), office, accounts (list)."""
    office, people = ctx["office"], ctx["people"]
    accounts = {(a.platform.name, a.name): a for a in ctx["accounts"]}
    now = timezone.now()
    for key, custodian, ages, devices in PLAN:
        account = accounts.get(key)
        if account is None:
            continue
        person = people[custodian]
        actions.set_custodian(account, person, actor=office)
        for age in ages:  # oldest first: a change may not be recorded before an earlier one
            actions.record_rotation(account, changed_at=now - timedelta(days=age, hours=2),
                                    new_password=_password(), actor=office)
        for kind, asset, model in devices:
            actions.add_device(account, owner=person, kind=kind, asset_number=asset, description=model, actor=office)
