"""Demo data for 外包服务管理; called by govmedia.demo.load_demo with the demo bureau's objects.

One vendor whose contract ends within the alert window (so the office's home page shows it) and whose agreement
is valid; the demo user ``vendor`` is its staff, assigned to the bureau's WeChat account only.
"""

from datetime import timedelta

from django.utils import timezone

from govmedia.vendors import actions
from govmedia.vendors.models import Grade

VENDOR = "苏州云帆网络科技有限公司"


def load(ctx: dict) -> None:
    """ctx: bureau, institutions, sections, people (username → Person), office, accounts (list)."""
    office, day = ctx["office"], timezone.localdate()
    vendor = actions.save_vendor(name=VENDOR, credit_code="91320509MA1XXXXX0Y", contact="沈洁", phone="0512-6300 0000",
                                 address="苏州市吴江区中山南路1号", actor=office)
    start = day - timedelta(days=345)
    actions.add_contract(vendor, number="吴人社采〔2025〕18号", signed_on=start, starts_on=start,
                         ends_on=day + timedelta(days=20),
                         scope="“吴江人社”微信公众号的图文编辑、排版和数据统计；不含审核与发布决定",
                         responsibilities="甲方（区人社局）承担账号主体责任并负责内容三级审核；乙方按甲方审核通过的内容"
                                          "排版发布，不得擅自发布、修改或删除内容，对接触的数据保密",
                         actor=office)
    actions.add_agreement(vendor, signed_on=start, ends_on=start + timedelta(days=730), actor=office)
    wechat = next(a for a in ctx["accounts"] if a.unit_id == ctx["bureau"].pk and a.platform.name == "微信公众号")
    person = ctx["people"]["vendor"]
    actions.link_staff(vendor, person, actor=office)
    actions.assign_account(person, wechat, actor=office)
    actions.record_supervision(vendor, evaluated_on=day - timedelta(days=60), period="上一季度", evaluator=office.full_name,
                               score=88, grade=Grade.GOOD, findings="按时完成排版，1次错别字已整改；提醒严格执行审核后发布",
                               actor=office)
