"""What the engine reports: findings per place, and the result for one file."""

from __future__ import annotations

from dataclasses import dataclass, field

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


@dataclass(frozen=True)
class Finding:
    """One problem at one place. start/end are offsets into that place's original text."""

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
        # The same dict as dataclasses.asdict (every field is a str or an int, set by __init__ in field order),
        # copied in C.
        return dict(vars(self))


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
