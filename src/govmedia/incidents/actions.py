"""Changes to incidents, retractions, emergency plans and drills. Each checks who acts and writes its audit row."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from pathlib import PurePath

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from govmedia import policy
from govmedia.audit.actions import record
from govmedia.audit.events import EventType
from govmedia.incidents import access
from govmedia.incidents.models import (
    Drill,
    EmergencyPlan,
    Incident,
    IncidentAction,
    Kind,
    Retraction,
    Severity,
)
from govmedia.org.models import Person, Unit

PLAN_EXTENSIONS = (".pdf", ".doc", ".docx", ".wps", ".ofd")


class IncidentError(Exception):
    """A refusal with a Chinese message naming what is wrong; ``field`` names the form field, if one."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message, self.field = message, field


def _require(user: Person, unit: Unit) -> None:
    if not access.can_record(user, unit.pk):
        raise PermissionDenied(f"您无权登记「{unit.name}」的突发事件与应急记录")


def _not_future(value: datetime | date, label: str, field: str) -> None:
    now = timezone.now() if isinstance(value, datetime) else timezone.localdate()
    if value > now:
        raise IncidentError(f"{label}不能晚于现在", field)


def _who(user: Person) -> str:
    return user.full_name or user.get_username()


@transaction.atomic
def open_incident(*, unit: Unit, kind: str, severity: str, title: str, occurred_at: datetime,
                  reported_at: datetime, description: str, accounts=(), actor: Person) -> Incident:
    """Record an incident; the accounts named must belong to the unit."""
    _require(actor, unit)
    kind, severity = Kind(kind), Severity(severity)
    if not title.strip():
        raise IncidentError("请填写事件名称", "title")
    if not description.strip():
        raise IncidentError("请填写事件经过", "description")
    _not_future(occurred_at, "发生时间", "occurred_at")
    _not_future(reported_at, "报告时间", "reported_at")
    if reported_at < occurred_at:
        raise IncidentError("报告时间不能早于发生时间", "reported_at")
    accounts = list(accounts)
    for account in accounts:
        if account.unit_id != unit.pk:
            raise IncidentError(f"账号「{account}」不属于「{unit.name}」", "accounts")
    incident = Incident.objects.create(
        unit=unit, kind=kind, severity=severity, title=title.strip(), occurred_at=occurred_at,
        reported_at=reported_at, description=description.strip(), recorded_by=actor,
    )
    incident.accounts.set(accounts)
    record(EventType.INCIDENT_OPENED, actor=actor, obj=incident, after={
        "unit": unit.name, "kind": kind.label, "severity": severity.label,
        "accounts": [str(a) for a in accounts], "occurred_at": occurred_at,
    })
    return incident


@transaction.atomic
def add_action(incident: Incident, *, taken_at: datetime, what: str, taken_by: str = "", actor: Person
               ) -> IncidentAction:
    """Add a step to the timeline of an open incident."""
    _require(actor, incident.unit)
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if not incident.is_open:
        raise IncidentError(f"该事件已于{timezone.localtime(incident.closed_at):%Y-%m-%d %H:%M}处置完毕，不能再添加处置措施")
    if not what.strip():
        raise IncidentError("请填写处置措施", "what")
    _not_future(taken_at, "处置时间", "taken_at")
    if taken_at < incident.occurred_at:
        raise IncidentError("处置时间不能早于事件发生时间", "taken_at")
    step = IncidentAction.objects.create(incident=incident, taken_at=taken_at, what=what.strip(),
                                         taken_by=taken_by.strip() or _who(actor), recorded_by=actor)
    record(EventType.INCIDENT_ACTION, actor=actor, obj=incident,
           after={"taken_at": taken_at, "taken_by": step.taken_by, "what": step.what})
    return step


@transaction.atomic
def close_incident(incident: Incident, *, summary: str, actor: Person) -> Incident:
    """Close an incident with its summary; at least one action must be on its timeline."""
    _require(actor, incident.unit)
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if not incident.is_open:
        raise IncidentError("该事件已处置完毕")
    if not summary.strip():
        raise IncidentError("请填写处置总结", "summary")
    if not incident.actions.exists():
        raise IncidentError("请先登记至少一项处置措施，再结束处置", "summary")
    incident.closed_at, incident.closed_by, incident.summary = timezone.now(), actor, summary.strip()
    incident.save(update_fields=["closed_at", "closed_by", "summary"])
    record(EventType.INCIDENT_CLOSED, actor=actor, obj=incident, after={"summary": incident.summary})
    return incident


