"""Expression errors (第九条 严重表述错误): document numbers, dates, brackets, misspellings and typos,
Hong Kong / Macao / Taiwan listed as countries, and leaders' names with the wrong title."""

from __future__ import annotations

import math
import re
from datetime import date

from govmedia.screening.findings import BLOCK, WARN
from govmedia.screening.rules import Context, Hit, Rule, Term

# 人社部发[2024]11号, 苏人社发（2024）88号 — a document number's year takes 〔〕. A 审图号 (GS（2024）…) keeps （）:
# its prefix ends in a Latin letter, so the CJK-before-bracket requirement skips it.
DOC_NUMBER = re.compile(r"[\u4e00-\u9fa5]{1,12}[\[(【]((?:19|20)\d{2})[\])】]\s*第?\d{1,5}号")
DATE = re.compile(r"(?<!\d)(?:((?:19|20)\d{2})年)?(\d{1,2})月(\d{1,2})日(?:\s*[(（]\s*(?:星期|周|礼拜)([一二三四五六日天])\s*[)）])?")
WEEKDAYS = "一二三四五六日"
PAIRS = {"《": "》", "“": "”", "【": "】", "（": "）"}
PLACES = "台湾|香港|澳门"
AS_COUNTRIES = re.compile(rf"(?:{PLACES})(?:、[^、,。;\s]{{1,10}})*等(?:\d+个|多个|其他|各)?(?:国家|国)(?!家?(?:和|或|及|与|\()?地区)")
# A list that starts with a country (美国、台湾…); "中国和台湾" is AGAINST_CHINA's. A list closed by 国家和地区 is right.
COUNTRIES_BEFORE = re.compile(rf"(?<!中)(?:国|国家)[、和与及](?:{PLACES})(?!地区)")
REGIONS_CLOSE = re.compile(r"^[^,。;!?]*?(?:国家|国)(?:和|或|及|与)?(?:\(|（)?地区")
AGAINST_CHINA = re.compile(rf"中国(?:和|与|及|、|同)(?:{PLACES})(?!地区)|(?:{PLACES})(?:和|与|及|、|同)中国(?!香港|澳门|台湾|大陆|内地)")
_BRACKETS = "".join(PAIRS) + "".join(PAIRS.values())
_BRACKET_AT = {opener: re.compile(f"[{re.escape(opener + closer)}]") for opener, closer in PAIRS.items()}
# Speed: most texts' brackets are balanced pairs side by side (《…》（…）“…”), which this one pass confirms;
# nested or unbalanced ones are walked pair by pair (_brackets).
_NOT_BRACKET = f"[^{re.escape(_BRACKETS)}]*+"
_SIDE_BY_SIDE = re.compile(
    _NOT_BRACKET + "(?:" + "|".join(f"{re.escape(o)}{_NOT_BRACKET}{re.escape(c)}{_NOT_BRACKET}"
                                    for o, c in PAIRS.items()) + ")*+")
_PLACE = re.compile(PLACES)
_DOC_YEAR = re.compile(r"[\[(【](?:19|20)\d{2}[\])】]")  # DOC_NUMBER's bracketed year
# Speed (Rule.trigger): a document number needs its bracketed year, a date a digit before 月 and after it up to 日,
# hk_mo_tw a place name; brackets are judged on the original text (ExpressionRule.also_triggered). Widen it with
# every new check. Written to start with one character class, which the regex engine skips ahead to (as
# privacy.TRIGGER): three alternatives with different first characters are tried at every position, 3× slower.
TRIGGER = re.compile(r"[\[(【\d台香澳](?:(?<=[\[(【])(?:19|20)\d{2}[\])】]|(?<=\d)月\d\d?日|(?<=台)湾|(?<=香)港|(?<=澳)门)")
TITLE = r"(?:总书记|书记|主席|总理|省长|市长|区长|县长|镇长|部长|厅长|局长|主任|委员长|秘书长|常委|院长|检察长)"
TITLE_BEFORE = re.compile(rf"(?:副)?{TITLE}$")     # 副区长张三
TITLE_AFTER = re.compile(rf"(?:副)?{TITLE}")        # 张三副区长


class TypoRule(Rule):
    """Typos (govmedia.screening.typos): the curated misspellings through the shared automaton, confusable words
    clause by clause on every text holding Chinese."""

    name = "typo"
    trigger = re.compile("[\u4e00-\u9fff]{2}")

    def terms(self):
        from govmedia.screening.typos import curated

        for form, correct in curated().items():
            yield Term(form, self, correct)

    def prepare(self) -> None:
        from govmedia.screening import typos

        typos.model()

    def check(self, ctx: Context):
        return self.check_batch(ctx.text, ctx.matches)

    def check_batch(self, text: str, matches, starts: list[int] | None = None):
        """Clauses end at line breaks, and so do curated forms: texts joined by them give each text's typos."""
        from govmedia.screening import typos

        found = [typos.Suspicion(start, end, term.pattern, term.data, typos.CURATED, math.inf)
                 for start, end, term in matches]
        found.extend(typos.confusable_suspicions(text, above=typos.THRESHOLD))  # choose() keeps no other
        for s in typos.choose(found):
            source = "常见错别字" if s.source == typos.CURATED else "疑似错别字"
            yield Hit(s.start, s.end, "expression", "typo", WARN, f"{source}：「{s.form}」应为「{s.correct}」", s.correct)


