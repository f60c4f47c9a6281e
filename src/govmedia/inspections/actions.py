"""Every change to rectification items and inspections: validate, write, audit (same transaction), notify.

Refusals: ``PermissionDenied`` when the actor may not act at all; ``RectificationError`` otherwise, with a
``code`` — "conflict" (the item or inspection is not in a state that allows it) or "invalid" (bad input) —
and the form ``field`` at fault.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from govmedia import policy
from govmedia.audit.actions import SYSTEM, record
from govmedia.audit.events import EventType
from govmedia.inspections import access, notify
from govmedia.inspections.checklist import BY_CODE, ITEMS
from govmedia.inspections.facts import facts_for
from govmedia.inspections.models import (
    EventKind,
    Inspection,
    InspectionResult,
    Outcome,
    Rectification,
    RectificationEvent,
    Severity,
    Source,
)
from govmedia.org.models import Person
from govmedia.registry.models import Account
from govmedia.workcal.calendar import add_workdays

EVIDENCE_SUFFIXES = {".pdf", ".docx", ".doc", ".xlsx", ".xls", ".jpg", ".jpeg", ".png", ".zip", ".txt"}


class RectificationError(Exception):
    """A refusal; ``message`` is shown as it is, ``field`` names the form field at fault."""

    def __init__(self, message: str, field: str | None = None, code: str = "conflict"):
        super().__init__(message)
        self.message, self.field, self.code = message, field, code


def _name(actor) -> str:
    if actor is None:
        return SYSTEM
    if isinstance(actor, str):
        return actor
    return f"{actor.full_name or actor.username}"


def deadline(severity: str, day: date):
    """The due date of a problem of this severity found (or reopened) on ``day`` (第十三条: 1–5 working days)."""
    return add_workdays(day, policy.RECTIFY_WORKDAYS[Severity(severity)])


# ---- rectification items -----------------------------------------------------------------------------------


def open_rectification(*, account: Account, source: str, severity: str, problem: str, actor,
                       post=None, fingerprint: str = "", finding: dict | None = None,
                       inspection_result: InspectionResult | None = None) -> Rectification:
    """Open one item for the account's owning unit, due by severity from today. The caller notifies."""
    now = timezone.now()
    due = deadline(severity, timezone.localdate(now))
    with transaction.atomic():
        item = Rectification.objects.create(
            account=account, unit_id=account.unit_id, source=source, severity=severity, problem=problem[:2000],
            post=post, fingerprint=fingerprint, finding=finding or {}, inspection_result=inspection_result,
            opened_at=now, opened_by=_name(actor)[:150], due_date=due.date, due_provisional=due.provisional,
        )
        record(EventType.RECTIFICATION_OPENED, actor=actor, obj=item, object_repr=f"{account}：{problem[:200]}",
               after={"account": account.pk, "unit": account.unit_id, "source": source, "severity": severity,
                      "due_date": due.date, "post": post.pk if post is not None else None})
    return item


def _locked(item: Rectification) -> Rectification:
    return Rectification.objects.select_related("unit", "account__platform").select_for_update(of=("self",)).get(
        pk=item.pk)


def _require(item: Rectification, actor: Person, verb: str) -> None:
    if verb in access.allowed_actions(item, actor):
        return
    status = item.status()
    if verb == "answer" and not access.is_answerer(actor, item.unit_id):
        raise PermissionDenied("只有责任单位的信息员、科室负责人或主要负责人可以提交整改材料")
    if verb in ("accept", "reopen") and not access.is_verifier(actor):
        raise PermissionDenied("只有局办公室可以验收或退回整改")
    if verb in ("accept", "reopen") and status.value == "answered":
        raise PermissionDenied("整改材料由您本人提交，须由局办公室其他人员验收")
    raise RectificationError(f"该整改事项当前为「{status.label}」，不能{_VERB_LABEL[verb]}")


_VERB_LABEL = {"answer": "提交整改材料", "accept": "验收", "reopen": "退回重办"}


def _store_evidence(event: RectificationEvent, upload: UploadedFile) -> None:
    suffix = Path(upload.name).suffix.lower()
    if suffix not in EVIDENCE_SUFFIXES:
        raise RectificationError(f"佐证材料「{upload.name}」类型不支持（支持 {' '.join(sorted(EVIDENCE_SUFFIXES))}）",
                                 "evidence", "invalid")
    if upload.size > policy.SCREEN_MAX_FILE_BYTES:
        raise RectificationError(f"佐证材料「{upload.name}」过大（上限{policy.SCREEN_MAX_FILE_BYTES // (1024 * 1024)}MB）",
                                 "evidence", "invalid")
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    event.evidence_name = Path(upload.name).name[:200]
    event.evidence.save(f"{digest.hexdigest()[:16]}{suffix}", upload, save=False)


