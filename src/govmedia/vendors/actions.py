"""Everything that changes 外包服务管理 (第二条). Each verb checks, writes and audits in one transaction.

Only the lead office (局办公室管理员) records vendors; a refusal of that kind raises PermissionDenied, a refusal
of the input raises ``VendorError`` with the Chinese reason and the field at fault, and nothing is written.
``actor`` may be a string (the demo loader, a system job) — then no role is checked.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from govmedia import policy
from govmedia.audit.actions import actor_label, record
from govmedia.audit.events import EventType
from govmedia.org import access
from govmedia.org.models import Person, Role
from govmedia.registry.actions import RegistryError
from govmedia.registry.models import Account
from govmedia.vendors import files
from govmedia.vendors.models import (
    Agreement,
    Assignment,
    Contract,
    Grade,
    StaffLink,
    Supervision,
    Term,
    Vendor,
)

VENDOR_FIELDS = ("name", "credit_code", "contact", "phone", "address")
MAX_MB = policy.VENDOR_FILE_MAX_BYTES // (1024 * 1024)


class VendorError(RegistryError):
    """A refusal of the input: ``message`` as shown, ``field`` the form field at fault (the API answers 422)."""


def _name(actor) -> str:
    return actor_label(actor)[1]


def _require_office(actor) -> None:
    if isinstance(actor, str):
        return
    if not access.can_manage_reference_data(actor):
        raise PermissionDenied("只有局办公室管理员可以登记外包服务事项")


@transaction.atomic
def save_vendor(vendor: Vendor | None = None, *, actor, **fields) -> Vendor:
    """Create a vendor, or change one; saving without a change writes nothing."""
    _require_office(actor)
    values = {key: str(fields.get(key, "") or "").strip() for key in VENDOR_FIELDS}
    if not values["name"]:
        raise VendorError("请填写外包单位名称", "name")
    clash = Vendor.objects.filter(name=values["name"]).exclude(pk=vendor.pk if vendor else None)
    if clash.exists():
        raise VendorError(f"外包单位「{values['name']}」已登记", "name")
    if values["credit_code"] and len(values["credit_code"]) != 18:
        raise VendorError("统一社会信用代码应为18位", "credit_code")
    before = {key: getattr(vendor, key) for key in VENDOR_FIELDS} if vendor else None
    if before == values:
        return vendor
    vendor = vendor or Vendor()
    for key, value in values.items():
        setattr(vendor, key, value)
    vendor.save()
    record(EventType.VENDOR_SAVED, actor=actor, obj=vendor, before=before, after=values)
    return vendor


def _check_term(starts_on: date | None, ends_on: date | None) -> None:
    if starts_on is None:
        raise VendorError("请填写起始日期", "starts_on")
    if ends_on is None:
        raise VendorError("请填写截止日期", "ends_on")
    if ends_on < starts_on:
        raise VendorError(f"截止日期（{ends_on:%Y-%m-%d}）不能早于起始日期（{starts_on:%Y-%m-%d}）", "ends_on")


def check_file(upload) -> str:
    """The suffix the upload is stored under; refuses what is too large or not a PDF, .docx or image."""
    if upload.size > policy.VENDOR_FILE_MAX_BYTES:
        raise VendorError(f"文件「{upload.name}」过大（{upload.size / 1024 / 1024:.1f}MB），上限{MAX_MB}MB", "file")
    suffix = files.document_kind(upload)
    if suffix is None:
        raise VendorError(f"文件「{upload.name}」不是 PDF、Word（.docx）或图片（PNG、JPEG）文件，"
                          "请上传签字盖章的扫描件或电子文本", "file")
    return suffix


def _attach(term: Term, upload) -> None:
    suffix = check_file(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    term.file_name = Path(upload.name).name[:200]
    term.file.save(f"{digest.hexdigest()[:16]}{suffix}", upload, save=False)


def _term_after(term: Term) -> dict:
    return {"signed_on": term.signed_on, "starts_on": term.starts_on, "ends_on": term.ends_on,
            "file": term.file_name}


@transaction.atomic
def add_contract(vendor: Vendor, *, scope: str, responsibilities: str, starts_on: date, ends_on: date,
                 number: str = "", signed_on: date | None = None, upload=None, actor) -> Contract:
    """第二条: outsourcing only by contract, with its scope, term and each side's responsibilities."""
    _require_office(actor)
    if not (scope or "").strip():
        raise VendorError("请填写服务范围（外包单位承担哪些账号的哪些工作）", "scope")
    if not (responsibilities or "").strip():
        raise VendorError("请填写双方责任（主办单位的主体责任不随外包转移）", "responsibilities")
    _check_term(starts_on, ends_on)
    contract = Contract(vendor=vendor, number=(number or "").strip(), signed_on=signed_on, starts_on=starts_on,
                        ends_on=ends_on, scope=scope.strip(), responsibilities=responsibilities.strip(),
                        recorded_by=_name(actor))
    if upload is not None:
        _attach(contract, upload)
    contract.save()
    record(EventType.CONTRACT_SAVED, actor=actor, obj=contract,
           after=_term_after(contract) | {"number": contract.number, "vendor": vendor.name})
    return contract


