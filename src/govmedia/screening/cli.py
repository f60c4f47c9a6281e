"""`govmedia scan` and `govmedia mask`: the engine from the command line, without Django.

scan exits 0 when nothing blocks, 1 when something blocks, 2 when an input could not be read or the call is
wrong; mask exits 0 on success and 2 when it refuses.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import itertools
import json
import re
import sys
import unicodedata
from json.encoder import encode_basestring

from govmedia.screening.findings import CATEGORY_LABEL, SEVERITY_LABEL

# argparse speaks English; an office worker reads Chinese. The messages a wrong call can produce:
ARGPARSE_MESSAGES = (
    (re.compile(r"the following arguments are required: (.*)"), r"缺少参数：\1"),
    (re.compile(r"unrecognized arguments: (.*)"), r"无法识别的参数：\1"),
    (re.compile(r"argument (\S+): expected one argument"), r"参数 \1 后面需要一个值"),
    (re.compile(r"argument (\S+): ignored explicit argument (.*)"), r"参数 \1 不接受值 \2"),
    (re.compile(r"ambiguous option: (\S+) could match (.*)"), r"参数 \1 有歧义，可能是：\2"),
)


class ChineseHelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, prefix="用法：")

    def start_section(self, heading):
        super().start_section({"options": "选项", "positional arguments": "参数"}.get(heading, heading))


class ChineseParser(argparse.ArgumentParser):
    def __init__(self, **kwargs):
        super().__init__(formatter_class=ChineseHelpFormatter, add_help=False, **kwargs)
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def error(self, message: str):
        for pattern, chinese in ARGPARSE_MESSAGES:
            if pattern.fullmatch(message):
                message = pattern.sub(chinese, message)
                break
        self.print_usage(sys.stderr)
        self.exit(2, f"参数错误：{message}\n")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cut(text: str, width: int) -> str:
    out, used = [], 0
    for ch in text.replace("\n", " "):
        w = _width(ch)
        if used + w > width:
            out.append("…")
            break
        out.append(ch)
        used += w
    return "".join(out)


def _pad(text: str, width: int) -> str:
    text = _cut(text, width)
    return text + " " * max(0, width - _width(text))


def render_table(results) -> str:
    file_width = min(max([_width(r.path) for r in results] + [4]), 40)
    columns = [("文件", file_width), ("位置", 18), ("类别", 10), ("级别", 6), ("摘录", 22), ("说明", 0)]
    lines = ["  ".join(_pad(name, w) if w else name for name, w in columns)]
    for result in results:
        if result.error:
            lines.append("  ".join([_pad(result.path, file_width), _pad("—", 18), _pad("需人工审核", 10), _pad("错误", 6),
                                    _pad("", 22), result.error]))
        for f in result.findings:
            lines.append("  ".join([
                _pad(result.path, file_width), _pad(f.where, 18), _pad(CATEGORY_LABEL.get(f.category, f.category), 10),
                _pad(SEVERITY_LABEL[f.severity], 6), _pad(f.text, 22),
                f.message + (f"（建议：{f.suggestion}）" if f.suggestion else ""),
            ]))
    total = sum(len(r.findings) for r in results)
    blocking = sum(1 for r in results for f in r.findings if f.severity == "block")
    errors = sum(1 for r in results if r.error)
    lines.append(f"共检查{len(results)}个文件，发现{total}处问题（其中阻断{blocking}处），{errors}个文件无法读取需人工审核。")
    return "\n".join(lines)


class Progress:
    """One status line on stderr, rewritten in place — only on a terminal, so pipes, files and --json readers
    never see it — cut to the terminal's width, and cleared before the results are printed or on any exit."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.on = bool(getattr(self.stream, "isatty", lambda: False)())
        self.shown = 0.0

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc) -> None:
        self.clear()

    def say(self, text: str, every: float = 0.0) -> None:
        import time

        now = time.monotonic()
        if self.on and now - self.shown >= every:
            self.shown = now
            self.stream.write(f"\r\x1b[K{_cut(text, self.columns() - 2)}")  # with its "…", one column spare
            self.stream.flush()

    def columns(self) -> int:
        import os

        try:
            return os.get_terminal_size(self.stream.fileno()).columns or 80
        except (OSError, ValueError, AttributeError):
            return 80

    def clear(self) -> None:
        if self.on:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def scan(argv: list[str]) -> int:
    from govmedia.screening.workers import Worker

    # Started first thing, before the arguments are read and the engine imported: its process loads the typo model
    # meanwhile, and the command waits for it (workers.py). Asked only for help, there is nothing to check.
    with Worker(cores=1 if {"-h", "--help"} & set(argv) else None) as worker:
        return _parse_and_scan(argv, worker)


