"""The WeChat official account's publishing list (发布能力 · 获取成功发布列表), as documented:

GET  {base}/cgi-bin/token?grant_type=client_credential&appid=…&secret=…  → {"access_token", "expires_in"}
POST {base}/cgi-bin/freepublish/batchget?access_token=…  {"offset", "count", "no_content": 0}
     → {"total_count", "item_count", "item": [{"article_id", "content": {"news_item": [...], "create_time",
        "update_time"}, "update_time"}]}
Errors come as {"errcode", "errmsg"}. The token is fetched for each run and never stored or logged.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from govmedia import policy
from govmedia.monitoring.adapters import FetchError, Item
from govmedia.monitoring.adapters.http import Budget, join, request_json
from govmedia.monitoring.text import plain_text

PAGE_SIZE = 20  # the API's maximum
ERRORS = {
    -1: "微信系统繁忙，请稍后再试",
    40001: "AppSecret 错误或 access_token 无效",
    40002: "凭证类型不合法",
    40013: "AppID 不合法",
    40125: "AppSecret 无效",
    40164: "服务器的 IP 地址不在公众号的 IP 白名单中",
    41004: "缺少 AppSecret",
    42001: "access_token 已过期",
    45009: "接口调用次数已达当日上限",
    48001: "公众号未获得该接口的权限",
    89503: "此 IP 调用需要公众号管理员确认",
}


def _check(answer: dict, what: str) -> dict:
    code = answer.get("errcode", 0)
    if code not in (0, None):
        reason = ERRORS.get(code, "")
        message = str(answer.get("errmsg", ""))[:120]
        raise FetchError(f"微信接口（{what}）返回错误 {code}：{reason or message}" + (f"（{message}）" if reason else ""))
    return answer


def _time(value) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(value), tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def token(base: str, app_id: str, secret: str, budget: Budget) -> str:
    answer = _check(request_json(join(base, "/cgi-bin/token", grant_type="client_credential", appid=app_id,
                                      secret=secret), budget), "获取 access_token")
    value = answer.get("access_token")
    if not isinstance(value, str) or not value:
        raise FetchError("微信接口（获取 access_token）的返回中没有 access_token")
    return value


def items_of(entry: dict) -> tuple[list[Item], int]:
    """The articles of one publication (a 图文 may hold several); deleted ones are left out."""
    content = entry.get("content") or {}
    published = _time(content.get("create_time")) or _time(entry.get("update_time"))
    news = content.get("news_item") or []
    items, bad = [], 0
    for index, article in enumerate(news):
        if not isinstance(article, dict) or article.get("is_deleted"):
            continue
        title = " ".join(str(article.get("title") or "").split())
        url = str(article.get("url") or "").strip()
        text = plain_text(str(article.get("content") or "")) or str(article.get("digest") or "").strip()
        if published is None or not title:
            bad += 1
            continue
        # The link is the identity (a publishing record of the same article has it too); without one, the id.
        external_id = "" if url else f"{entry.get('article_id', '')}#{index}"
        items.append(Item(external_id, published, title, url, text))
    return items, bad


def fetch(base: str, app_id: str, secret: str, budget: Budget,
          known: Callable[[list[Item]], bool] | None = None) -> tuple[list[Item], int]:
    """Every article on the list, newest pages first, until a page holds nothing new (``known``), the list
    ends, or policy.FEED_MAX_PAGES pages were read. Returns (items, articles without a time or title)."""
    access_token = token(base, app_id, secret, budget)
    items, bad, offset = [], 0, 0
    for _ in range(policy.FEED_MAX_PAGES):
        answer = _check(request_json(join(base, "/cgi-bin/freepublish/batchget", access_token=access_token),
                                     budget, body={"offset": offset, "count": PAGE_SIZE, "no_content": 0}),
                        "获取发布列表")
        entries = answer.get("item") or []
        if not isinstance(entries, list):
            raise FetchError("微信接口（获取发布列表）的返回格式不符：item 应为列表")
        page: list[Item] = []
        for entry in entries:
            got, skipped = items_of(entry if isinstance(entry, dict) else {})
            page += got
            bad += skipped
        items += page
        offset += len(entries)
        total = answer.get("total_count")
        if not entries or (isinstance(total, int) and offset >= total) or (known and page and known(page)):
            break
    return items, bad
