"""Personal information (第十一条(三)): ID numbers, mobiles, bank cards, personal e-mail, home addresses.

Numbers are judged by their checks, not their length: an 18-digit ID needs a real province, a real birth
date and the GB 11643 check digit; a card needs Luhn and either card context or a UnionPay prefix. Masked
values (with *) never match. Landlines, service hotlines, credit codes and amounts are not personal.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from datetime import UTC, date, datetime

from govmedia.screening.findings import BLOCK, WARN
from govmedia.screening.rules import Context, Hit, Rule

PROVINCES = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
             53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83, 91}
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"

ID18 = re.compile(r"(?<![0-9a-z])(\d{17}[\dx])(?![0-9a-z])")
ID15 = re.compile(r"(?<![0-9a-z])(\d{15})(?![0-9a-z])")
MOBILE = re.compile(r"(?<![\d])(?:\+?86[ -]?)?(1[3-9]\d[ -]?\d{4}[ -]?\d{4})(?![\d])")
CARD = re.compile(r"(?<![\d])(\d{4}(?: ?\d{4}){2,3}(?: ?\d{1,3})?)(?![\d])")
EMAIL = re.compile(r"[a-z0-9._%+-]+@([a-z0-9-]+(?:\.[a-z0-9-]+)+)")
ADDRESS = re.compile(
    r"[\u4e00-\u9fa5]{2,}(?:路|街|巷|弄|道|村|小区|花园|苑|公寓|新村|家园|大厦|广场|社区)"
    r"[\u4e00-\u9fa50-9-]{0,12}?\d+(?:幢|栋|号楼|座)(?:\d+(?:单元))?\d*(?:室|号房)?"
    r"|[\u4e00-\u9fa5]{2,}(?:小区|花园|苑|公寓|新村|家园)\d+(?:-\d+)+(?:室)?"
)
# 15000000000元, ¥6212…: a number written as money is an amount, not an identifier.
AMOUNT_AFTER = re.compile(r"\s*(?:\.\d|元|万元|亿元|美元|块钱)")
AMOUNT_BEFORE = re.compile(r"[¥$€£]\s*$")
# Speed: ADDRESS backtracks over every run of Chinese characters; it needs a digit before 幢/栋/号楼/座 (first
# branch) or digit-digit (second), so it runs only where one is.
ADDRESS_NEEDS = re.compile(r"\d(?:幢|栋|号楼|座|-\d)")
# Speed: ID18, ID15, MOBILE and CARD each need a digit and ten more digits, spaces or hyphens (an ID's 15 or 18
# digits, a mobile's 11 with at most two separators, a card's 12 or more with spaces), so they run only where
# one is: most texts' numbers are years, dates and amounts.
NUMBER_NEEDS = re.compile(r"\d[\d -]{10}")
# Speed (Rule.trigger): check() looks for numbers only where NUMBER_NEEDS matches, for an e-mail only where an @
# is, for an address only where ADDRESS_NEEDS matches: the trigger is the three together (a year, 2024年, is
# none of them). Widen it with every new pattern. Written to start with one character class (\d…|@), which the
# regex engine skips ahead to: three times faster over a long text.
TRIGGER = re.compile(r"[\d@](?:(?<=@)|[\d -]{10}|幢|栋|号楼|座|-\d)")
CARD_CONTEXT = ("银行卡", "卡号", "账号", "帐号", "储蓄卡", "信用卡", "借记卡", "社保卡", "开户", "银行", "银联")
PERSONAL_MAIL = {"qq.com", "163.com", "126.com", "yeah.net", "sina.com", "sina.cn", "sohu.com", "gmail.com",
                 "foxmail.com", "hotmail.com", "outlook.com", "139.com", "189.cn", "aliyun.com", "icloud.com",
                 "yahoo.com", "live.com", "msn.com", "tom.com", "21cn.com", "wo.cn"}


def is_amount(text: str, start: int, end: int) -> bool:
    return bool(AMOUNT_AFTER.match(text, end) or AMOUNT_BEFORE.search(text, max(0, start - 2), start))


def personal_mail(domain: str) -> bool:
    """qq.com, and its subdomains (vip.qq.com, vip.163.com)."""
    return any(domain == d or domain.endswith("." + d) for d in PERSONAL_MAIL)


def real_date(y: int, m: int, d: int) -> bool:
    try:
        born = date(y, m, d)
    except ValueError:
        return False
    return date(1900, 1, 1) <= born <= datetime.now(tz=UTC).date()  # nobody is born in the future


def valid_id18(number: str) -> bool:
    if int(number[:2]) not in PROVINCES or not real_date(int(number[6:10]), int(number[10:12]), int(number[12:14])):
        return False
    total = sum(int(c) * w for c, w in zip(number[:17], WEIGHTS, strict=True))
    return CHECK[total % 11] == number[17].upper()


def valid_id15(number: str) -> bool:
    return int(number[:2]) in PROVINCES and real_date(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]))


def luhn(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        n = int(ch)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


class PrivacyRule(Rule):
    name = "privacy"
    trigger = TRIGGER

    def check(self, ctx: Context):
        return self._hits(ctx.text)

    def check_batch(self, text: str, matches, starts: list[int] | None = None):
        """Texts joined by line breaks, starting at `starts`, judged one by one where the trigger is: the regexes
        over the whole text would cost more than the texts the trigger finds, and a text may hold a line break of
        its own (a cell's paragraphs), which a card's context may span. Judged so, the family can be checked by
        the typo worker (workers.py), which has the batches' text and nothing else."""
        starts = starts or [0]
        pos = 0
        while (m := TRIGGER.search(text, pos)) is not None:
            i = bisect_right(starts, m.start()) - 1
            start, end = starts[i], starts[i + 1] - 1 if i + 1 < len(starts) else len(text)
            for hit in self._hits(text[start:end]):
                yield hit._replace(start=hit.start + start, end=hit.end + start)
            pos = end + 1

    def _hits(self, text: str):
        if NUMBER_NEEDS.search(text):
            yield from self._numbers(text)
        for m in EMAIL.finditer(text) if "@" in text else ():
            if personal_mail(m.group(1)):
                yield Hit(*m.span(), "privacy", "email", WARN, "含个人电子邮箱，请确认是否应公开", "改用单位公务邮箱",
                          keep_text=False)
        for m in ADDRESS.finditer(text) if ADDRESS_NEEDS.search(text) else ():
            yield Hit(*m.span(), "privacy", "address", WARN, "含具体到楼栋或房号的住址，请确认是否为个人住址",
                      "个人住址应去标识化", keep_text=False)

    @staticmethod
    def _numbers(text: str):
        """ID numbers, mobiles and bank cards; a number taken by one is not judged again."""
        taken: list[tuple[int, int]] = []

        def free(s: int, e: int) -> bool:
            return all(e <= a or s >= b for a, b in taken)

        for m in ID18.finditer(text):
            if valid_id18(m.group(1)):
                taken.append(m.span(1))
                yield Hit(*m.span(1), "privacy", "id_card", BLOCK, "含公民身份号码，须去标识化处理（第十一条）",
                          "脱敏为前6位和后4位", keep_text=False)
        for m in ID15.finditer(text):
            if free(*m.span(1)) and valid_id15(m.group(1)):
                taken.append(m.span(1))
                yield Hit(*m.span(1), "privacy", "id_card", BLOCK, "含15位旧身份证号码，须去标识化处理（第十一条）",
                          "脱敏处理", keep_text=False)
        for m in MOBILE.finditer(text):
            if free(*m.span(1)) and not is_amount(text, *m.span(1)):
                taken.append(m.span(1))
                yield Hit(*m.span(1), "privacy", "mobile", BLOCK, "含个人手机号码，须去标识化处理（第十一条）",
                          "脱敏为前3位和后4位，或改用单位办公电话", keep_text=False)
        for m in CARD.finditer(text):
            digits = m.group(1).replace(" ", "")
            if not 16 <= len(digits) <= 19 or not free(*m.span(1)) or not luhn(digits) or is_amount(text, *m.span(1)):
                continue
            before = text[max(0, m.start() - 15):m.start()]
            if digits.startswith("62") or any(word in before for word in CARD_CONTEXT):
                taken.append(m.span(1))
                yield Hit(*m.span(1), "privacy", "bank_card", BLOCK, "含银行卡号，须去标识化处理（第十一条）",
                          "脱敏为前6位和后4位", keep_text=False)