def _parse_and_scan(argv: list[str], worker) -> int:
    parser = ChineseParser(prog="govmedia scan", description="检查文件中的错敏、隐私、涉密、广告、问题地图和转载来源")
    parser.add_argument("paths", nargs="+", metavar="PATH", help="要检查的文件（.txt .md .html .docx .xlsx .pdf）")
    parser.add_argument("--json", action="store_true", help="以JSON输出")
    parser.add_argument("--lexicon", action="append", default=[], metavar="FILE",
                        help="附加词表：每行一个词，#为注释，可用制表符分隔类别和级别（可多次指定）")
    parser.add_argument("--whitelist", metavar="FILE", help="白名单：每行一个，追加认可的转载来源（稿源），其覆盖的用语也不再报告")
    args = parser.parse_args(argv)
    with collector_paused():
        return _scan(args, worker)


@contextlib.contextmanager
def collector_paused():
    """The cycle collector off while a scan runs: it makes no reference cycles worth collecting, and the
    collector's passes over the millions of objects of a 20 MB input cost ≈0.3 s. Restored after, for callers
    that go on (tests, a web process)."""
    import gc

    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _scan(args, worker) -> int:
    with Progress() as progress:
        from pathlib import Path

        from govmedia.screening.compiled import LARGE_LEXICON, CompiledLexicon
        from govmedia.screening.engine import Screener
        from govmedia.screening.extract import Deadline, Unreadable, segments_of_file
        from govmedia.screening.findings import FileResult
        from govmedia.screening.lexicons import LexiconError, read_file

        already_read = {}  # kept for the Screener: a list of 10⁷ terms is not read twice
        try:  # a bad word list is a wrong call: say so before reading any input
            for path in [*args.lexicon, *([args.whitelist] if args.whitelist else [])]:
                progress.say(f"正在读取词表：{path}")
                # A large list compiled before was valid then and has not changed since: it is not read again.
                compiled = CompiledLexicon.cached(path) if path in args.lexicon and path != args.whitelist else None
                already_read[path] = compiled or read_file(path)
        except LexiconError as exc:
            progress.clear()
            print(f"词表错误：{exc}", file=sys.stderr)
            return 2
        lists = [already_read[path] for path in args.lexicon]
        to_compile = any(isinstance(found, list) and len(found) >= LARGE_LEXICON for found in lists)
        screener = None  # compiled on the first readable input: an unreadable one is reported at once
        results = []
        for number, path in enumerate(args.paths, start=1):
            label = f"{number}/{len(args.paths)}"
            progress.say(f"正在读取 {label}：{path}")
            result = FileResult(str(Path(path)))
            try:
                segments = segments_of_file(Path(path), Deadline())
            except Unreadable as exc:
                result.error = str(exc)
            else:
                if segments:
                    if screener is None:
                        progress.say("正在编译大词表（仅首次，之后直接载入）……" if to_compile else "正在载入检查规则和词表……")
                        screener = Screener.from_files(args.lexicon, args.whitelist, already_read)
                        if not worker.parallel:
                            screener.prepare()  # the typo model, loaded here only when no worker loads it
                    result.findings = screener.scan_segments(segments, _checking(progress, label, path),
                                                             worker.session(_waiting(progress, label, path)))
            results.append(result)
    worker.stop()  # its memory is given back while this process writes the results
    if args.json:
        # The findings as they are: json_pieces writes each as an object, without a dict made for it.
        sys.stdout.writelines(json_pieces({"files": [{"path": r.path, "findings": r.findings, "error": r.error}
                                                     for r in results]}))
        sys.stdout.write("\n")
    else:
        print(render_table(results))
    if any(r.error for r in results):
        return 2
    return 1 if any(r.blocks for r in results) else 0


def json_text(value, level: int = 0) -> str:
    """json.dumps(value, ensure_ascii=False, indent=2), byte for byte, for plain dicts (with string keys), lists
    and tuples; ten times faster (json_pieces)."""
    return "".join(json_pieces(value, level))


