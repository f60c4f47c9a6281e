"""Files that cannot be read fail closed: exit 2 within seconds, a Chinese reason, an error entry, no traceback."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import zipfile

import pytest
from docx import Document
from openpyxl import Workbook
from reportlab.pdfgen import canvas

from govmedia import policy

from .builders import write_pdf
from .conftest import GOVMEDIA

CHINESE = re.compile(r"[\u4e00-\u9fff]")
SECONDS = 15


def scan_json(*paths, prefix=()):
    started = time.monotonic()
    done = subprocess.run([*prefix, *map(str, paths)], capture_output=True, text=True, timeout=SECONDS, check=False)
    return done, time.monotonic() - started


def assert_fails_closed(path, prefix=None):
    prefix = prefix or [str(GOVMEDIA), "scan"]
    done, elapsed = scan_json(path, prefix=[*prefix, "--json"])
    assert done.returncode == 2, done
    assert elapsed < SECONDS
    assert "Traceback" not in done.stdout + done.stderr
    [entry] = json.loads(done.stdout)["files"]
    assert entry["findings"] == []
    assert entry["error"] and CHINESE.search(entry["error"]), entry
    table, _ = scan_json(path, prefix=prefix)
    assert table.returncode == 2
    assert entry["error"] in table.stdout and "需人工审核" in table.stdout
    assert "Traceback" not in table.stdout + table.stderr
    return entry["error"]


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 this is not really a zip", "这不是Word文档".encode()])
def test_a_corrupt_word_document_is_an_error(tmp_path, content):
    path = tmp_path / "损坏.docx"
    path.write_bytes(content)
    assert "损坏" in assert_fails_closed(path)


def test_a_zip_that_is_not_a_word_document_is_an_error(tmp_path):
    path = tmp_path / "伪装.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert_fails_closed(path)


def test_a_truncated_word_document_is_an_error(tmp_path):
    whole = tmp_path / "whole.docx"
    Document().save(whole)
    path = tmp_path / "截断.docx"
    path.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    assert_fails_closed(path)


def test_a_zero_byte_workbook_is_an_error(tmp_path):
    path = tmp_path / "空.xlsx"
    path.write_bytes(b"")
    assert_fails_closed(path)


def test_a_valid_workbook_without_cells_is_clean(tmp_path):
    path = tmp_path / "空表.xlsx"
    Workbook().save(path)
    done, _ = scan_json(path, prefix=[str(GOVMEDIA), "scan", "--json"])
    assert done.returncode == 0
    assert json.loads(done.stdout)["files"][0] == {"path": str(path), "findings": [], "error": None}


@pytest.fixture(scope="module")
def zip_bomb(tmp_path_factory):
    """A .docx-looking zip whose one entry inflates past the limit: zeros, compressed in chunks (~1 MB on disk)."""
    path = tmp_path_factory.mktemp("bomb") / "炸弹.docx"
    chunk = b"\0" * (1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as entry:
            for _ in range(policy.SCREEN_MAX_UNCOMPRESSED_BYTES // len(chunk) + 1):
                entry.write(chunk)
    assert path.stat().st_size < 5 * 1024 * 1024
    return path


def test_a_zip_bomb_dressed_as_a_word_document_is_refused_before_extraction(zip_bomb):
    assert "压缩炸弹" in assert_fails_closed(zip_bomb)


def test_a_zip_with_too_many_entries_is_refused(tmp_path):
    path = tmp_path / "条目.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for i in range(policy.SCREEN_MAX_ZIP_ENTRIES + 1):
            archive.writestr(f"x/{i}", b"")
    assert "条目过多" in assert_fails_closed(path)


def test_a_pdf_without_a_text_layer_is_an_error(tmp_path):
    path = tmp_path / "扫描件.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.rect(72, 600, 200, 100, fill=1)
    pdf.showPage()
    pdf.save()
    assert "文字层" in assert_fails_closed(path)


def test_a_broken_pdf_is_an_error(tmp_path):
    path = tmp_path / "坏.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\ntrailer\n%%EOF")
    assert_fails_closed(path)


@pytest.mark.parametrize("name", ["旧版.doc", "表格.xls", "程序.exe", "无扩展名"])
def test_an_unsupported_file_type_is_an_error(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"\xd0\xcf\x11\xe0 old office")
    assert "不支持" in assert_fails_closed(path)


def test_a_missing_file_is_an_error(tmp_path):
    assert "不存在" in assert_fails_closed(tmp_path / "没有这个文件.txt")


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path):
    path = tmp_path / "大文件.txt"
    path.write_text("正常内容。" * 400, "utf-8")   # about 6 KB, over a limit lowered to 4 KB
    lowered = ("import sys; from govmedia import policy; policy.SCREEN_MAX_FILE_BYTES = 4096; "
               "from govmedia.cli import main; sys.argv[0] = 'govmedia'; main()")
    assert "文件过大" in assert_fails_closed(path, prefix=[sys.executable, "-c", lowered, "scan"])


def test_one_unreadable_file_does_not_hide_the_findings_of_the_others(tmp_path):
    bad = tmp_path / "损坏.docx"
    bad.write_bytes(b"garbage")
    good = tmp_path / "好.txt"
    good.write_text("手机18651234567", "utf-8")
    done, _ = scan_json(bad, good, prefix=[str(GOVMEDIA), "scan", "--json"])
    assert done.returncode == 2
    files = json.loads(done.stdout)["files"]
    assert [(f["path"], bool(f["error"]), len(f["findings"])) for f in files] == [(str(bad), True, 0), (str(good), False, 1)]


# -- hostile XML and slow files (in-process: the limits are policy values) ---------------------------------


def _with_document_xml(path, document_xml: str):
    Document().save(path)
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["word/document.xml"] = document_xml.encode("utf-8")
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def test_xml_entities_in_a_word_document_are_never_expanded(screener, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("手机18651234567", "utf-8")
    path = _with_document_xml(tmp_path / "实体.docx", (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{secret}"><!ENTITY inner "手机18612345678">]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        '<w:p><w:r><w:t>&xxe;</w:t></w:r></w:p><w:p><w:r><w:t>正文&inner;</w:t></w:r></w:p></w:body></w:document>'))
    result = screener.scan_file(path)
    assert not [f for f in result.findings if f.category == "privacy"]


def test_a_workbook_with_a_dtd_is_refused(screener, tmp_path):
    Workbook().save(tmp_path / "base.xlsx")
    with zipfile.ZipFile(tmp_path / "base.xlsx") as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["xl/worksheets/sheet1.xml"] = (
        b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "x"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
        b'<c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row></sheetData></worksheet>')
    path = tmp_path / "实体.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    result = screener.scan_file(path)
    assert result.error and result.findings == []


def test_a_file_that_takes_longer_than_the_time_limit_is_an_error(screener, tmp_path, monkeypatch):
    docx = tmp_path / "慢.docx"
    document = Document()
    document.add_paragraph("正文")
    document.save(docx)
    html = tmp_path / "慢.html"
    html.write_text("<p>正文</p>", "utf-8")
    pdf = write_pdf(tmp_path / "慢.pdf", [["正文"]])
    monkeypatch.setattr(policy, "SCREEN_SECONDS_PER_FILE", -1)
    for path in (docx, html, pdf):
        result = screener.scan_file(path)
        assert result.error and "超时" in result.error and result.findings == []


def _with_doctype(source, target, part, declaration):
    """A copy of source whose `part` carries `declaration` between its XML declaration and its root element."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == part:
                head, found, rest = data.partition(b"?>")
                data = head + b"?>" + declaration + rest if found else declaration + data
            new.writestr(info, data)


