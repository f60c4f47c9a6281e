"""What 外包服务管理 adds to the home page (待办 and warnings), for one person."""

from django.utils import timezone

from govmedia.vendors import access, queries


def context(user, now) -> dict:
    """The office (and auditor) see vendors whose contract or agreement ends soon, has ended or is missing;
    a vendor's staff member sees the accounts assigned to them, and a warning when their vendor has no valid
    confidentiality and security agreement."""
    on = timezone.localdate(now)
    context = {}
    if access.can_view_vendors(user):
        context["vendors_attention"] = queries.attention(on)
    if access.is_vendor_staff(user):
        found = queries.agreement_of(user, on)
        context["vendors_mine"] = {
            "assignments": list(queries.assignments_of(user)),
            "vendor": found[0] if found else None,
            "agreement": found[1] if found else None,
        }
    return context
