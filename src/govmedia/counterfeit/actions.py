"""Everything that changes a counterfeit case (第十二条(三)). Each verb checks, writes and audits in one transaction.

Steps go in the regulation's order — verify → coordinate → letter → report upward → close — and each refuses
from the wrong state with ``CounterfeitError`` (code "conflict", the API's 409) naming the step still missing.
Bad input is refused with code "invalid" and the field at fault. Only the lead office works cases.
"""

from __future__ import annotations

import hashlib
from datetime import date

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from govmedia import policy
from govmedia.audit.actions import actor_label, record
from govmedia.audit.events import EventType
from govmedia.counterfeit import throttle
from govmedia.counterfeit.access import can_work_cases
from govmedia.counterfeit.models import Agency, CaseStatus, Coordination, CounterfeitCase
from govmedia.publishing import notify
from govmedia.registry.actions import RegistryError
from govmedia.registry.models import Account
from govmedia.vendors.files import IMAGE_KINDS, image_kind

PUBLIC = "公众举报"
MAX_MB = policy.COUNTERFEIT_SCREENSHOT_MAX_BYTES // (1024 * 1024)
LIMITS = {"platform": 50, "name": 100, "url": 500, "description": 2000}
_url = URLValidator(schemes=["http", "https"])


class CounterfeitError(RegistryError):
    """A refusal: ``message`` as shown, ``field`` at fault, ``code`` "invalid" (422) or "conflict" (409)."""

    def __init__(self, message: str, field: str | None = None, code: str = "invalid"):
        super().__init__(message, field)
        self.code = code


class Throttled(CounterfeitError):
    """Too many reports from one address within the hour (429)."""

    def __init__(self):
        super().__init__(throttle.REFUSAL, None, "throttled")


def _name(actor) -> str:
    return actor_label(actor)[1]


def _require_office(actor) -> None:
    if not isinstance(actor, str) and not can_work_cases(actor):
        raise PermissionDenied("只有局办公室管理员可以处置假冒账号")


# --- The public report --------------------------------------------------------------------------------------


def clean_report(platform: str, name: str, url: str, description: str) -> dict:
    values = {"platform": (platform or "").strip(), "name": (name or "").strip(), "url": (url or "").strip(),
              "description": (description or "").strip()}
    for field, label in (("platform", "平台"), ("name", "账号名称"), ("description", "情况描述")):
        if not values[field]:
            raise CounterfeitError(f"请填写{label}", field)
    for field, limit in LIMITS.items():
        if len(values[field]) > limit:
            raise CounterfeitError(f"{CounterfeitCase._meta.get_field(field).verbose_name}过长，最多{limit}个字符", field)
    if values["url"]:
        try:
            _url(values["url"])
        except DjangoValidationError:
            raise CounterfeitError("链接格式不正确，应以 http:// 或 https:// 开头", "url") from None
    return values


def check_screenshot(data: bytes, name: str = "截图") -> str:
    """The stored suffix of an image screenshot; refuses what is too large or is not an image by its content."""
    if len(data) > policy.COUNTERFEIT_SCREENSHOT_MAX_BYTES:
        raise CounterfeitError(f"截图「{name}」过大（{len(data) / 1024 / 1024:.1f}MB），上限{MAX_MB}MB", "screenshot")
    suffix = image_kind(data[:32])
    if suffix is None:
        raise CounterfeitError(f"「{name}」不是图片文件，截图仅支持 PNG、JPEG、GIF、WebP 格式", "screenshot")
    return suffix


