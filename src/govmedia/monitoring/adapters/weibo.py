"""The Weibo user timeline (statuses/user_timeline), as documented:

GET {base}/2/statuses/user_timeline.json?access_token=…&uid=…&count=…&page=…
    → {"statuses": [{"id", "idstr", "created_at": "Tue May 31 17:46:55 +0800 2011", "text",
       "retweeted_status"?}], "total_number"}
A status with ``retweeted_status`` is a reprint (转载). Errors come as {"error", "error_code", "request"}, often
with an HTTP error status. The access token is read from the server's environment and never stored or logged.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

from govmedia import policy
from govmedia.monitoring.adapters import FetchError, Item
from govmedia.monitoring.adapters.http import Budget, HttpStatus, join, request_json
from govmedia.monitoring.text import headline, plain_text

PAGE_SIZE = 50
MONTHS = {m: i for i, m in enumerate(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
                                      "Nov", "Dec"), start=1)}
ERRORS = {
    10006: "缺少应用 App Key",
    10022: "IP 请求频次超过上限",
    10023: "用户请求频次超过上限",
    10024: "用户请求该接口的频次超过上限",
    20003: "用户不存在",
    21301: "认证失败",
    21314: "access_token 已被使用",
    21315: "access_token 已过期",
    21316: "access_token 不合法",
    21317: "access_token 不合法",
    21327: "access_token 已过期",
    21332: "access_token 无效",
}


def created_at(value: str) -> datetime | None:
    """"Tue May 31 17:46:55 +0800 2011" (not locale-dependent, unlike strptime's %a %b)."""
    try:
        _, month, day, clock, offset, year = value.split()
        hour, minute, second = (int(p) for p in clock.split(":"))
        sign = -1 if offset[0] == "-" else 1
        zone = timezone(sign * timedelta(hours=int(offset[1:3]), minutes=int(offset[3:5])))
        return datetime(int(year), MONTHS[month], int(day), hour, minute, second, tzinfo=zone)
    except (AttributeError, ValueError, KeyError, IndexError):
        return None


def _error(answer: dict) -> FetchError:
    code = answer.get("error_code")
    message = str(answer.get("error", ""))[:120]
    reason = ERRORS.get(code, "") if isinstance(code, int) else ""
    return FetchError(f"微博接口返回错误 {code}：{reason or message}" + (f"（{message}）" if reason else ""))


def _page(base: str, token: str, uid: str, page: int, budget: Budget) -> dict:
    url = join(base, "/2/statuses/user_timeline.json", access_token=token, uid=uid, count=PAGE_SIZE, page=page)
    try:
        answer = request_json(url, budget)
    except HttpStatus as status:
        try:
            answer = json.loads(status.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise status from None
        if not isinstance(answer, dict) or "error_code" not in answer:
            raise status from None
    if "error_code" in answer:
        raise _error(answer)
    return answer


def item_of(status: dict, uid: str) -> Item | None:
    idstr = str(status.get("idstr") or status.get("id") or "").strip()
    published = created_at(str(status.get("created_at") or ""))
    text = plain_text(str(status.get("text") or ""))
    retweeted = status.get("retweeted_status")
    if isinstance(retweeted, dict) and retweeted.get("text"):
        text = f"{text}\n【转发】{plain_text(str(retweeted['text']))}".strip()
    if not idstr or published is None or not text:
        return None
    return Item(idstr, published, headline(text), f"https://weibo.com/{uid}/{idstr}", text,
                reprint=isinstance(retweeted, dict))


def fetch(base: str, uid: str, token: str, budget: Budget,
          known: Callable[[list[Item]], bool] | None = None) -> tuple[list[Item], int]:
    """The timeline, newest page first, until a page holds nothing new, the timeline ends, or
    policy.FEED_MAX_PAGES pages were read. Returns (items, statuses without an id, time or text)."""
    items, bad = [], 0
    for page in range(1, policy.FEED_MAX_PAGES + 1):
        answer = _page(base, token, uid, page, budget)
        statuses = answer.get("statuses") or []
        if not isinstance(statuses, list):
            raise FetchError("微博接口的返回格式不符：statuses 应为列表")
        got = [item_of(s, uid) if isinstance(s, dict) else None for s in statuses]
        found = [i for i in got if i is not None]
        bad += len(got) - len(found)
        items += found
        total = answer.get("total_number")
        if not statuses or (isinstance(total, int) and page * PAGE_SIZE >= total) or (known and found and known(found)):
            break
    return items, bad