def json_pieces(value, level: int = 0, out: list[str] | None = None) -> list[str]:
    """json_text(value) in pieces, to be written one after the other: a 17 MB text is not copied at each level of
    nesting (0.1 s for 48,000 findings). With an indent json encodes in Python (0.4 s for 50,000 findings), so
    here containers of plain values go to the C encoder whole, with line breaks and indentation as separators, and
    a list of like dicts or named tuples (a file's findings) is filled into a template (_rows). A named tuple is
    written as an object, its fields the keys (json.dumps would write a list)."""
    out = [] if out is None else out
    if _named(value):
        value = value._asdict()
    if type(value) not in _CONTAINERS or not value:
        out.append(json.dumps(value, ensure_ascii=False))
        return out
    outer, inner, deeper = ("\n" + "  " * n for n in (level, level + 1, level + 2))
    if not isinstance(value, dict):
        if (rows := _rows(value, inner, deeper)) is not None:
            out.append("[" + inner)
            for at in range(0, len(rows), ROWS_PER_PIECE):
                out.append(("," + inner if at else "") + ("," + inner).join(rows[at:at + ROWS_PER_PIECE]))
            out.append(outer + "]")
            return out
        value = [item._asdict() if _named(item) else item for item in value]
    items = value.values() if isinstance(value, dict) else value
    if not any(type(item) in _CONTAINERS or _named(item) for item in items):
        body = _encoder(inner).encode(value)
        out.append(body[0] + inner + body[1:-1] + outer + body[-1])
        return out
    if not isinstance(value, dict) and _plain_dicts(value):
        # Encoded with the dicts' separators, then the list's layout put back where one dict ends and the next
        # begins: only there does a line break come before "{" (a string's line breaks are escaped, keys are strings).
        body = _encoder(deeper).encode(value)
        out.append("".join(("[", inner, "{", deeper, body[2:-2].replace("}," + deeper + "{", inner + "}," + inner
                                                                        + "{" + deeper), inner, "}", outer, "]")))
        return out
    out.append("{" if isinstance(value, dict) else "[")
    for k, item in enumerate(value.items() if isinstance(value, dict) else value):
        out.append(("," if k else "") + inner)
        if isinstance(value, dict):
            out.append(json.dumps(item[0], ensure_ascii=False) + ": ")
            item = item[1]
        json_pieces(item, level + 1, out)
    out.append(outer + ("}" if isinstance(value, dict) else "]"))
    return out


ROWS_PER_PIECE = 1000  # findings per piece of json_pieces: ≈0.4 MB each, few enough writes, no 17 MB copy


_CONTAINERS = frozenset({dict, list, tuple})


def _named(value) -> bool:
    return isinstance(value, tuple) and hasattr(type(value), "_fields")


def _plain_dicts(values: list | tuple) -> bool:
    """Non-empty dicts of plain values, all of them."""
    return (set(map(type, values)) == {dict} and all(values)
            and not any(type(item) in _CONTAINERS or _named(item)
                        for item in itertools.chain.from_iterable(map(dict.values, values))))


def _rows(values: list | tuple, inner: str, deeper: str) -> list[str] | None:
    """A list of dicts with the same keys in the same order, or of named tuples of one class (a file's findings,
    written as objects), each key's values all strings or all integers, laid out as json.dumps would lay out dicts: each column encoded at once by json's own encoders (in C),
    every row filled into one template — twice as fast as the C encoder, which makes a piece per key and value.
    None for any other list."""
    kind = type(values[0]) if values else None
    if kind is dict:
        keys = list(values[0])
        if not keys or set(map(type, values)) != {dict} or not all(map(keys.__eq__, map(list, values))):
            return None
        rows = map(dict.values, values)
    elif _named(values[0]) and set(map(type, values)) == {kind}:
        keys, rows = list(kind._fields), values
    else:
        return None
    columns = []
    for column in zip(*rows, strict=True):
        kinds = set(map(type, column))
        if kinds == {str}:
            columns.append(map(encode_basestring, column))
        elif kinds == {int}:  # not bool, a subclass, written true and false
            columns.append(map(int.__repr__, column))
        else:
            return None
    template = "{" + deeper + ("," + deeper).join(json.dumps(key, ensure_ascii=False).replace("%", "%%") + ": %s"
                                                  for key in keys) + inner + "}"
    return list(map(template.__mod__, zip(*columns, strict=True)))


@functools.lru_cache
def _encoder(separator: str) -> json.JSONEncoder:
    return json.JSONEncoder(ensure_ascii=False, separators=("," + separator, ": "))


def _checking(progress: Progress, label: str, path: str):
    def checked(done: int, total: int) -> None:
        # the share first: a long path is what the terminal's width cuts; the end is always shown
        progress.say(f"正在检查 {label} {done * 100 // total}%：{path}", every=0.2 if done < total else 0)
    return checked


def _waiting(progress: Progress, label: str, path: str):
    """Said when this process is done with its families and waits for the worker's typos."""
    return lambda: progress.say(f"正在检查错别字 {label}：{path}")


def mask(argv: list[str]) -> int:
    parser = ChineseParser(prog="govmedia mask", description="生成去标识化（脱敏）副本，格式与原文件相同")
    parser.add_argument("source", metavar="IN", help="原文件（.txt .html .docx .xlsx）")
    parser.add_argument("target", metavar="OUT", help="脱敏后的文件，不能与原文件相同")
    args = parser.parse_args(argv)

    from govmedia.screening.extract import Unreadable
    from govmedia.screening.mask import MaskError, mask_file

    with Progress() as progress:
        progress.say(f"正在脱敏：{args.source}")
        try:
            report = mask_file(args.source, args.target)
        except (MaskError, Unreadable) as exc:
            progress.clear()
            print(f"未脱敏：{exc}", file=sys.stderr)
            return 2
    print(report.summary())
    print(f"已写入 {args.target}")
    return 0


COMMANDS = {"scan": scan, "mask": mask}
