"""The public report page's simple challenge: an arithmetic question, checked on the server.

Stateless across workers: the question's answer travels only as a keyed digest inside a signed, timestamped
token (django.core.signing with SECRET_KEY), so the page cannot be read for it and an old token expires after
policy.COUNTERFEIT_CHALLENGE_MINUTES. No external captcha service: the intranet has no internet.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

from govmedia import policy

SALT = "govmedia.counterfeit.challenge"


def _digest(nonce: str, answer: int) -> str:
    return salted_hmac(SALT, f"{nonce}:{answer}", algorithm="sha256").hexdigest()[:32]


def new() -> tuple[str, str]:
    """(question in Chinese, token for the hidden field)."""
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    if secrets.randbelow(2):
        question, answer = f"{a} 加 {b} 等于几？", a + b
    else:
        a, b = max(a, b), min(a, b)
        question, answer = f"{a} 减 {b} 等于几？", a - b
    nonce = secrets.token_urlsafe(9)
    return question, signing.dumps({"n": nonce, "d": _digest(nonce, answer)}, salt=SALT)


def check(token: str, answer: str) -> str | None:
    """None when the answer is right and the token genuine and fresh; otherwise the Chinese reason."""
    try:
        data = signing.loads(token or "", salt=SALT,
                             max_age=timedelta(minutes=policy.COUNTERFEIT_CHALLENGE_MINUTES))
    except signing.SignatureExpired:
        return "验证题已过期，请回答新的验证题"
    except signing.BadSignature:
        return "验证题无效，请回答新的验证题"
    answer = (answer or "").strip()
    if not answer.isdigit():
        return "请用阿拉伯数字填写验证题的答案"
    if not constant_time_compare(_digest(str(data.get("n")), int(answer)), str(data.get("d"))):
        return "验证题答案不正确，请重新计算"
    return None