@transaction.atomic
def report(*, platform: str, name: str, url: str = "", description: str, client: str,
           screenshot: bytes | None = None, screenshot_name: str = "截图") -> CounterfeitCase:
    """A member of the public reports a suspected counterfeit. ``client`` is the keyed hash of their address
    (throttle.client_key); more than the hourly limit from one client raises ``Throttled`` and stores nothing."""
    values = clean_report(platform, name, url, description)
    suffix = check_screenshot(screenshot, screenshot_name) if screenshot else ""
    throttle.lock(client)
    now = timezone.now()
    if throttle.exceeded(client, now):
        raise Throttled
    case = CounterfeitCase.objects.create(reported_at=now, **values)
    case.reference = f"JM{timezone.localtime(now):%Y%m%d}{case.pk:04d}"
    if screenshot:
        digest = hashlib.sha256(screenshot).hexdigest()[:16]
        case.screenshot.save(f"{digest}{suffix}", ContentFile(screenshot), save=False)
        case.screenshot_type = IMAGE_KINDS[suffix]
    case.save()
    throttle.note(client, now)
    record(EventType.COUNTERFEIT_REPORTED, actor=PUBLIC, obj=case,
           after=values | {"reference": case.reference, "screenshot": bool(screenshot)})
    office = notify.office()
    notify.send(office, f"收到假冒账号举报：{case.platform}「{case.name}」（{case.reference}）",
                 f"/counterfeit/{case.pk}/")
    return case


# --- The office's steps -------------------------------------------------------------------------------------

def _locked(case: CounterfeitCase, actor) -> tuple[CounterfeitCase, CaseStatus]:
    _require_office(actor)
    case = CounterfeitCase.objects.select_for_update().get(pk=case.pk)
    status = case.status()
    if status in (CaseStatus.CLOSED, CaseStatus.DISMISSED):
        raise CounterfeitError(f"案件{case.reference}已结案", code="conflict")
    return case, status


def _require_verified(status: CaseStatus) -> None:
    if status == CaseStatus.NEW:
        raise CounterfeitError("须先核实该账号是否假冒", code="conflict")


@transaction.atomic
def verify(case: CounterfeitCase, *, is_counterfeit: bool, note: str = "", imitates: list[Account] = (),
           actor) -> CounterfeitCase:
    """核实. A report found not to be a counterfeit is closed at once with the reason as its outcome."""
    case, status = _locked(case, actor)
    if status != CaseStatus.NEW:
        raise CounterfeitError(f"案件{case.reference}已于{timezone.localtime(case.verified_at):%Y-%m-%d}核实", code="conflict")
    note = (note or "").strip()
    if is_counterfeit is None:
        raise CounterfeitError("请选择核实结论：是否假冒", "is_counterfeit")
    if not is_counterfeit and not note:
        raise CounterfeitError("认定不属于假冒的，须填写核实情况（理由）", "note")
    now, name = timezone.now(), _name(actor)
    case.verified_at, case.verified_by, case.is_counterfeit, case.verification_note = now, name, is_counterfeit, note
    if not is_counterfeit:
        case.closed_at, case.closed_by, case.outcome = now, name, f"经核实不属于假冒账号：{note}"
    case.save()
    case.imitates.set(list(imitates) if is_counterfeit else [])
    record(EventType.COUNTERFEIT_STEP, actor=actor, obj=case,
           after={"step": "核实", "is_counterfeit": is_counterfeit, "note": note,
                  "imitates": [str(a) for a in imitates] if is_counterfeit else []})
    if not is_counterfeit:
        record(EventType.COUNTERFEIT_CLOSED, actor=actor, obj=case, after={"outcome": case.outcome})
    return case


