"""The screening engine is plain Python: importing it and scanning every format never imports Django."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

from docx import Document
from openpyxl import Workbook

import govmedia.screening

from .builders import write_pdf

PROBE = """
import json, sys
from govmedia.screening import Screener
from govmedia.screening.mask import mask_file
screener = Screener()
screener.scan_text("请张伟同志（手机18651234567）报送材料。")
results = [screener.scan_file(p) for p in sys.argv[2:]]
mask_file(sys.argv[2], sys.argv[1], screener)
print(json.dumps({"django": sorted(m for m in sys.modules if m == "django" or m.startswith("django.")),
                  "errors": [r.error for r in results], "findings": [len(r.findings) for r in results]}))
"""


def test_scanning_and_masking_every_format_in_a_fresh_interpreter_imports_no_django(tmp_path):
    txt = tmp_path / "a.txt"
    txt.write_text("手机18651234567", "utf-8")
    html = tmp_path / "a.html"
    html.write_text("<p>手机18651234567</p>", "utf-8")
    docx = tmp_path / "a.docx"
    document = Document()
    document.add_paragraph("手机18651234567")
    document.save(docx)
    xlsx = tmp_path / "a.xlsx"
    workbook = Workbook()
    workbook.active["A1"] = "手机18651234567"
    workbook.save(xlsx)
    pdf = write_pdf(tmp_path / "a.pdf", [["手机18651234567"]])
    done = subprocess.run([sys.executable, "-c", PROBE, str(tmp_path / "out.txt"), txt, html, docx, xlsx, pdf],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report == {"django": [], "errors": [None] * 5, "findings": [1] * 5}


def test_the_scan_command_starts_without_django(tmp_path):
    txt = tmp_path / "a.txt"
    txt.write_text("正文", "utf-8")
    # main() leaves by os._exit once the output is written; here it leaves by SystemExit, to look at sys.modules.
    probe = ("import os, sys; sys.argv = ['govmedia', 'scan', sys.argv[1]]; os._exit = sys.exit\n"
             "from govmedia.cli import main\n"
             "try:\n    main()\nexcept SystemExit:\n    pass\n"
             "print('DJANGO' if any(m.split('.')[0] == 'django' for m in sys.modules) else 'CLEAN')")
    done = subprocess.run([sys.executable, "-c", probe, str(txt)], capture_output=True, text=True, timeout=60,
                          check=False)
    assert done.stdout.strip().splitlines()[-1] == "CLEAN", done.stdout + done.stderr


def test_no_module_of_the_screening_package_imports_django():
    package = Path(govmedia.screening.__file__).parent
    for source in package.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text("utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not [n for n in names if n.split(".")[0] == "django"], source
