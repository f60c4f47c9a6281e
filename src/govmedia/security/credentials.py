"""Checking a new account password and turning it into a keyed hash (第十二条(一)).

The password lives only in the caller's variables while these run: it is never logged, stored, put in an
exception message or echoed back. ``weakness`` says what is wrong without quoting it; ``digest`` is
HMAC-SHA256 under the server key, outside the database.
"""

from __future__ import annotations

import hashlib
import hmac
import string

from django.conf import settings

from govmedia import policy

CLASS_LABELS = ("数字", "字母", "特殊符号")


def character_classes(password: str) -> set[str]:
    """Which of digits, letters (a–z, A–Z) and symbols (any other visible character) the password uses."""
    found = set()
    for char in password:
        if char in string.digits:
            found.add("数字")
        elif char in string.ascii_letters:
            found.add("字母")
        elif char.isprintable() and not char.isspace():
            found.add("特殊符号")
    return found


def weakness(password: str) -> str | None:
    """The Chinese reason the password is too weak, or None when it meets the policy."""
    rule = (f"账号密码至少{policy.CREDENTIAL_MIN_LENGTH}位，且至少使用数字、字母、特殊符号中的"
            f"{policy.CREDENTIAL_MIN_CLASSES}种（第十二条(一)）")
    if not password:
        return "请填写新密码"
    if any(char.isspace() or not char.isprintable() for char in password):
        return "新密码不能包含空格、换行等不可见字符"
    if len(password) > policy.CREDENTIAL_MAX_LENGTH:
        return f"新密码过长，最多{policy.CREDENTIAL_MAX_LENGTH}位"
    problems = []
    if len(password) < policy.CREDENTIAL_MIN_LENGTH:
        problems.append(f"只有{len(password)}位")
    classes = character_classes(password)
    if len(classes) < policy.CREDENTIAL_MIN_CLASSES:
        used = "、".join(label for label in CLASS_LABELS if label in classes) or "无"
        problems.append(f"只使用了{used}")
    if problems:
        return f"新密码强度不足：{'，'.join(problems)}。{rule}"
    return None


def _key() -> bytes:
    return settings.CREDENTIAL_HASH_KEY.encode()


def key_id() -> str:
    """A short fingerprint of the current key, stored beside each digest (never the key itself)."""
    return hmac.new(_key(), b"govmedia credential key id", hashlib.sha256).hexdigest()[:16]


def digest(account_id: int, password: str) -> str:
    """HMAC-SHA256(server key, "<account id>:<password>") in hex: per account, irreversible without the key."""
    return hmac.new(_key(), f"{account_id}:{password}".encode(), hashlib.sha256).hexdigest()


def matches(stored: str, account_id: int, password: str) -> bool:
    return hmac.compare_digest(stored, digest(account_id, password))
