"""Who may open the sign-in's second step and the 安全管理员's pages: every persona, every page and endpoint.

Outcomes as in tests/test_permissions_matrix.py: 200, 403, 405, "login" (to the sign-in page with next), "home"
(a signed-in person sent home), "done" (a permitted POST that redirects onwards).
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern

from govmedia.web import urls as web_urls

COLUMNS = ("office", "clerk", "chief", "leader", "director", "auditor", "vendor", "staff1", "sysadmin", "secadmin")
ALL = lambda cell: " ".join([cell] * len(COLUMNS))  # noqa: E731
READ = "403 403 403 403 403 200 403 403 403 200"       # the 安全管理员 acts, the 审计员 reads
ACT = "403 403 403 403 403 403 403 403 403 done"

PAGES = [
    ("otp_verify", "GET", "/login/verify/", "login", ALL("home"), None),
    ("otp_verify", "POST", "/login/verify/", "login", ALL("home"), {"token": "123456"}),
    ("otp_setup", "GET", "/login/setup/", "login", ALL("home"), None),
    ("otp_setup", "POST", "/login/setup/", "login", ALL("home"), {"token": "123456"}),
    ("secadmin_lockouts", "GET", "/secadmin/lockouts/", "login", READ, None),
    ("secadmin_unlock", "GET", "/secadmin/lockouts/unlock/", "login", ALL("405"), None),
    ("secadmin_unlock", "POST", "/secadmin/lockouts/unlock/", "login", ACT, {"username": "clerk"}),
    ("secadmin_sessions", "GET", "/secadmin/sessions/", "login", READ, None),
    ("secadmin_end_session", "GET", "/secadmin/sessions/clerk/end/", "login", ALL("405"), None),
    ("secadmin_end_session", "POST", "/secadmin/sessions/clerk/end/", "login", ACT, {}),
    ("secadmin_failures", "GET", "/secadmin/failures/", "login", READ, None),
    ("secadmin_devices", "GET", "/secadmin/devices/", "login", READ, None),
    ("secadmin_reset_device", "GET", "/secadmin/devices/office/reset/", "login", ALL("405"), None),
    ("secadmin_reset_device", "POST", "/secadmin/devices/office/reset/", "login", ACT, {}),
]


def _cases():
    for _name, method, path, anonymous, outcomes, data in PAGES:
        label = f"{method} {path}"
        yield pytest.param(method, path, None, anonymous, data, id=f"{label}-anonymous")
        for persona, cell in zip(COLUMNS, outcomes.split(), strict=True):
            yield pytest.param(method, path, persona, cell, data, id=f"{label}-{persona}")


@pytest.mark.parametrize(("method", "path", "persona", "expected", "data"), list(_cases()))
def test_each_persona_gets_the_expected_answer(bureau, client, signed_in, method, path, persona, expected, data):
    if persona is not None:
        client = signed_in(bureau[persona])
    response = client.post(path, data) if method == "POST" else client.get(path)
    if expected == "login":
        assert (response.status_code, response["Location"]) == (302, f"/login/?next={path}")
    elif expected == "home":
        assert (response.status_code, response["Location"]) == (302, "/")
    elif expected == "done":
        assert response.status_code == 302
        assert response["Location"].startswith("/secadmin/")
    else:
        assert response.status_code == int(expected)


def test_the_matrix_covers_every_page_of_the_sign_in_and_the_security_administrator():
    mine = {p.name for p in web_urls.urlpatterns if isinstance(p, URLPattern)} - {
        "home", "login", "logout", "password_change"}  # tests/test_permissions_matrix.py covers these
    assert mine == {name for name, *_ in PAGES}
