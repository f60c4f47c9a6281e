"""The sign-in password rule: enough character classes (第十二条 applied to the platform itself)."""

from __future__ import annotations

import string

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

from govmedia import policy


def character_classes(password: str) -> int:
    classes = [
        any(c.isdigit() for c in password),
        any(c in string.ascii_lowercase for c in password),
        any(c in string.ascii_uppercase for c in password),
        any(not c.isalnum() for c in password),
    ]
    return sum(classes)


class CharacterClassValidator:
    def validate(self, password: str, user=None) -> None:
        if character_classes(password) < policy.LOGIN_PASSWORD_MIN_CLASSES:
            raise ValidationError(
                f"密码须包含数字、小写字母、大写字母、特殊符号中的至少{policy.LOGIN_PASSWORD_MIN_CLASSES}种",
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return f"至少{policy.LOGIN_PASSWORD_MIN_LENGTH}位，包含数字、小写字母、大写字母、特殊符号中的至少{policy.LOGIN_PASSWORD_MIN_CLASSES}种。"


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django 5.2's zh-hans catalogue lacks this message's current msgid, so it would show in English."""

    def get_error_message(self) -> str:
        return f"密码太短，至少需要{self.min_length}位"
