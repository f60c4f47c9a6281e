"""Problem maps (第九条): text that presents a map without its 审图号. Naming the risk is not a map."""

from __future__ import annotations

import re

from govmedia.screening.findings import WARN
from govmedia.screening.rules import Context, Hit, Rule

MAP = re.compile(r"(?<!问题)(?<!标准)地图|(?:分布|区位|位置|布局|规划|行政区划|交通)(?:示意)?图|示意图")
NOT_A_MAP = re.compile(r"地图(?:导航|app|软件|搜索|定位)|(?:百度|高德|腾讯|谷歌)地图")
# 审图号 GS（2024）0650号, 苏S（2023）012号, GS京（2022）1061号 — the brackets stay （）.
APPROVAL = re.compile(r"审图号|[a-z]{1,2}[\u4e00-\u9fa5]?\(\d{4}\)\d+号|[\u4e00-\u9fa5]s\(\d{4}\)\d+号")


# Speed: where an APPROVAL match must be — at 审图号, or at a bracketed year and its number — found by a regex
# that starts with one character class (which the regex engine skips ahead to: APPROVAL itself tries every
# position, ten times slower over a long text); its prefix is at most three characters before the bracket.
_APPROVAL_AT = re.compile(r"[审(](?:(?<=审)图号|(?<=\()\d{4}\)\d+号)")


def has_approval_number(text: str) -> bool:
    """Whether APPROVAL matches anywhere in text."""
    return any(m.group()[0] == "审" or APPROVAL.search(text, max(0, m.start() - 3), m.end())
               for m in _APPROVAL_AT.finditer(text))


class MapRule(Rule):
    name = "map"
    trigger = re.compile("图")  # speed (Rule.trigger): every MAP alternative ends in 图

    def check(self, ctx: Context):
        if has_approval_number(ctx.text):
            return
        for m in MAP.finditer(ctx.text):
            if NOT_A_MAP.search(ctx.text, max(0, m.start() - 4), m.end() + 4):
                continue
            yield Hit(*m.span(), "map", "no_approval_number", WARN,
                      "发布地图须标注审图号，请核实所附地图是否经审核（第九条 问题地图）", "补充审图号，如 GS（2024）0650号")
