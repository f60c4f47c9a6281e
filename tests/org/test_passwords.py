"""The sign-in password policy (8 characters, 3 of 4 classes, changed every 90 days) and hashed API tokens."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import connection

from govmedia.audit.events import EventType
from govmedia.audit.models import AuditEvent
from govmedia.org.actions import issue_token, person_for_token
from govmedia.org.models import ApiToken
from govmedia.org.passwords import CharacterClassValidator, character_classes

TOO_SHORT = "密码太短，至少需要8位"
TOO_SIMPLE = "密码须包含数字、小写字母、大写字母、特殊符号中的至少3种"
STRONG = "Wj#2026xyz"


@pytest.mark.parametrize(("password", "classes"), [
    ("abcdefgh", 1), ("abcd1234", 2), ("abcD1234", 3), ("abc!1234", 3), ("aB1!", 4), ("", 0),
])
def test_character_classes_are_counted(password, classes):
    assert character_classes(password) == classes


@pytest.mark.parametrize("password", ["Qz7kWm2x", "qz7k!wm2", "QZ7K!WM2", "Qzk!Wmxy", "Wj#2026xyz"])
def test_eight_characters_of_three_classes_are_accepted(password):
    validate_password(password)


@pytest.mark.parametrize(("password", "message"), [
    ("Qz7k!Wm", TOO_SHORT),                # 7 characters, four classes
    ("qz7kwm2x", TOO_SIMPLE),              # 8 characters, two classes
    ("QZKWMXYP", TOO_SIMPLE),              # one class
    ("qz!kwm?x", TOO_SIMPLE),              # lower-case and symbols only
])
def test_weak_passwords_are_refused_in_chinese(password, message):
    with pytest.raises(ValidationError) as caught:
        validate_password(password)
    assert message in caught.value.messages


def test_the_character_class_rule_explains_itself_in_chinese():
    assert CharacterClassValidator().get_help_text() == "至少8位，包含数字、小写字母、大写字母、特殊符号中的至少3种。"


def _change(client, password, new, again=None):
    return client.post("/password/", {"old_password": password, "new_password": new,
                                      "new_password2": new if again is None else again})


@pytest.mark.parametrize(("new", "message"), [("Qz7k!Wm", TOO_SHORT), ("qz7kwm2x", TOO_SIMPLE)])
def test_the_change_password_page_refuses_a_weak_password_in_chinese(signed_in, clerk, password, new, message):
    client = signed_in(clerk)
    response = _change(client, password, new)
    assert response.status_code == 200
    assert message in response.content.decode()
    clerk.refresh_from_db()
    assert clerk.check_password(password)


def test_the_change_password_page_refuses_mismatched_entries(signed_in, clerk, password):
    response = _change(signed_in(clerk), password, STRONG, again=STRONG + "!")
    assert "两次输入的新密码不一致" in response.content.decode()


def test_the_change_password_page_refuses_a_wrong_current_password(signed_in, clerk):
    response = _change(signed_in(clerk), "Not@thePassw0rd", STRONG)
    assert "当前密码不正确" in response.content.decode()
    clerk.refresh_from_db()
    assert not clerk.check_password(STRONG)


def test_a_strong_new_password_is_saved_audited_and_keeps_the_session(signed_in, clerk, password):
    client = signed_in(clerk)
    before = clerk.password_changed_at
    response = _change(client, password, STRONG)
    assert (response.status_code, response["Location"]) == (302, "/")
    clerk.refresh_from_db()
    assert clerk.check_password(STRONG)
    assert clerk.password_changed_at > before
    last = AuditEvent.objects.order_by("-seq").first()
    assert (last.event_type, last.actor_id) == (EventType.PASSWORD_CHANGED, clerk.pk)
    assert client.get("/").status_code == 200


def test_a_password_exactly_90_days_old_is_still_accepted(signed_in, clerk):
    with time_machine.travel(clerk.password_changed_at + timedelta(days=90), tick=False):
        assert signed_in(clerk).get("/").status_code == 200


def test_a_password_older_than_90_days_forces_the_change_password_page(signed_in, clerk, password):
    with time_machine.travel(clerk.password_changed_at + timedelta(days=90, seconds=1), tick=False):
        client = signed_in(clerk)
        for path in ("/", "/accounts/", "/filings/"):
            response = client.get(path)
            assert (response.status_code, response["Location"]) == (302, "/password/?expired=1")
        page = client.get("/password/?expired=1").content.decode()
        assert "您的密码已超过90天未修改" in page
        assert _change(client, password, STRONG).status_code == 302
        assert client.get("/accounts/").status_code == 200


def test_an_api_token_is_stored_only_as_its_digest(office, clerk):
    token = issue_token(clerk, actor=office)
    row = ApiToken.objects.get(person=clerk)
    assert row.digest == hashlib.sha256(token.encode()).hexdigest()
    assert token.startswith(row.prefix) and len(row.prefix) == 8 < len(token)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM org_apitoken")
        stored = [str(value) for record in cursor.fetchall() for value in record]
    assert not [value for value in stored if token in value or token[8:] in value]
    audited = AuditEvent.objects.order_by("-seq").first()
    assert audited.event_type == EventType.TOKEN_ISSUED
    assert token[8:] not in str(audited.after)


def test_an_api_token_finds_its_person_and_nothing_else_does(office, clerk):
    token = issue_token(clerk, actor=office)
    assert person_for_token(token) == clerk
    assert person_for_token(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert person_for_token(ApiToken.objects.get(person=clerk).digest) is None
