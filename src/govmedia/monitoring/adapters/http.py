"""Small HTTP client on urllib.request: http(s) only, a timeout on every request, a cap on every body.

Messages name the host and path, never the query string (it carries the AppSecret or the access token).
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request

from govmedia import policy
from govmedia.monitoring.adapters import FetchError

USER_AGENT = "govmedia/1 (government new-media management platform)"  # headers are Latin-1
# http and https only, redirects included (urllib's default opener would also follow ftp: and read file:).
_OPENER = urllib.request.OpenerDirector()
for _handler in (urllib.request.ProxyHandler(), urllib.request.HTTPHandler(), urllib.request.HTTPSHandler(),
                 urllib.request.HTTPRedirectHandler(), urllib.request.HTTPDefaultErrorHandler(),
                 urllib.request.HTTPErrorProcessor()):
    _OPENER.add_handler(_handler)


class HttpStatus(FetchError):
    """The server answered with an error status; ``body`` holds the start of its answer (APIs explain there)."""

    def __init__(self, message: str, status: int, body: bytes):
        super().__init__(message)
        self.status, self.body = status, body


class Budget:
    """The time one source's fetch may take over all its requests (policy.FEED_FETCH_SECONDS)."""

    def __init__(self, seconds: float | None = None):
        self.until = time.monotonic() + (policy.FEED_FETCH_SECONDS if seconds is None else seconds)

    def timeout(self) -> float:
        left = self.until - time.monotonic()
        if left <= 0:
            raise FetchError(f"抓取超时：超过{policy.FEED_FETCH_SECONDS}秒仍未完成，已停止")
        return min(policy.FEED_TIMEOUT_SECONDS, left)


def where(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.netloc}{parts.path}"


def join(base: str, path: str, **query) -> str:
    url = base.rstrip("/") + path
    return f"{url}?{urllib.parse.urlencode(query)}" if query else url


def request(url: str, budget: Budget, *, data: bytes | None = None, accept: str = "*/*") -> bytes:
    """GET (or POST ``data`` as JSON) and return the body, at most policy.FEED_MAX_BYTES."""
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise FetchError("地址须以 http:// 或 https:// 开头")
    headers = {"User-Agent": USER_AGENT, "Accept": accept}
    if data is not None:
        headers["Content-Type"] = "application/json; charset=utf-8"
    req = urllib.request.Request(url, data=data, headers=headers,  # noqa: S310 (scheme checked above)
                                 method="POST" if data is not None else "GET")
    limit = policy.FEED_MAX_BYTES
    try:
        with _OPENER.open(req, timeout=budget.timeout()) as response:
            body = response.read(limit + 1)
    except urllib.error.HTTPError as error:
        try:
            detail = error.read(64 * 1024)
        except OSError:
            detail = b""
        finally:
            error.close()
        raise HttpStatus(f"{where(url)} 返回 HTTP {error.code}（{error.reason}）", error.code, detail) from None
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise FetchError(f"连接 {where(url)} 超时（超过{policy.FEED_TIMEOUT_SECONDS}秒）") from None
        raise FetchError(f"无法连接 {where(url)}：{error.reason}") from None
    except TimeoutError:
        raise FetchError(f"读取 {where(url)} 超时（超过{policy.FEED_TIMEOUT_SECONDS}秒）") from None
    except (OSError, ValueError) as error:
        raise FetchError(f"读取 {where(url)} 失败：{error.__class__.__name__}") from None
    if len(body) > limit:
        raise FetchError(f"{where(url)} 返回的内容过大（超过 {_size(limit)}）")
    return body


def _size(limit: int) -> str:
    return f"{limit / 1024 / 1024:g} MB" if limit >= 1024 * 1024 else f"{max(1, round(limit / 1024))} KB"


def request_json(url: str, budget: Budget, *, body: dict | None = None) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    raw = request(url, budget, data=data, accept="application/json")
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise FetchError(f"{where(url)} 返回的不是有效的 JSON") from None
    if not isinstance(value, dict):
        raise FetchError(f"{where(url)} 返回的 JSON 格式不符（应为对象）")
    return value
