"""Commercial advertising and soft ads (第九条, 第十一条): purchase lures and the Advertising Law's absolute claims.

Government phrases that contain such words (国家级技能大师工作室, 第一季度, 最低缴费档次) sit on the shipped
whitelist; the automaton's leftmost-longest matching lets the longer government phrase win.
"""

from __future__ import annotations

from govmedia.screening.findings import WARN
from govmedia.screening.lexicons import shipped
from govmedia.screening.rules import ONLY_TERMS, Context, Hit, Rule, Term


class AdvertisingRule(Rule):
    name = "advertising"
    trigger = ONLY_TERMS

    def terms(self):
        for line in shipped("advertising.txt"):
            term, _, kind = line.partition("\t")
            yield Term(term.strip(), self, kind.strip() or "lure")

    def check(self, ctx: Context):
        for start, end, term in ctx.matches:
            if term.data == "absolute":
                message = f"「{term.pattern}」属广告法禁用的绝对化用语，疑似商业广告（第十一条）"
            else:
                message = f"「{term.pattern}」为推销引流用语，疑似商业广告或软文（第十一条）"
            yield Hit(start, end, "advertising", str(term.data), WARN, message, "删除推销内容")
