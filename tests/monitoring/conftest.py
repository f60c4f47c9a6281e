"""Monitoring fixtures: demo accounts, a quiet account, table files, and a fake platform on 127.0.0.1."""

from __future__ import annotations

import csv
import io
import json
import threading
import urllib.parse
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from jsonapi import Api

from govmedia.demo import BUREAU
from govmedia.org.actions import issue_token
from govmedia.registry import actions as registry
from govmedia.registry.models import Account, Platform, today

EVIDENCE = {"managing_body": "办公室（吴人社〔2026〕1号）", "trained_staff": "专职信息员1名，已培训",
            "funding": "部门预算列支", "rules": "《政务新媒体管理制度》"}


@pytest.fixture
def api(client, bureau):
    """api(person) -> a JSON client holding a fresh token of that person; api() -> one without a token."""

    def as_(person=None) -> Api:
        return Api(client, issue_token(person, actor="测试") if person is not None else None)

    return as_


@pytest.fixture
def wechat(bureau):
    """The bureau's 微信公众号 「吴江人社」, running for years (demo posts: newest 1 day old)."""
    return Account.objects.get(platform__name="微信公众号", name="吴江人社")


@pytest.fixture
def weibo(bureau):
    return Account.objects.get(platform__name="新浪微博", name="吴江人社")


@pytest.fixture
def brigade(bureau):
    """The institution 劳动保障监察大队's 微信公众号 「吴江劳动监察」 (the outsider staff1's unit)."""
    return Account.objects.get(name="吴江劳动监察")


@pytest.fixture
def quiet(bureau, office):
    """A bureau account on 快手, running for 1000 days, with no posts at all."""
    return registry.register_account(
        unit=office.unit, platform=Platform.objects.get(name="快手"), name="吴江人社快手号", subject=BUREAU,
        preconditions=EVIDENCE, opened_on=today() - timedelta(days=1000), existing=True, actor=office)


# --- table files ------------------------------------------------------------------------------------------


def xlsx(header: list[str], rows: list[list], name: str = "posts.xlsx") -> SimpleUploadedFile:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def csv_file(header: list[str], rows: list[list], name: str = "posts.csv", encoding: str = "utf-8-sig"):
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode(encoding))


# --- a platform on 127.0.0.1 ------------------------------------------------------------------------------


class Request:
    def __init__(self, method: str, path: str, query: dict, body: bytes):
        self.method, self.path, self.query, self.body = method, path, query, body

    def json(self):
        return json.loads(self.body.decode())


class FakePlatform:
    """A real HTTP server in a thread. ``routes[(method, path)] = handler(request) -> (status, body[, type])``;
    every request is kept in ``requests``. Bodies that are dicts are sent as JSON."""

    def __init__(self):
        self.routes: dict = {}
        self.requests: list[Request] = []
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, method: str):
                parts = urllib.parse.urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                request = Request(method, parts.path, dict(urllib.parse.parse_qsl(parts.query)),
                                  self.rfile.read(length) if length else b"")
                platform.requests.append(request)
                handler = platform.routes.get((method, parts.path))
                status, body, kind = (404, {"detail": "not found"}, None) if handler is None else \
                    (*handler(request), None)[:3]
                if isinstance(body, dict | list):
                    body, kind = json.dumps(body, ensure_ascii=False).encode(), kind or "application/json"
                elif isinstance(body, str):
                    body = body.encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", kind or "application/xml; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            def do_GET(self):  # noqa: N802
                self._answer("GET")

            def do_POST(self):  # noqa: N802
                self._answer("POST")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def platform():
    server = FakePlatform()
    yield server
    server.close()