@transaction.atomic
def add_coordination(case: CounterfeitCase, *, agency: str, on: date, contact: str, content: str,
                     agency_name: str = "", actor) -> Coordination:
    """协调: one exchange with 网信、公安、电信 or another department; a case may have several."""
    case, status = _locked(case, actor)
    _require_verified(status)
    if agency not in Agency.values:
        raise CounterfeitError("请选择部门（网信、公安、电信或其他）", "agency")
    agency_name = (agency_name or "").strip()
    if agency == Agency.OTHER and not agency_name:
        raise CounterfeitError("选择“其他部门”的，请填写部门名称", "agency_name")
    if on is None:
        raise CounterfeitError("请填写日期", "on")
    if on > timezone.localdate():
        raise CounterfeitError("日期不能晚于今天", "on")
    if not (contact or "").strip():
        raise CounterfeitError("请填写对接人及联系方式", "contact")
    if not (content or "").strip():
        raise CounterfeitError("请填写沟通内容", "content")
    coordination = Coordination.objects.create(case=case, agency=agency, agency_name=agency_name, on=on,
                                               contact=contact.strip(), content=content.strip(),
                                               recorded_by=_name(actor))
    record(EventType.COUNTERFEIT_STEP, actor=actor, obj=case,
           after={"step": "协调", "agency": coordination.agency_label(), "on": on, "contact": coordination.contact})
    return coordination


@transaction.atomic
def issue_letter(case: CounterfeitCase, *, contact: str, unit: str, actor) -> CounterfeitCase:
    """致函: fix the letter's contact and issuing unit; the .docx is built from the case (letter.build_letter)."""
    case, status = _locked(case, actor)
    _require_verified(status)
    if not case.coordinations.exists():
        raise CounterfeitError("须先记录与网信、公安、电信等部门的沟通情况，再向平台致函", code="conflict")
    contact, unit = (contact or "").strip(), (unit or "").strip()
    if not contact:
        raise CounterfeitError("请填写函中的联系人及电话", "contact")
    if not unit:
        raise CounterfeitError("请填写发函单位", "unit")
    before = {"contact": case.letter_contact, "unit": case.letter_unit} if case.letter_at else None
    case.letter_at = case.letter_at or timezone.now()
    case.letter_by, case.letter_contact, case.letter_unit = _name(actor), contact[:100], unit[:100]
    case.save(update_fields=["letter_at", "letter_by", "letter_contact", "letter_unit"])
    record(EventType.COUNTERFEIT_LETTER, actor=actor, obj=case, before=before,
           after={"platform": case.platform, "contact": contact, "unit": unit})
    return case


@transaction.atomic
def report_upward(case: CounterfeitCase, *, on: date, to: str, note: str = "", actor) -> CounterfeitCase:
    """上报: the case is reported to the level above (e.g. 市人社局、区委网信办)."""
    case, status = _locked(case, actor)
    _require_verified(status)
    if case.letter_at is None:
        raise CounterfeitError("须先向平台致函，再向上级报告", code="conflict")
    if case.reported_up_at is not None:
        raise CounterfeitError(f"已于{case.reported_up_on:%Y-%m-%d}向{case.reported_up_to}报告", code="conflict")
    if on is None:
        raise CounterfeitError("请填写上报日期", "on")
    if on > timezone.localdate():
        raise CounterfeitError("上报日期不能晚于今天", "on")
    if not (to or "").strip():
        raise CounterfeitError("请填写上报对象", "to")
    case.reported_up_at, case.reported_up_on, case.reported_up_to = timezone.now(), on, to.strip()
    case.reported_up_note, case.reported_up_by = (note or "").strip(), _name(actor)
    case.save()
    record(EventType.COUNTERFEIT_STEP, actor=actor, obj=case, after={"step": "上报", "on": on, "to": case.reported_up_to})
    return case


@transaction.atomic
def close(case: CounterfeitCase, *, outcome: str, actor) -> CounterfeitCase:
    """结案 with the outcome (e.g. the platform closed the account on a date)."""
    case, status = _locked(case, actor)
    _require_verified(status)
    if case.reported_up_at is None:
        raise CounterfeitError("须先向上级报告，再结案", code="conflict")
    if not (outcome or "").strip():
        raise CounterfeitError("请填写处置结果", "outcome")
    case.closed_at, case.closed_by, case.outcome = timezone.now(), _name(actor), outcome.strip()
    case.save(update_fields=["closed_at", "closed_by", "outcome"])
    record(EventType.COUNTERFEIT_CLOSED, actor=actor, obj=case, after={"outcome": case.outcome})
    return case
