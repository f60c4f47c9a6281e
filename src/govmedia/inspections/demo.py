"""Demo data for 巡检与检查整改; called by govmedia.demo.load_demo with the demo bureau's objects.

One finished inspection of last month over the bureau's 微信公众号 and an institution's account, through the
real actions: the system's facts as they are, every manual item passed except two problems the inspector
found — the bureau's (answered by its 信息员 and accepted by the office) and the institution's (still open).
Nobody is notified: this is history, not news. No patrol here: compiling the screener is too slow for a demo
that runs in nearly every test.
"""

from datetime import timedelta

from django.utils import timezone

from govmedia.inspections import actions, notify
from govmedia.inspections.checklist import ITEMS
from govmedia.inspections.models import Outcome, Rectification
from govmedia.registry.models import Account

PROBLEMS = {
    "bureau": ("review", "抽查3条信息，1条《审核登记表》缺少复审签字"),
    "institution": ("security", "账号密码超过3个月未变更，且管理员手机设置了自动登录"),
}


def load(ctx: dict) -> None:
    """ctx: bureau, institutions, sections, people (username → Person), office, accounts (list)."""
    office, people = ctx["office"], ctx["people"]
    wechat = Account.objects.filter(platform__name="微信公众号").order_by("id")
    bureau_account = wechat.filter(unit=ctx["bureau"]).first()
    institution_account = wechat.filter(unit=ctx["institutions"][0]).first()
    if bureau_account is None or institution_account is None:
        return
    end = timezone.localdate().replace(day=1) - timedelta(days=1)
    with notify.muted():
        inspection = actions.open_inspection(title=f"{end.year}年{end.month}月政务新媒体检查",
                                             period_start=end.replace(day=1), period_end=end,
                                             accounts=[bureau_account, institution_account], actor=office)
        for key, account in (("bureau", bureau_account), ("institution", institution_account)):
            failed_item, note = PROBLEMS[key]
            decisions = {item.code: {"outcome": Outcome.FAIL, "note": note} if item.code == failed_item
                         else {"outcome": Outcome.PASS, "note": ""}
                         for item in ITEMS if not item.auto}
            actions.record_results(inspection, account, decisions, actor=office)
        actions.close_inspection(inspection, actor=office)
        fixed = Rectification.objects.get(inspection_result__inspection=inspection,
                                          inspection_result__account=bureau_account,
                                          inspection_result__item=PROBLEMS["bureau"][0])
        actions.answer_rectification(fixed, text="已补齐《审核登记表》复审签字，并组织信息员重新学习三级审核制度。",
                                     actor=people["clerk"])
        actions.accept_rectification(fixed, note="材料齐全，同意销号。", actor=office)