def _date_problem(y: str | None, m: int, d: int, weekday: str | None) -> str | None:
    year = int(y) if y else 2024  # a leap year: without a year only impossible days are wrong
    try:
        day = date(year, m, d)
    except ValueError:
        return f"日期「{m}月{d}日」不存在"
    if y and weekday:
        expected = WEEKDAYS[day.weekday()]
        if weekday.replace("天", "日") != expected:
            return f"{y}年{m}月{d}日是星期{expected}，不是星期{weekday}"
    return None


class ExpressionRule(Rule):
    name = "expression"
    trigger = TRIGGER

    def __init__(self, leaders: list[tuple[str, str]] | None = None):
        self.leaders = leaders or []

    def terms(self):
        for name, title in self.leaders:
            yield Term(name, self, ("leader", title))

    @staticmethod
    def also_triggered(originals: list[str]) -> list[int]:
        """The texts whose brackets are not balanced pairs side by side: check() walks those."""
        fits = _SIDE_BY_SIDE.fullmatch
        return [i for i, text in enumerate(originals) if not fits(text)]

    def check(self, ctx: Context):
        text = ctx.text
        # Speed: DOC_NUMBER backtracks over every run of Chinese characters: only where it can end and has its year.
        for m in DOC_NUMBER.finditer(text) if "号" in text and _DOC_YEAR.search(text) else ():
            if _is_approval_number(text, m.start(1) - 1):
                continue
            bracket_at = m.start(1) - 1
            yield Hit(bracket_at, m.end(1) + 1, "expression", "doc_number_brackets", WARN,
                      "发文字号的年份应使用六角括号〔〕", f"〔{m.group(1)}〕")
        # Speed: DATE opens with a lookbehind, so the regex engine tries every position; a date starts at most 7
        # characters (2024年12) before its 月, so the search starts there (the lookbehind still sees before it).
        month = text.find("月")
        for m in DATE.finditer(text, max(0, month - 7)) if month >= 0 else ():
            problem = _date_problem(m.group(1), int(m.group(2)), int(m.group(3)), m.group(4))
            if problem:
                yield Hit(*m.span(), "expression", "date", BLOCK, f"日期错误：{problem}", "核对日期")
        if not _SIDE_BY_SIDE.fullmatch(ctx.segment.text):
            yield from self._brackets(ctx)
        if _PLACE.search(text):  # Speed: the three patterns need a place name; test for one once
            for pattern, message in ((AS_COUNTRIES, "将港澳台地区与国家并列"), (COUNTRIES_BEFORE, "将港澳台地区与国家并列"),
                                     (AGAINST_CHINA, "将港澳台地区与中国并列")):
                for m in pattern.finditer(text):
                    if pattern is COUNTRIES_BEFORE and REGIONS_CLOSE.search(text[m.end():]):
                        continue
                    yield Hit(*m.span(), "expression", "hk_mo_tw", BLOCK, f"严重表述错误：{message}",
                              "改为“国家和地区”，或写作“中国台湾”“中国香港”“中国澳门”")
        for start, end, term in ctx.matches:
            yield from self._leader(text, start, end, term.pattern, term.data[1])

    def _brackets(self, ctx: Context):
        original = ctx.segment.text
        for opener, closer in PAIRS.items():
            stack = []
            if opener not in original and closer not in original:
                continue
            for m in _BRACKET_AT[opener].finditer(original):  # only the two characters, not every character
                i, ch = m.start(), m.group()
                if ch == opener:
                    stack.append(i)
                elif ch == closer:
                    if stack:
                        stack.pop()
                    else:
                        yield self._bracket_hit(ctx, i, f"「{closer}」缺少对应的「{opener}」")
            for i in stack:
                yield self._bracket_hit(ctx, i, f"「{opener}」未闭合")

    @staticmethod
    def _bracket_hit(ctx: Context, original_index: int, message: str) -> Hit:
        # Brackets are judged on the original text; find the normalised position that maps to it.
        import bisect

        n = bisect.bisect_left(ctx.norm.index, original_index)
        return Hit(n, n + 1, "expression", "brackets", WARN, f"标点不成对：{message}", "补全或删除")

    def _leader(self, text: str, start: int, end: int, name: str, title: str):
        """Judge only a title written right beside the name (区长张三, 张三副区长): a nearby title may be another's."""
        before = TITLE_BEFORE.search(text, max(0, start - 8), start)
        after = TITLE_AFTER.match(text, end)
        said = (before or after).group() if (before or after) else None
        if said and title and not _title_fits(said, title):
            yield Hit(start, end, "expression", "leader_title", BLOCK,
                      f"领导姓名与职务不符：「{name}」的职务应为「{title}」，文中写作「{said}」", title)


def _title_fits(said: str, title: str) -> bool:
    """区委书记 may be written 书记; 区长 is not 副区长 and 副区长 is not 区长. Several titles: 区委副书记、区长."""
    for one in re.split(r"[、，,/ ]+", title):
        if one == said or (one.endswith(said) and not one[: -len(said)].endswith("副")):
            return True
    return False


def _is_approval_number(text: str, bracket_at: int) -> bool:
    """GS京（2022）1061号 is a map approval number and keeps （）: the CJK run before the bracket follows a letter."""
    i = bracket_at
    while i > 0 and "\u4e00" <= text[i - 1] <= "\u9fa5":
        i -= 1
    return i > 0 and text[i - 1].isascii() and text[i - 1].isalpha() or text[max(0, i - 4):i].endswith("审图号:")
