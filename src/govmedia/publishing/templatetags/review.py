"""The navbar's notification bell: the unread count and the newest unread messages."""

from django import template

from govmedia.publishing import queries

register = template.Library()
SHOWN = 5


@register.inclusion_tag("publishing/_notification_menu.html", takes_context=True)
def notification_menu(context):
    user = context["request"].user  # only rendered for a signed-in person (base.html)
    unread = queries.unread_notifications(user)
    latest = list(unread.order_by("-id")[:SHOWN])
    count = len(latest) if len(latest) < SHOWN else unread.count()
    return {"unread_count": count, "latest": latest, "csrf_token": context.get("csrf_token")}
