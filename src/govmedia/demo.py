"""The demo bureau: 苏州市吴江区人力资源和社会保障局, its sections, institutions, accounts and users.

Loading is idempotent: a database that already has the bureau is left as it is.
"""

from __future__ import annotations

from datetime import timedelta
from importlib import import_module

from django.db import transaction

from govmedia import policy
from govmedia.audit.actions import record
from govmedia.audit.events import EventType
from govmedia.org import actions as org
from govmedia.org.models import Person, Role, Unit
from govmedia.registry import actions as registry
from govmedia.registry.models import Account, EventKind, Platform, today

BUREAU = "苏州市吴江区人力资源和社会保障局"
DEMO_PASSWORD = "Demo@2026!"
SYSTEM = "系统（演示数据）"
# Apps that add their own demo data through <app>/demo.py load(ctx), in this order.
DEMO_APPS = ("monitoring", "inspections", "reports", "security", "vendors", "counterfeit", "incidents")

# username, full name, section, roles
USERS = [
    ("office", "王芳", "办公室", (Role.OFFICE,)),
    ("clerk", "李明", "就业促进科", (Role.CLERK,)),
    ("clerk2", "赵敏", "就业促进科", (Role.CLERK,)),
    ("chief", "张伟", "就业促进科", (Role.SECTION_CHIEF,)),
    ("deputy", "陈静", "就业促进科", (Role.SECTION_CHIEF, Role.SIGNER)),
    ("leader", "刘强", "", (Role.SIGNER,)),
    ("director", "周建国", "", (Role.DIRECTOR,)),
    ("auditor", "孙丽", "办公室", (Role.AUDITOR,)),
    ("vendor", "吴晓", "", (Role.VENDOR,)),
    # 三权分立: system and security administration each with their own person (the auditor is 孙丽).
    ("sysadmin", "郑涛", "办公室", (Role.SYSADMIN,)),
    ("secadmin", "黄蕾", "办公室", (Role.SECADMIN,)),
]
SECTIONS = ["办公室", "就业促进科", "社会保险科", "劳动关系科", "人才开发科"]
INSTITUTIONS = [("苏州市吴江区劳动保障监察大队", "监察大队"), ("苏州市吴江区人力资源服务中心", "人服中心")]


def _evidence(unit_name: str) -> dict:
    return {
        "managing_body": f"{unit_name}办公室为管理机构（吴人社〔2023〕12号）",
        "trained_staff": "专职信息员2名，已完成岗前安全及业务培训",
        "funding": "年度部门预算列支新媒体运维经费",
        "rules": "《政务新媒体管理制度》《信息发布三级审核制度》",
    }


@transaction.atomic
def load_demo() -> bool:
    """Create the demo bureau; return False when it is already there."""
    if Unit.objects.filter(name=BUREAU).exists():
        return False
    bureau = org.create_unit(name=BUREAU, kind=Unit.Kind.BUREAU, short_name="区人社局", actor=SYSTEM)
    sections = {name: org.create_section(unit=bureau, name=name, is_lead_office=name == "办公室", actor=SYSTEM)
                for name in SECTIONS}
    institutions = [
        org.create_unit(name=name, kind=Unit.Kind.INSTITUTION, short_name=short, sort_order=i + 1, actor=SYSTEM)
        for i, (name, short) in enumerate(INSTITUTIONS)
    ]
    people: dict[str, Person] = {}
    # 第十二条(二): everyone passed 保密审查 and 岗前培训 before taking the post.
    cleared = {"clearance_on": today() - timedelta(days=400), "trained_on": today() - timedelta(days=380)}
    for username, full_name, section, roles in USERS:
        people[username] = org.create_person(
            username=username, password=DEMO_PASSWORD, full_name=full_name, unit=bureau,
            section=sections.get(section), roles=roles, email=f"{username}@example.gov.cn", actor=SYSTEM, **cleared,
        )
    staff = [
        org.create_person(username=f"staff{i}", password=DEMO_PASSWORD, full_name=name, unit=unit,
                          roles=(Role.CLERK,), actor=SYSTEM, **cleared)
        for i, (unit, name) in enumerate(zip(institutions, ["钱进", "冯雪"], strict=True), start=1)
    ]
    office = people["office"]
    for i, name in enumerate(policy.INITIAL_PLATFORMS):
        registry.add_platform(name=name, sort_order=i, actor=office)
    platform = {p.name: p for p in Platform.objects.all()}
    day = today()
    accounts = [
        (bureau, "微信公众号", "吴江人社", "gh_wjrs2015", day - timedelta(days=3000), [people["clerk"]]),
        (bureau, "新浪微博", "吴江人社", "wjrs", day - timedelta(days=2800), [people["clerk2"]]),
        (bureau, "抖音", "吴江人社", "wjrs_douyin", day - timedelta(days=900), [people["clerk"]]),
        (institutions[0], "微信公众号", "吴江劳动监察", "gh_wjldjc", day - timedelta(days=1500), [staff[0]]),
        (institutions[1], "微信公众号", "吴江人才服务", "gh_wjrcfw", day - timedelta(days=1200), [staff[1]]),
    ]
    for unit, platform_name, name, uid, opened, managers in accounts:
        registry.register_account(
            unit=unit, platform=platform[platform_name], name=name, subject=unit.name,
            purpose="发布人社政策、办事指南，回应群众关切", platform_uid=uid,
            url=f"https://example.gov.cn/{uid}", managers=managers, preconditions=_evidence(unit.name),
            opened_on=opened, existing=True, actor=office,
        )
    # Recent activity so the filing list shows each state.
    video = registry.register_account(
        unit=bureau, platform=platform["微信视频号"], name="吴江人社视频号", subject=bureau.name,
        purpose="政策解读短视频", platform_uid="wjrs_video", managers=[people["clerk"]],
        preconditions=_evidence(bureau.name), opened_on=day - timedelta(days=10), actor=office,
    )
    registry.record_event(video, kind=EventKind.CHANGE, effective_date=day - timedelta(days=1),
                          changes={"url": "https://example.gov.cn/wjrs_video"}, note="补充账号链接", actor=office)
    ctx = {"bureau": bureau, "institutions": institutions, "sections": sections, "office": office,
           "people": people | {p.username: p for p in staff}, "accounts": list(Account.objects.all())}
    for app in DEMO_APPS:
        import_module(f"govmedia.{app}.demo").load(ctx)
    record(EventType.DEMO_LOADED, actor=SYSTEM, object_repr=BUREAU)
    return True
