"""Navigation shown to the signed-in person, from the one access module."""

from govmedia import policy
from govmedia.org import access
from govmedia.web import access as web_access


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"policy": policy}
    return {
        "policy": policy,
        "nav": {
            "sees_all": access.sees_all_units(user),
            "edits": access.can_edit_any_registry(user),
            "office": access.can_manage_reference_data(user),
            "audit": access.can_view_audit_log(user),
            "secadmin": web_access.can_view_sign_in_security(user),
        }
    }
