"""Classification and internal-only markings (第十一条: 泄露国家秘密). Talking about secrecy is not a marking."""

from __future__ import annotations

import re

from govmedia.screening.findings import BLOCK
from govmedia.screening.lexicons import shipped
from govmedia.screening.rules import Context, Hit, Rule, Term

# 绝密★长期, 机密★10年, 秘密★; or the level alone at the start of a line (a document's top-left mark).
MARK = re.compile(r"(绝密|机密|秘密)\s*[★☆*]\s*(?:长期|\d+\s*年|\d+\s*个月)?|^\s*(绝密|机密|秘密)(?:级)?\s*$|^\s*(绝密|机密|秘密)级")


class SecrecyRule(Rule):
    name = "secrecy"
    trigger = re.compile("密")  # speed (Rule.trigger): every MARK holds 绝密, 机密 or 秘密; markings are terms

    def terms(self):
        for line in shipped("secrecy_markings.txt"):
            yield Term(line.strip(), self)

    def check(self, ctx: Context):
        for m in MARK.finditer(ctx.text):
            yield Hit(*m.span(), "secrecy", "classification", BLOCK, "含密级标志，涉密信息不得公开发布（第十一条）")
        for start, end, term in ctx.matches:
            yield Hit(start, end, "secrecy", "internal", BLOCK,
                      f"含「{term.pattern}」等内部资料标识，不得公开发布（第十一条）")
