"""Template access to ``reports.access`` (the navbar shows report links only to those who may open them)."""

from django import template

from govmedia.reports import access

register = template.Library()


@register.filter
def can_view_reports(user) -> bool:
    return access.can_view_reports(user)