@transaction.atomic
def answer_rectification(item: Rectification, *, text: str, actor: Person,
                         evidence: UploadedFile | None = None) -> RectificationEvent:
    """The unit says what it did, with evidence text and optionally a file; the office is asked to verify."""
    item = _locked(item)
    _require(item, actor, "answer")
    text = (text or "").strip()
    if not text:
        raise RectificationError("请填写整改情况说明（做了什么、何时完成）", "text", "invalid")
    now = timezone.now()
    event = RectificationEvent(rectification=item, kind=EventKind.ANSWERED, at=now, actor=actor,
                               actor_name=_name(actor)[:150], text=text)
    if evidence is not None:
        _store_evidence(event, evidence)
    event.save()
    before = item.status().value
    item.answered_at = now
    item.save(update_fields=["answered_at"])
    record(EventType.RECTIFICATION_ANSWERED, actor=actor, obj=item,
           before={"status": before}, after={"status": item.status().value, "evidence": event.evidence_name})
    notify.answered(item)
    return event


@transaction.atomic
def accept_rectification(item: Rectification, *, actor: Person, note: str = "") -> RectificationEvent:
    item = _locked(item)
    _require(item, actor, "accept")
    now = timezone.now()
    event = RectificationEvent.objects.create(rectification=item, kind=EventKind.ACCEPTED, at=now, actor=actor,
                                              actor_name=_name(actor)[:150], text=(note or "").strip())
    item.accepted_at = now
    item.save(update_fields=["accepted_at"])
    record(EventType.RECTIFICATION_ACCEPTED, actor=actor, obj=item, before={"status": "answered"},
           after={"status": "accepted"})
    notify.accepted(item)
    return event


@transaction.atomic
def reopen_rectification(item: Rectification, *, reason: str, actor: Person) -> RectificationEvent:
    """The answer does not fix the problem: the item is open again, due by severity from today."""
    item = _locked(item)
    _require(item, actor, "reopen")
    reason = (reason or "").strip()
    if not reason:
        raise RectificationError("请填写退回理由（还缺什么）", "reason", "invalid")
    now = timezone.now()
    due = deadline(item.severity, timezone.localdate(now))
    event = RectificationEvent.objects.create(rectification=item, kind=EventKind.REOPENED, at=now, actor=actor,
                                              actor_name=_name(actor)[:150], text=reason, due_date=due.date)
    before = item.due_date
    item.reopened_at, item.due_date, item.due_provisional = now, due.date, due.provisional
    item.save(update_fields=["reopened_at", "due_date", "due_provisional"])
    record(EventType.RECTIFICATION_REOPENED, actor=actor, obj=item,
           before={"status": "answered", "due_date": before}, after={"status": "open", "due_date": due.date,
                                                                     "reason": reason[:200]})
    notify.reopened(item, reason)
    return event


def escalate_overdue(on: date | None = None) -> int:
    """Escalate every overdue item once (the office and the unit's leaders are told). Returns how many."""
    on = on or timezone.localdate()
    count = 0
    for pk in Rectification.objects.overdue(on).filter(escalated_at__isnull=True).values_list("pk", flat=True):
        with transaction.atomic():
            item = Rectification.objects.select_related("unit", "account__platform").select_for_update(
                of=("self",)).get(pk=pk)
            if item.escalated_at is not None or item.status(on).value != "overdue":
                continue  # escalated or answered meanwhile
            now = timezone.now()
            RectificationEvent.objects.create(rectification=item, kind=EventKind.ESCALATED, at=now, actor=None,
                                              actor_name=SYSTEM,
                                              text=f"整改期限{item.due_date:%Y-%m-%d}已过，已报局办公室和单位负责人")
            item.escalated_at = now
            item.save(update_fields=["escalated_at"])
            record(EventType.RECTIFICATION_ESCALATED, actor=None, obj=item,
                   after={"due_date": item.due_date, "unit": item.unit_id})
            notify.escalated(item)
            count += 1
    return count


# ---- inspections -------------------------------------------------------------------------------------------


def _require_inspector(actor: Person) -> None:
    if not access.can_run_inspections(actor):
        raise PermissionDenied("只有局办公室可以组织检查")


@transaction.atomic
def open_inspection(*, title: str, period_start: date, period_end: date, accounts: list[Account],
                    actor: Person) -> Inspection:
    """Open an inspection; the automatic checklist items are pre-filled from the system's data."""
    _require_inspector(actor)
    title = (title or "").strip()
    if not title:
        raise RectificationError("请填写检查名称", "title", "invalid")
    if period_start > period_end:
        raise RectificationError("检查期间的开始日期不能晚于结束日期", "period_start", "invalid")
    if period_end > timezone.localdate():
        raise RectificationError("检查期间的结束日期不能晚于今天（检查针对已经发生的运行情况）", "period_end", "invalid")
    if not accounts:
        raise RectificationError("请至少选择一个受检账号", "accounts", "invalid")
    now = timezone.now()
    inspection = Inspection.objects.create(title=title[:200], period_start=period_start, period_end=period_end,
                                           opened_by=actor, opened_at=now)
    inspection.accounts.set(accounts)
    rows = []
    for account in accounts:
        facts = facts_for(account, period_start, period_end, now)
        for item in ITEMS:
            fact = facts.get(item.code)
            rows.append(InspectionResult(
                inspection=inspection, account=account, item=item.code,
                outcome=fact.outcome if fact else Outcome.PENDING, auto=fact is not None,
                severity=(fact.severity if fact and fact.severity else item.severity),
                evidence=fact.evidence if fact else "",
            ))
    InspectionResult.objects.bulk_create(rows)
    record(EventType.INSPECTION_OPENED, actor=actor, obj=inspection,
           after={"accounts": [a.pk for a in accounts], "period": [period_start, period_end],
                  "prefilled_failures": sum(1 for r in rows if r.outcome == Outcome.FAIL)})
    return inspection


