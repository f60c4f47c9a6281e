"""No superuser in production (等保 2.0 三权分立): a superuser would hold every power the three roles split."""

from __future__ import annotations

from django.core.checks import Error, Tags, register
from django.db import DatabaseError


@register(Tags.security, deploy=True)
def no_active_superuser(app_configs, **kwargs):
    """Deployment check: fails while any active person is a superuser. A database without tables passes."""
    from govmedia.org.models import Person

    try:
        names = list(Person.objects.filter(is_superuser=True, is_active=True).values_list("username", flat=True)[:5])
    except DatabaseError:  # not migrated yet: nobody there
        return []
    if not names:
        return []
    return [Error(
        f"存在超级用户：{'、'.join(names)}。生产环境不得设超级用户（三权分立：系统管理员、安全管理员、审计员分设）。",
        hint="取消这些人员的超级用户标记（is_superuser），改为授予相应角色。",
        id="govmedia.E001",
    )]
