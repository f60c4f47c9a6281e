"""Reprint sources (第七条): a 来源/转自 line must name a whitelisted party/government or mainstream source."""

from __future__ import annotations

import re

from govmedia.screening.findings import WARN
from govmedia.screening.lexicons import shipped
from govmedia.screening.normalize import normalize
from govmedia.screening.rules import Context, Hit, Rule

# A source line: at a line start, after a space or punctuation, in brackets (（来源：新华社）), 本文来源：….
SOURCE = re.compile(
    r"(?:来源|稿源|转自|转载自|转载来源|信息来源|文章来源)(?!于)\s*[:：]?\s*([^\s，,。；;|｜)）\]】]{1,40})"
)
# Speed (Rule.trigger): every SOURCE opening holds 来源, 稿源, 转自 or 转载; written to start with one character class,
# which the regex engine skips ahead to (an alternation of words is tried at every position, 3× slower).
TRIGGER = re.compile(r"[来稿转](?:(?<=[来稿])源|(?<=转)[自载])")
STARTS_SOURCE = re.compile(r"(?:^|[\s|(\[【,。;:]|本文|原文|图文|稿件)$")
# Party and government bodies at every level are sources by their name's ending. Endings that private bodies
# share too (中心, 院, 办, 发布) count only with an administrative area in the name (吴江区人力资源服务中心).
GOVERNMENT = re.compile(
    r"(?:人民政府|政府网|政府办公厅|政府办公室|委员会|委|厅|局|部|署|党委|人大|政协|法院|检察院)$"
)
GOVERNMENT_WEAK = re.compile(r"(?:院|办|办公室|中心|发布|政务|网站)$")
AREA = re.compile(r"省|市|区|县|镇|乡|街道|自治|国家|中国|中华人民共和国|中共|中央|全国")
COMMERCIAL = re.compile(r"公司|集团|有限|商城|商贸|门店|培训|工作室|自媒体|网友|号主")
NOT_A_SOURCE = {"网络", "网上", "互联网", "网友", "朋友圈", "微信群", "网传", "网传消息", "自媒体", "抖音网友", "微博网友"}


def whitelist_entries() -> tuple[str, ...]:
    return shipped("reprint_sources.txt")


class ReprintRule(Rule):
    name = "reprint"
    trigger = TRIGGER

    def __init__(self, sources: tuple[str, ...] | list[str] | None = None):
        chosen = sources if sources is not None else whitelist_entries()
        self.sources = tuple(n for n in (normalize(s.strip()).text for s in chosen) if n)

    def allowed(self, source: str) -> bool:
        source = source.strip("“”\"'《》「」")
        if any(entry and entry in source for entry in self.sources):
            return True
        if COMMERCIAL.search(source):
            return False
        if GOVERNMENT.search(source):
            return len(source) >= 3
        return bool(GOVERNMENT_WEAK.search(source) and AREA.search(source)) and len(source) >= 4

    @staticmethod
    def _starts_a_source(ctx: Context, at: int) -> bool:
        """来源 opens a source line, not 资金来源. 作者：张三 来源：… — normalising dropped that space, so ask the original."""
        if STARTS_SOURCE.search(ctx.text, max(0, at - 2), at):
            return True
        original_at = ctx.norm.index[at]
        return original_at > 0 and ctx.segment.text[original_at - 1].isspace()

    def check(self, ctx: Context):
        for m in SOURCE.finditer(ctx.text):
            if not self._starts_a_source(ctx, m.start()):
                continue
            source = m.group(1)
            if source in NOT_A_SOURCE:
                yield Hit(*m.span(1), "reprint", "no_source", WARN,
                          f"转载来源「{source}」不是可核实的权威来源（第七条）", "注明党政机关网站、政务新媒体或主流媒体来源")
            elif not self.allowed(source):
                yield Hit(*m.span(1), "reprint", "unlisted_source", WARN,
                          f"转载来源「{source}」不在稿源白名单内（第七条：原则上只转载党政机关、主流权威媒体和指定稿源）",
                          "核实来源并取得授权，或改用权威来源")
