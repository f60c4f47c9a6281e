"""`govmedia scan` and `govmedia mask` as an office worker runs them: Chinese output, exact JSON, exit codes."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govmedia.screening.cli import json_pieces, json_text

from .builders import id_number

ID = id_number("320509", "19850412", "021")
FINDING_KEYS = ["category", "rule", "severity", "where", "start", "end", "text", "message", "suggestion"]


@pytest.fixture
def files(tmp_path):
    blocking = tmp_path / "公示.txt"
    blocking.write_text(f"关于认定名单的公示\n李明，身份证号{ID}。\n来源：网络\n", "utf-8")
    warning = tmp_path / "转载.txt"
    warning.write_text("来源：网络\n听说明年退休年龄又要变了？\n", "utf-8")
    clean = tmp_path / "通知.txt"
    clean.write_text("请各单位于2024年3月8日（星期五）前报送材料。\n", "utf-8")
    broken = tmp_path / "损坏.docx"
    broken.write_bytes(b"not a zip")
    return {"blocking": blocking, "warning": warning, "clean": clean, "broken": broken}


def test_the_table_has_chinese_headers_places_and_masked_excerpts(govmedia, files):
    done = govmedia("scan", files["blocking"])
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["文件", "位置", "类别", "级别", "摘录", "说明"]
    assert len(lines) == 4
    privacy_row, reprint_row = lines[1], lines[2]
    assert "第2行" in privacy_row and "个人隐私" in privacy_row and "阻断" in privacy_row
    assert "320*************13" in privacy_row and "含公民身份号码" in privacy_row
    assert "第3行" in reprint_row and "转载来源" in reprint_row and "警告" in reprint_row
    assert lines[3] == "共检查1个文件，发现2处问题（其中阻断1处），0个文件无法读取需人工审核。"
    assert ID not in done.stdout


def test_json_has_exactly_the_documented_shape(govmedia, files):
    done = govmedia("scan", "--json", files["blocking"], files["clean"])
    report = json.loads(done.stdout)
    assert list(report) == ["files"]
    first, second = report["files"]
    assert list(first) == ["path", "findings", "error"]
    assert first["path"] == str(files["blocking"]) and first["error"] is None
    assert [list(f) for f in first["findings"]] == [FINDING_KEYS, FINDING_KEYS]
    id_finding = first["findings"][0]
    assert id_finding == {
        "category": "privacy", "rule": "id_card", "severity": "block", "where": "第2行", "start": 7, "end": 25,
        "text": "320*************13", "message": "含公民身份号码，须去标识化处理（第十一条）", "suggestion": "脱敏为前6位和后4位",
    }
    assert f"李明，身份证号{ID}。"[7:25] == ID
    assert second == {"path": str(files["clean"]), "findings": [], "error": None}
    assert ID not in done.stdout


@pytest.mark.parametrize("which, code", [("clean", 0), ("warning", 0), ("blocking", 1), ("broken", 2)])
def test_exit_codes_say_clean_blocked_or_unreadable(govmedia, files, which, code):
    assert govmedia("scan", "--json", files[which]).returncode == code


def test_an_unreadable_file_wins_over_a_blocking_one(govmedia, files):
    assert govmedia("scan", files["blocking"], files["broken"]).returncode == 2


@pytest.mark.parametrize("args, says", [
    ((), "缺少参数"), (("--bogus", "a.txt"), "无法识别的参数"), (("--lexicon",), "需要一个值"),
])
def test_a_wrong_call_exits_2_with_a_chinese_message(govmedia, args, says):
    done = govmedia("scan", *args)
    assert done.returncode == 2
    assert "参数错误" in done.stderr and says in done.stderr
    assert "用法：govmedia scan" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_mask_command_with_a_missing_argument_exits_2_in_chinese(govmedia):
    done = govmedia("mask", "a.txt")
    assert done.returncode == 2 and "缺少参数：OUT" in done.stderr


def test_help_is_in_chinese(govmedia):
    done = govmedia("scan", "--help")
    assert done.returncode == 0
    assert "用法：" in done.stdout and "显示本帮助并退出" in done.stdout and "以JSON输出" in done.stdout


def test_a_lexicon_file_adds_terms_with_their_category_and_severity(govmedia, tmp_path):
    lexicon = tmp_path / "词表.txt"
    lexicon.write_text("# 本局补充\n代办养老保险\t违规中介\twarn\n", "utf-8")
    article = tmp_path / "稿.txt"
    article.write_text("可代 办养老保险，包成功。\n", "utf-8")
    done = govmedia("scan", "--json", "--lexicon", lexicon, article)
    [finding] = [f for f in json.loads(done.stdout)["files"][0]["findings"] if f["category"] == "sensitive"]
    assert (finding["rule"], finding["severity"], finding["text"]) == ("违规中介", "warn", "代 办养老保险")
    assert done.returncode == 0


def test_several_lexicons_can_be_given(govmedia, tmp_path):
    (tmp_path / "一.txt").write_text("甲词\n", "utf-8")
    (tmp_path / "二.txt").write_text("乙词\n", "utf-8")
    article = tmp_path / "稿.txt"
    article.write_text("甲词和乙词\n", "utf-8")
    done = govmedia("scan", "--json", "--lexicon", tmp_path / "一.txt", "--lexicon", tmp_path / "二.txt", article)
    assert [f["text"] for f in json.loads(done.stdout)["files"][0]["findings"]] == ["甲词", "乙词"]
    assert done.returncode == 1


def test_a_bad_lexicon_exits_2_naming_file_and_line(govmedia, tmp_path, files):
    lexicon = tmp_path / "词表.txt"
    lexicon.write_text("# 注释\n好词\n坏词\t违规\turgent\n", "utf-8")
    done = govmedia("scan", "--lexicon", lexicon, files["clean"])
    assert done.returncode == 2
    assert f"词表错误：{lexicon} 第3行：级别「urgent」无效" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_missing_lexicon_exits_2_in_chinese(govmedia, tmp_path, files):
    done = govmedia("scan", "--lexicon", tmp_path / "没有.txt", files["clean"])
    assert done.returncode == 2 and "无法读取" in done.stderr and "Traceback" not in done.stderr


def test_a_whitelist_file_accepts_a_reprint_source(govmedia, screener, tmp_path):
    whitelist = tmp_path / "白名单.txt"
    whitelist.write_text("吴江融媒\n", "utf-8")
    article = tmp_path / "稿.txt"
    article.write_text("转载自：吴江融媒\n正文。\n", "utf-8")
    assert [f.rule for f in screener.scan_file(article).findings if f.category == "reprint"] == ["unlisted_source"]
    assert json.loads(govmedia("scan", "--json", "--whitelist", whitelist, article).stdout)["files"][0]["findings"] == []


def test_the_mask_command_prints_what_it_masked(govmedia, files, tmp_path):
    out = tmp_path / "公示-脱敏.txt"
    done = govmedia("mask", files["blocking"], out)
    assert done.returncode == 0
    assert done.stdout.splitlines()[0] == "已脱敏：身份证号1处"
    assert govmedia("scan", out).returncode == 0


def _on_a_terminal(*args, columns: int = 0) -> tuple[str, str, int]:
    """Run the command with stderr on a pseudo-terminal (as in an office worker's shell), stdout on a pipe."""
    import fcntl
    import os
    import pty
    import struct
    import subprocess
    import termios
    import threading

    from .conftest import GOVMEDIA

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    child = subprocess.Popen([str(GOVMEDIA), *map(str, args)], stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    shown = bytearray()

    def read() -> None:
        while True:
            try:
                data = os.read(master, 4096)
            except OSError:   # the child closed the terminal
                return
            if not data:
                return
            shown.extend(data)

    reader = threading.Thread(target=read)
    reader.start()
    out, _ = child.communicate(timeout=120)
    reader.join(timeout=10)
    os.close(master)
    return shown.decode("utf-8", "replace"), out.decode("utf-8"), child.returncode


def test_progress_is_shown_on_a_terminal_cleared_at_the_end_and_never_in_the_output(tmp_path, files):
    long = tmp_path / "长文.txt"
    long.write_text(f"请各单位按时报送材料，联系人李明，身份证号{ID}。\n" * 20_000, "utf-8")
    shown, out, code = _on_a_terminal("scan", "--json", long, files["clean"])
    assert code == 1
    assert "正在载入检查规则" in shown and re.search(r"正在检查 1/2 \d+%：", shown)
    assert shown.endswith("\r\x1b[K")                 # the status line is cleared before the results
    report = json.loads(out)                           # stdout holds the JSON and nothing else
    assert [len(f["findings"]) > 0 for f in report["files"]] == [True, False]
    shown, _, code = _on_a_terminal("mask", files["blocking"], tmp_path / "脱敏.txt")
    assert code == 0 and "正在脱敏" in shown


def test_the_status_line_fits_a_narrow_terminal(tmp_path, files):
    from govmedia.screening.cli import _width

    shown, _, _ = _on_a_terminal("scan", files["blocking"], columns=40)
    lines = [line for line in shown.split("\r\x1b[K") if line]
    assert lines and all(_width(line) <= 39 for line in lines), lines
    assert any(line.startswith("正在检查 1/1 100%") for line in lines)


def test_no_progress_when_stderr_is_not_a_terminal(govmedia, files):
    done = govmedia("scan", "--json", files["blocking"])
    assert done.stderr == ""


_scalars = st.none() | st.booleans() | st.integers() | st.text() | st.floats(allow_nan=False)
_json_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
                            | st.dictionaries(st.text(max_size=5), inner, max_size=4), max_leaves=20)


@given(_json_values)
@settings(max_examples=300)
def test_json_text_is_json_dumps_with_an_indent_of_two_byte_for_byte(value):
    assert json_text(value) == json.dumps(value, ensure_ascii=False, indent=2)


@given(st.lists(st.tuples(st.text(), st.integers(), st.text(max_size=3)), min_size=1, max_size=30),
       st.lists(st.text(max_size=4), min_size=3, max_size=3, unique=True))
@settings(max_examples=200)
def test_json_text_lays_out_a_list_of_like_dicts_as_json_dumps_does(rows, keys):
    """Rows of strings and integers (_rows' template, keys with % and quotes included); a column of booleans or
    mixed kinds, or a row with other keys, takes the general path — the same text either way."""
    for value in ([dict(zip(keys, row, strict=True)) for row in rows],
                  [dict(zip(keys, (text, number % 2 == 0, more), strict=True)) for text, number, more in rows],
                  [dict(zip(keys, (text, number if k else text, more), strict=True)) for k, (text, number, more) in enumerate(rows)],
                  [dict(zip(keys, row, strict=True)) for row in rows] + [{"%s": "“引号”\n\t\\"}]):
        assert json_text({"findings": value}) == json.dumps({"findings": value}, ensure_ascii=False, indent=2)


def test_json_pieces_of_many_findings_join_to_what_json_dumps_writes():
    """More findings than one piece holds (cli.ROWS_PER_PIECE): the pieces, written one after the other, are the
    text json.dumps makes."""
    findings = [dict(zip(FINDING_KEYS, [f"第{n}段", "privacy", "“引号”\n", "正文", *(["说明"] * (len(FINDING_KEYS) - 4))],
                         strict=True)) | {"start": n, "end": n + 3} for n in range(2_500)]
    value = {"files": [{"path": "大.txt", "findings": findings, "error": None}, {"path": "空.txt", "findings": [],
                                                                                 "error": "文件为空"}]}
    pieces = json_pieces(value)
    assert len(pieces) > 2_500 // 1_000
    assert "".join(pieces) == json.dumps(value, ensure_ascii=False, indent=2)


def test_findings_are_written_as_the_objects_their_dicts_are():
    """The command hands json_pieces the findings themselves (named tuples): each is written as its as_dict(), in
    a list of findings (the template), alone, or among other values (the general path)."""
    from govmedia.screening.findings import Finding

    findings = [Finding("privacy", "id_card", "block", f"第{n}行", n, n + 18, "320***", "“身份证号”\n", "") for n in range(5)]
    for value in ({"files": [{"path": "a.txt", "findings": findings, "error": None}]}, findings[0],
                  [findings[0], {"x": 1}], {"one": findings[1], "n": 2}, [findings[0], 3]):
        def plain(v):
            if isinstance(v, Finding):
                return v.as_dict()
            if isinstance(v, dict):
                return {k: plain(item) for k, item in v.items()}
            return [plain(item) for item in v] if isinstance(v, list) else v
        assert json_text(value) == json.dumps(plain(value), ensure_ascii=False, indent=2)


def test_json_text_lays_out_a_scan_result_as_json_dumps_does():
    result = {"files": [{"path": "公示.txt", "findings": [dict.fromkeys(FINDING_KEYS, "“引号”\n\t\\")] * 2,
                         "error": None}, {"path": "空.xlsx", "findings": [], "error": "文件为空"}]}
    assert json_text(result) == json.dumps(result, ensure_ascii=False, indent=2)