@transaction.atomic
def add_agreement(vendor: Vendor, *, signed_on: date | None, ends_on: date, starts_on: date | None = None,
                  upload=None, actor) -> Agreement:
    """第二条: the confidentiality and security agreement; its term starts on the day it is signed by default."""
    _require_office(actor)
    if signed_on is None:
        raise VendorError("请填写签订日期", "signed_on")
    starts_on = starts_on or signed_on
    _check_term(starts_on, ends_on)
    agreement = Agreement(vendor=vendor, signed_on=signed_on, starts_on=starts_on, ends_on=ends_on,
                          recorded_by=_name(actor))
    if upload is not None:
        _attach(agreement, upload)
    agreement.save()
    record(EventType.AGREEMENT_SAVED, actor=actor, obj=agreement, after=_term_after(agreement) | {"vendor": vendor.name})
    return agreement


@transaction.atomic
def link_staff(vendor: Vendor, person: Person, *, actor) -> StaffLink:
    """Record that a person with the 外包人员 role works for this vendor; repeating it changes nothing."""
    _require_office(actor)
    if not person.has_role(Role.VENDOR):
        raise VendorError(f"「{person}」没有“外包人员”角色，不能登记为外包单位人员", "person")
    if person.departed_on:
        raise VendorError(f"「{person}」已于{person.departed_on:%Y-%m-%d}离岗", "person")
    existing = StaffLink.objects.filter(person=person).select_related("vendor").first()
    if existing is not None:
        if existing.vendor_id == vendor.pk:
            return existing
        raise VendorError(f"「{person}」已登记为「{existing.vendor}」的人员，一人只能属于一个外包单位", "person")
    link = StaffLink.objects.create(person=person, vendor=vendor, linked_by=_name(actor))
    record(EventType.VENDOR_STAFF_ASSIGNED, actor=actor, obj=link,
           after={"vendor": vendor.name, "person": person.username})
    return link


@transaction.atomic
def assign_account(person: Person, account: Account, *, actor) -> Assignment:
    """Let a vendor's staff member draft for and operate one account; repeating it changes nothing."""
    _require_office(actor)
    link = StaffLink.objects.filter(person=person).select_related("vendor").first()
    if link is None:
        raise VendorError(f"「{person}」尚未登记为外包单位人员，请先登记", "person")
    if account.cancelled_on:
        raise VendorError(f"账号{account}已注销，不能分配", "account")
    if account.unit_id != person.unit_id:
        raise VendorError(f"外包人员「{person}」服务于「{person.unit}」，不能分配「{account.unit}」的账号{account}",
                          "account")
    current = Assignment.objects.current().filter(person=person, account=account).first()
    if current is not None:
        return current
    assignment = Assignment.objects.create(person=person, account=account, assigned_by=_name(actor))
    record(EventType.VENDOR_STAFF_ASSIGNED, actor=actor, obj=assignment,
           after={"vendor": link.vendor.name, "person": person.username, "account": str(account)})
    return assignment


@transaction.atomic
def end_assignment(assignment: Assignment, *, actor) -> Assignment:
    """Take an account back from a vendor's staff member; ending an ended assignment changes nothing."""
    _require_office(actor)
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.ended_at is not None:
        return assignment
    assignment.ended_at, assignment.ended_by = timezone.now(), _name(actor)
    assignment.save(update_fields=["ended_at", "ended_by"])
    record(EventType.VENDOR_STAFF_ASSIGNED, actor=actor, obj=assignment,
           before={"person": assignment.person.username, "account": str(assignment.account)},
           after={"ended_at": assignment.ended_at})
    return assignment


@transaction.atomic
def record_supervision(vendor: Vendor, *, evaluated_on: date, period: str, evaluator: str, score: int, grade: str,
                       findings: str, actor) -> Supervision:
    """第二条: the office's periodic evaluation of the vendor's work."""
    _require_office(actor)
    if evaluated_on is None:
        raise VendorError("请填写评价日期", "evaluated_on")
    if evaluated_on > timezone.localdate():
        raise VendorError("评价日期不能晚于今天", "evaluated_on")
    if not (period or "").strip():
        raise VendorError("请填写评价期间（如“2026年第一季度”）", "period")
    if not (evaluator or "").strip():
        raise VendorError("请填写评价人", "evaluator")
    if score is None or not 0 <= score <= 100:
        raise VendorError("得分应为0到100之间的整数", "score")
    if grade not in Grade.values:
        raise VendorError("请选择评价等级", "grade")
    if not (findings or "").strip():
        raise VendorError("请填写发现的问题及意见（没有问题的写“未发现问题”）", "findings")
    supervision = Supervision.objects.create(
        vendor=vendor, evaluated_on=evaluated_on, period=period.strip(), evaluator=evaluator.strip(), score=score,
        grade=grade, findings=findings.strip(), recorded_by=_name(actor))
    record(EventType.SUPERVISION_RECORDED, actor=actor, obj=supervision,
           after={"vendor": vendor.name, "period": supervision.period, "score": score,
                  "grade": supervision.get_grade_display()})
    return supervision
