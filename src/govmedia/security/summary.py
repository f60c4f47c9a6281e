"""The account's password-change state for the API and pages (第十二条(一)); filled in by the security app."""


def security_of(account) -> dict:
    return {"password_changed_at": None, "password_due_at": None, "status": None}
