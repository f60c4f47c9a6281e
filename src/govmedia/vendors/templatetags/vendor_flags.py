"""``{{ person|vendor_flag }}``: a red badge beside a vendor's staff member whose vendor has no valid
confidentiality and security agreement (第二条), for any page that shows people. Empty for everyone else."""

from django import template
from django.utils import timezone
from django.utils.html import format_html

from govmedia.vendors import queries

register = template.Library()


@register.filter
def vendor_flag(person) -> str:
    if person is None or not getattr(person, "pk", None):
        return ""
    found = queries.agreement_of(person, timezone.localdate())
    if found is None or found[1].ok:
        return ""
    vendor, cover = found
    return format_html('<span class="badge text-bg-danger vendor-flag" title="外包单位「{}」保密与安全协议{}">'
                       "无有效保密协议</span>", vendor.name, cover.label)
