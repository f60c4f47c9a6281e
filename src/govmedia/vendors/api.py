"""外包服务管理 over JSON under /api/v1: the office and the auditor read the vendors and their cover."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from ninja import Router, Schema

from govmedia.api.schemas import ErrorOut
from govmedia.vendors import access, queries

router = Router(tags=["外包服务管理"])


class CoverOut(Schema):
    status: str
    status_label: str
    until: date | None
    days_left: int | None


class VendorOut(Schema):
    id: int
    name: str
    credit_code: str
    contract: CoverOut
    agreement: CoverOut
    staff: list[str]
    assigned_accounts: list[str]


def _cover(cover) -> dict:
    return {"status": cover.state.value, "status_label": cover.label, "until": cover.until,
            "days_left": cover.days_left}


@router.get("/vendors", response={200: list[VendorOut], 403: ErrorOut}, summary="外包单位及其合同、保密协议状态")
def list_vendors(request):
    if not access.can_view_vendors(request.auth):
        raise PermissionDenied("只有局办公室和审计员可以查看外包服务管理")
    on = timezone.localdate()
    rows = queries.rows(on, queries.vendors().prefetch_related("staff__person__vendor_assignments__account__platform"))
    return [{
        "id": r.vendor.pk, "name": r.vendor.name, "credit_code": r.vendor.credit_code,
        "contract": _cover(r.contract), "agreement": _cover(r.agreement),
        "staff": [link.person.username for link in r.vendor.staff.all()],
        "assigned_accounts": sorted({str(a.account) for link in r.vendor.staff.all()
                                     for a in link.person.vendor_assignments.all() if a.ended_at is None}),
    } for r in rows]