def _require_open(inspection: Inspection) -> None:
    if inspection.is_closed:
        raise RectificationError("检查已完成，结论不能再修改")


@transaction.atomic
def record_results(inspection: Inspection, account: Account, decisions: dict[str, dict], *,
                   actor: Person) -> int:
    """The inspector's answers for one account: item code → {"outcome", "severity", "note"}. Returns changes.

    A failed item needs a note saying what is wrong (it becomes the rectification item's description) unless
    the system's evidence already says it.
    """
    _require_inspector(actor)
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    _require_open(inspection)
    results = {r.item: r for r in inspection.results.filter(account=account)}
    if not results:
        raise RectificationError(f"{account}不在本次检查范围内", "account", "invalid")
    now, changed, problems = timezone.now(), [], []
    for code, decision in decisions.items():
        result = results.get(code)
        if result is None:
            raise RectificationError(f"检查项「{code}」不存在", code, "invalid")
        outcome = decision.get("outcome", result.outcome)
        severity = decision.get("severity") or result.severity
        note = (decision.get("note") or "").strip()
        if outcome not in Outcome.values:
            raise RectificationError(f"「{BY_CODE[code].name}」的结论无效", code, "invalid")
        if severity not in Severity.values:
            raise RectificationError(f"「{BY_CODE[code].name}」的严重程度无效", code, "invalid")
        if outcome == Outcome.FAIL and not note and not result.evidence:
            raise RectificationError(f"「{BY_CODE[code].name}」不通过，请写明存在的问题", code, "invalid")
        if (outcome, severity, note) == (result.outcome, result.severity, result.note):
            continue
        result.outcome, result.severity, result.note = outcome, severity, note
        result.decided_by, result.decided_at = _name(actor)[:150], now
        changed.append(result)
        if outcome == Outcome.FAIL:
            problems.append({"item": code, "severity": severity, "note": note[:200]})
    InspectionResult.objects.bulk_update(changed, ["outcome", "severity", "note", "decided_by", "decided_at"])
    if changed:
        record(EventType.INSPECTION_PROBLEM_RECORDED, actor=actor, obj=inspection,
               object_repr=f"{inspection}·{account}",
               after={"account": account.pk, "changed": {r.item: r.outcome for r in changed}, "problems": problems})
    return len(changed)


def problem_text(result: InspectionResult) -> str:
    spec = result.spec
    detail = result.note or result.evidence
    return f"{spec.name}（{spec.article}）：{detail}"


@transaction.atomic
def close_inspection(inspection: Inspection, *, actor: Person) -> list[Rectification]:
    """Every item decided → each failed item opens a rectification item (source inspection), due by severity."""
    _require_inspector(actor)
    given, inspection = inspection, Inspection.objects.select_for_update().get(pk=inspection.pk)
    _require_open(inspection)
    results = list(inspection.results.select_related("account__platform", "account__unit"))
    pending = [r for r in results if r.outcome == Outcome.PENDING]
    if pending:
        names = "、".join(f"{r.account}·{r.get_item_display()}" for r in pending[:5])
        more = f"等{len(pending)}项" if len(pending) > 5 else ""
        raise RectificationError(f"还有检查项没有结论：{names}{more}", "results")
    items = [open_rectification(account=r.account, source=Source.INSPECTION, severity=r.severity,
                                problem=problem_text(r), inspection_result=r, actor=actor)
             for r in results if r.outcome == Outcome.FAIL]
    inspection.closed_at, inspection.closed_by = timezone.now(), actor
    inspection.save(update_fields=["closed_at", "closed_by"])
    given.closed_at, given.closed_by = inspection.closed_at, actor
    record(EventType.INSPECTION_CLOSED, actor=actor, obj=inspection,
           after={"results": len(results), "failed": len(items), "rectifications": [i.pk for i in items]})
    if items:
        notify.opened(items, f"局办公室检查「{inspection.title}」")
    return items


def generate_circular(inspection: Inspection, *, actor: Person) -> bytes:
    """The 通报 as .docx, drafted from the inspection and its items' state today."""
    from govmedia.inspections.circular import build_circular

    if not access.can_view_inspections(actor):
        raise PermissionDenied("只有局办公室和审计员可以查看检查通报")
    inspection = Inspection.objects.get(pk=inspection.pk)
    if not inspection.is_closed:
        raise RectificationError("检查完成后才能生成通报")
    data = build_circular(inspection)
    record(EventType.CIRCULAR_GENERATED, actor=actor, obj=inspection,
           after={"rectifications": inspection_item_count(inspection)})
    return data


def inspection_item_count(inspection: Inspection) -> int:
    return Rectification.objects.filter(inspection_result__inspection=inspection).count()