@pytest.mark.parametrize(("suffix", "part"), [(".docx", "word/document.xml"), (".xlsx", "xl/workbook.xml")])
def test_an_office_file_declaring_a_dtd_or_entities_is_refused_not_scanned(tmp_path, suffix, part):
    plain = tmp_path / f"原件{suffix}"
    if suffix == ".docx":
        document = Document()
        document.add_paragraph("关于公布培训名单的通知")
        document.save(plain)
    else:
        workbook = Workbook()
        workbook.active["A1"] = "名单"
        workbook.save(plain)
    hostile = tmp_path / f"实体{suffix}"
    _with_doctype(plain, hostile, part,
                  b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>')
    assert "DTD" in assert_fails_closed(hostile)
    done = subprocess.run([str(GOVMEDIA), "mask", str(hostile), str(tmp_path / f"脱敏{suffix}")],
                          capture_output=True, text=True, timeout=SECONDS, check=False)
    assert done.returncode == 2 and "DTD" in done.stderr + done.stdout
    assert not (tmp_path / f"脱敏{suffix}").exists()
    # the same file without the declaration is read as usual
    done, _ = scan_json(plain, prefix=[str(GOVMEDIA), "scan", "--json"])
    assert done.returncode == 0 and json.loads(done.stdout)["files"][0]["error"] is None


def test_a_doctype_hidden_behind_a_long_prolog_is_still_found(tmp_path):
    plain = tmp_path / "原件.docx"
    Document().save(plain)
    hostile = tmp_path / "填充.docx"
    _with_doctype(plain, hostile, "word/document.xml", b"<!--" + b" " * 100_000 + b"--><!DOCTYPE x>")
    assert "DTD" in assert_fails_closed(hostile)


@pytest.mark.parametrize("declaration", [
    b"<!-- <x --><!DOCTYPE x>",               # a comment that looks like a start tag
    b"<?pi <x?><!DOCTYPE x>",                  # so does a processing instruction
])
def test_a_doctype_behind_a_comment_or_processing_instruction_is_still_found(tmp_path, declaration):
    plain = tmp_path / "原件.docx"
    Document().save(plain)
    hostile = tmp_path / "伪装.docx"
    _with_doctype(plain, hostile, "word/document.xml", declaration)
    assert "DTD" in assert_fails_closed(hostile)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16", "utf-32"])
def test_a_part_in_another_encoding_declaring_a_doctype_is_refused(tmp_path, encoding):
    plain = tmp_path / "原件.docx"
    Document().save(plain)
    hostile = tmp_path / "编码.docx"
    with zipfile.ZipFile(plain) as old, zipfile.ZipFile(hostile, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == "word/document.xml":
                text = data.decode("utf-8").replace("UTF-8", encoding.split("-le")[0].upper(), 1)
                head, _, rest = text.partition("?>")
                data = (head + "?><!DOCTYPE x>" + rest).encode(encoding)
            new.writestr(info, data)
    assert_fails_closed(hostile)   # refused: as a DTD where libxml2 reads the encoding, else as unreadable XML


def test_an_xml_part_under_another_name_is_checked_too(tmp_path):
    plain = tmp_path / "原件.docx"
    Document().save(plain)
    hostile = tmp_path / "改名.docx"
    with zipfile.ZipFile(plain) as old, zipfile.ZipFile(hostile, "w") as new:
        for info in old.infolist():
            new.writestr(info, old.read(info))
        new.writestr("word/extra.dat", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>')
    assert "DTD" in assert_fails_closed(hostile)
