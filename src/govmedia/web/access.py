"""Who may see and act on the security administrator's pages (lockouts, sessions, failed sign-ins, OTP devices).

三权分立: the 安全管理员 acts; the 审计员 reads; the 系统管理员 and the office have no part in it.
"""

from __future__ import annotations

from govmedia.org.models import Person, Role


def can_view_sign_in_security(user: Person) -> bool:
    return user.is_authenticated and user.has_role(Role.SECADMIN, Role.AUDITOR)


def can_manage_sign_in_security(user: Person) -> bool:
    return user.is_authenticated and user.has_role(Role.SECADMIN) and not user.has_role(Role.AUDITOR)
