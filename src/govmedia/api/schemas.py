"""Request and response bodies of the JSON API.

Outputs are read from model instances through ``resolve_*``; inputs carry ids and usernames, which the
endpoints turn into objects before calling an action. Fields a client may echo back from a GET (id, status,
events…) are not declared on the inputs, so they are ignored rather than refused.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from ninja import Field, Schema
from pydantic import field_validator

from govmedia import policy
from govmedia.registry.models import EventKind, FilingStatus, Status

_url = URLValidator(schemes=["http", "https"])


def _check_url(value: str | None) -> str | None:
    if value and value.strip():
        try:
            _url(value.strip())
        except DjangoValidationError:
            raise ValueError("链接格式不正确，应以 http:// 或 https:// 开头") from None
    return value


class ErrorOut(Schema):
    detail: str
    field: str | None = None


class ValidationErrorOut(Schema):
    detail: str
    errors: list[dict]


class UnitOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str


class PlatformOut(Schema):
    id: int
    name: str
    approved: bool


class FilingOut(Schema):
    id: int
    due_date: date
    provisional: bool
    status: FilingStatus
    filed_on: date | None
    reference: str

    @staticmethod
    def resolve_provisional(obj) -> bool:
        return obj.due_provisional

    @staticmethod
    def resolve_status(obj) -> FilingStatus:
        return obj.status()


class FilingRowOut(FilingOut):
    """A filing in a list: with the event and account it is for."""

    status_label: str
    event: int
    kind: EventKind
    effective_date: date
    account: int
    account_name: str
    unit: int
    unit_name: str
    platform_name: str

    @staticmethod
    def resolve_status_label(obj) -> str:
        return obj.status().label

    @staticmethod
    def resolve_event(obj) -> int:
        return obj.event_id

    @staticmethod
    def resolve_kind(obj) -> str:
        return obj.event.kind

    @staticmethod
    def resolve_effective_date(obj) -> date:
        return obj.event.effective_date

    @staticmethod
    def resolve_account(obj) -> int:
        return obj.event.account_id

    @staticmethod
    def resolve_account_name(obj) -> str:
        return obj.event.account.name

    @staticmethod
    def resolve_unit(obj) -> int:
        return obj.event.account.unit_id

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.event.account.unit.name

    @staticmethod
    def resolve_platform_name(obj) -> str:
        return obj.event.account.platform.name


class EventOut(Schema):
    id: int
    kind: EventKind
    effective_date: date
    details: dict
    note: str
    recorded_by: str
    filing: FilingOut


class AccountOut(Schema):
    id: int
    unit: int
    unit_name: str
    platform: int
    platform_name: str
    name: str
    platform_uid: str
    url: str
    subject: str
    purpose: str
    managers: list[str] = Field(description="专职管理人员的用户名")
    preconditions: dict[str, str] = Field(description="开设条件 → 佐证材料（第四条）")
    opened_on: date | None
    closed_on: date | None
    cancelled_on: date | None
    status: Status
    status_label: str
    created_at: datetime

    @staticmethod
    def resolve_unit(obj) -> int:
        return obj.unit_id

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_platform(obj) -> int:
        return obj.platform_id

    @staticmethod
    def resolve_platform_name(obj) -> str:
        return obj.platform.name

    @staticmethod
    def resolve_managers(obj) -> list[str]:
        return [person.username for person in obj.managers.all()]

    @staticmethod
    def resolve_preconditions(obj) -> dict[str, str]:
        return {key: obj.preconditions.get(key, "") for key in policy.OPENING_PRECONDITIONS}

    @staticmethod
    def resolve_status(obj) -> Status:
        return obj.status()

    @staticmethod
    def resolve_status_label(obj) -> str:
        return obj.status().label


class UpdateOut(Schema):
    """第六条 weekly updates, derived from the newest post (status null: the account is not running)."""

    last_post_at: datetime | None
    status: Literal["ok", "due", "overdue", "veto", "dormant"] | None
    due_at: datetime | None


class SecurityOut(Schema):
    """第十二条(一) password changes of the platform account, derived from the last recorded change."""

    password_changed_at: datetime | None
    password_due_at: datetime | None
    status: Literal["ok", "due", "overdue"] | None


class AccountDetailOut(AccountOut):
    events: list[EventOut]
    update: UpdateOut
    security: SecurityOut

    @staticmethod
    def resolve_events(obj) -> list:
        return list(obj.events.all())

    @staticmethod
    def resolve_update(obj) -> dict:
        from govmedia.monitoring.updates import update_of

        return update_of(obj).as_dict()

    @staticmethod
    def resolve_security(obj) -> dict:
        from govmedia.security.summary import security_of

        return security_of(obj)


class AccountIn(Schema):
    """A new account through the opening checklist; with ``opened_on`` it is opened and filed too."""

    unit: int = Field(description="主办单位编号")
    platform: int | str = Field(description="平台编号，或平台名称")
    name: str = Field(max_length=100)
    subject: str = Field(max_length=100, description="认证主体：主办单位全称")
    purpose: str = Field("", max_length=300)
    platform_uid: str = Field("", max_length=100)
    url: str = Field("", max_length=500)
    managers: list[str] = Field(default_factory=list, description="专职管理人员的用户名")
    preconditions: dict[str, str] = Field(
        default_factory=dict, description="开设条件佐证，键为 " + "、".join(policy.OPENING_PRECONDITIONS)
    )
    opened_on: date | None = None

    check_url = field_validator("url")(_check_url)


class ChangesIn(Schema):
    name: str | None = Field(None, max_length=100)
    platform_uid: str | None = Field(None, max_length=100)
    url: str | None = Field(None, max_length=500)
    subject: str | None = Field(None, max_length=100)
    purpose: str | None = Field(None, max_length=300)
    unit: int | None = Field(None, description="新的主办单位编号（须同时填写 public_notice）")

    check_url = field_validator("url")(_check_url)


class EventIn(Schema):
    kind: EventKind
    effective_date: date
    note: str = Field("", max_length=500)
    changes: ChangesIn | None = None
    notice: str = Field("", max_length=500, description="停更公告（关停时必填）")
    public_notice: str = Field("", max_length=500, description="变更公告（主办单位变化时必填）")


class FilingCompleteIn(Schema):
    filed_on: date
    reference: str = Field(max_length=100)


class PublicAccountOut(Schema):
    unit_name: str
    platform_name: str
    name: str
    platform_uid: str
    url: str

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_platform_name(obj) -> str:
        return obj.platform.name


# "open": every filing not yet filed, whatever its deadline; the rest are FilingStatus values.
FilingFilter = Literal[("open", *FilingStatus.values)]
