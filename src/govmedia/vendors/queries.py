"""Named questions about vendors: each vendor's cover by contract and agreement on a day, and who needs a word.

A bureau has a handful of vendors, so cover is computed in Python over prefetched terms (``models.coverage``);
lists stay at a fixed number of queries whatever their length.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch

from govmedia.org.models import Person, Role
from govmedia.vendors.models import Assignment, Cover, Coverage, StaffLink, Supervision, Vendor, coverage


@dataclass(frozen=True)
class VendorRow:
    vendor: Vendor
    contract: Coverage
    agreement: Coverage
    staff: int
    latest: Supervision | None

    @property
    def needs_attention(self) -> bool:
        return self.contract.state != Cover.VALID or self.agreement.state != Cover.VALID


def vendors():
    return Vendor.objects.prefetch_related(
        "contracts", "agreements", "staff",
        Prefetch("supervisions", queryset=Supervision.objects.order_by("-evaluated_on", "-id")),
    )


def row(vendor: Vendor, on: date) -> VendorRow:
    supervisions = list(vendor.supervisions.all())
    return VendorRow(vendor, coverage(vendor.contracts.all(), on), coverage(vendor.agreements.all(), on),
                     len(vendor.staff.all()), supervisions[0] if supervisions else None)


def rows(on: date, qs=None) -> list[VendorRow]:
    return [row(v, on) for v in (qs if qs is not None else vendors())]


def attention(on: date) -> list[VendorRow]:
    """Vendors whose contract or agreement is ending soon, has ended, or is missing (the office's home page)."""
    return [r for r in rows(on) if r.needs_attention]


def agreement_of(person: Person, on: date) -> tuple[Vendor, Coverage] | None:
    """The vendor a staff member works for and that vendor's agreement cover; None for anyone not linked."""
    link = StaffLink.objects.filter(person=person).select_related("vendor").first()
    if link is None:
        return None
    return link.vendor, coverage(link.vendor.agreements.all(), on)


def assignments_of(person: Person):
    return Assignment.objects.current().filter(person=person).select_related("account__platform", "account__unit")


def unlinked_vendor_people():
    """People with the 外包人员 role not yet recorded as any vendor's staff (the choices when linking)."""
    return (Person.objects.filter(role_grants__role=Role.VENDOR, is_active=True, vendor_link__isnull=True,
                                  departed_on__isnull=True).distinct().order_by("username"))
