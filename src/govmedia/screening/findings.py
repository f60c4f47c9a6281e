"""What the engine reports: findings per place, and the result for one file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

BLOCK, WARN, INFO = "block", "warn", "info"
SEVERITY_RANK = {BLOCK: 0, WARN: 1, INFO: 2}
SEVERITY_LABEL = {BLOCK: "阻断", WARN: "警告", INFO: "提示"}
CATEGORY_LABEL = {
    "privacy": "个人隐私",
    "secrecy": "涉密标识",
    "advertising": "商业广告",
    "sensitive": "敏感内容",
    "expression": "表述错误",
    "map": "问题地图",
    "reprint": "转载来源",
    "manual": "需人工审核",
}


class Finding(NamedTuple):
    """One problem at one place. start/end are offsets into that place's original text. A named tuple: a 20 MB
    input makes 50,000 of them, and a frozen dataclass takes four times as long to make."""

    category: str
    rule: str
    severity: str
    where: str
    start: int
    end: int
    text: str
    message: str
    suggestion: str = ""

    def as_dict(self) -> dict:
        return dict(zip(self._fields, self, strict=True))


@dataclass
class FileResult:
    path: str
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None

    @property
    def blocks(self) -> bool:
        return any(f.severity == BLOCK for f in self.findings)

    def as_dict(self) -> dict:
        return {"path": self.path, "findings": [f.as_dict() for f in self.findings], "error": self.error}