@transaction.atomic
def record_retraction(*, account, retracted_at: datetime, retracted_by: str, reason: str, title: str = "",
                      url: str = "", post=None, incident: Incident | None = None, actor: Person) -> Retraction:
    """Record a post taken down: the post (monitoring's record, or its title and link) of one of the unit's
    accounts; optionally part of an incident of the same unit."""
    unit = account.unit
    _require(actor, unit)
    if post is not None:
        if post.account_id != account.pk:
            raise IncidentError(f"发布内容「{post.title}」不属于账号「{account}」", "post")
        title, url = title.strip() or post.title, url.strip() or post.url
    if not title.strip():
        raise IncidentError("请填写被撤内容的标题，或选择已登记的发布内容", "title")
    if not retracted_by.strip():
        raise IncidentError("请填写撤稿决定人", "retracted_by")
    if not reason.strip():
        raise IncidentError("请填写撤稿原因", "reason")
    _not_future(retracted_at, "撤稿时间", "retracted_at")
    if incident is not None and incident.unit_id != unit.pk:
        raise IncidentError(f"事件「{incident}」不属于「{unit.name}」", "incident")
    retraction = Retraction.objects.create(
        unit=unit, account=account, post=post, title=title.strip(), url=url.strip(), retracted_at=retracted_at,
        retracted_by=retracted_by.strip(), reason=reason.strip(), incident=incident, recorded_by=actor,
    )
    record(EventType.RETRACTION_RECORDED, actor=actor, obj=retraction, after={
        "account": str(account), "title": retraction.title, "retracted_at": retracted_at,
        "retracted_by": retraction.retracted_by, "reason": retraction.reason,
        "incident": str(incident) if incident else "",
    })
    return retraction


@transaction.atomic
def save_plan(*, unit: Unit, title: str, document: UploadedFile, approved_on: date, actor: Person) -> EmergencyPlan:
    """Record a (new version of a) unit's emergency plan with its document."""
    _require(actor, unit)
    if not title.strip():
        raise IncidentError("请填写预案名称", "title")
    if document is None:
        raise IncidentError("请上传预案文件", "document")
    filename = PurePath(document.name).name
    suffix = PurePath(filename).suffix.lower()
    if suffix not in PLAN_EXTENSIONS:
        raise IncidentError(f"预案文件应为 {'、'.join(PLAN_EXTENSIONS)} 格式", "document")
    if document.size > policy.EMERGENCY_PLAN_MAX_BYTES:
        raise IncidentError(f"预案文件不得超过 {policy.EMERGENCY_PLAN_MAX_BYTES // (1024 * 1024)} MB", "document")
    _not_future(approved_on, "印发日期", "approved_on")
    data = b"".join(document.chunks())
    name = f"incidents/plans/{hashlib.sha256(data).hexdigest()[:32]}{suffix}"
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(data))
    plan = EmergencyPlan(unit=unit, title=title.strip(), filename=filename[:200], approved_on=approved_on,
                         recorded_by=actor)
    plan.document.name = name
    plan.save()
    record(EventType.EMERGENCY_PLAN_SAVED, actor=actor, obj=plan,
           after={"unit": unit.name, "title": plan.title, "approved_on": approved_on, "file": filename})
    return plan


@transaction.atomic
def record_drill(*, unit: Unit, held_on: date, scenario: str, participants: str, findings: str,
                 plan: EmergencyPlan | None = None, actor: Person) -> Drill:
    """Record a drill; without a plan named, the unit's plan in force on that day."""
    _require(actor, unit)
    if plan is not None and plan.unit_id != unit.pk:
        raise IncidentError(f"预案「{plan}」不属于「{unit.name}」", "plan")
    for value, label, field in ((scenario, "演练情景", "scenario"), (participants, "参加人员", "participants"),
                                (findings, "发现问题与改进", "findings")):
        if not value.strip():
            raise IncidentError(f"请填写{label}", field)
    _not_future(held_on, "演练日期", "held_on")
    if plan is None:
        plan = unit.emergency_plans.filter(approved_on__lte=held_on).order_by("-approved_on", "-id").first()
    drill = Drill.objects.create(unit=unit, plan=plan, held_on=held_on, scenario=scenario.strip(),
                                 participants=participants.strip(), findings=findings.strip(), recorded_by=actor)
    record(EventType.DRILL_RECORDED, actor=actor, obj=drill,
           after={"unit": unit.name, "held_on": held_on, "scenario": drill.scenario,
                  "plan": str(plan) if plan else ""})
    return drill
