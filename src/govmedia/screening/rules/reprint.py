"""Reprint sources (第七条): a 来源/转自 line must name a whitelisted party/government or mainstream source."""

from __future__ import annotations

import re

from govmedia.screening.findings import WARN
from govmedia.screening.lexicons import shipped
from govmedia.screening.rules import Context, Hit, Rule

SOURCE = re.compile(r"(?:^|[\s|｜])(?:来源|稿源|转自|转载自|转载来源|信息来源|文章来源)\s*[:：]?\s*([^\s，,。；;|｜]{1,40})")
# Party and government bodies at every level are sources by their name's ending.
GOVERNMENT = re.compile(
    r"(?:人民政府|政府网|政府办公厅|政府办公室|委员会|委|厅|局|部|署|院|办|办公室|中心|发布|政务|党委|人大|政协|法院|检察院)$"
)
NOT_A_SOURCE = {"网络", "网上", "互联网", "网友", "朋友圈", "微信群", "网传", "网传消息", "自媒体", "抖音网友", "微博网友"}


def whitelist_entries() -> tuple[str, ...]:
    return shipped("reprint_sources.txt")


class ReprintRule(Rule):
    name = "reprint"

    def __init__(self, sources: tuple[str, ...] | list[str] | None = None):
        self.sources = tuple(s.lower() for s in (sources if sources is not None else whitelist_entries()))

    def allowed(self, source: str) -> bool:
        source = source.strip("“”\"'《》「」")
        if any(entry and entry in source for entry in self.sources):
            return True
        return bool(GOVERNMENT.search(source)) and len(source) >= 4

    def check(self, ctx: Context):
        for m in SOURCE.finditer(ctx.text):
            source = m.group(1)
            if source in NOT_A_SOURCE:
                yield Hit(*m.span(1), "reprint", "no_source", WARN,
                          f"转载来源「{source}」不是可核实的权威来源（第七条）", "注明党政机关网站、政务新媒体或主流媒体来源")
            elif not self.allowed(source):
                yield Hit(*m.span(1), "reprint", "unlisted_source", WARN,
                          f"转载来源「{source}」不在稿源白名单内（第七条：原则上只转载党政机关、主流权威媒体和指定稿源）",
                          "核实来源并取得授权，或改用权威来源")
