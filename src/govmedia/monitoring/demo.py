"""Demo data for 常态化监管; called by govmedia.demo.load_demo with the demo bureau's objects.

Posts at ages chosen so the demo accounts show every update state (第六条): the bureau's WeChat account and the
video account ok, its Weibo due, its Douyin overdue, the inspection brigade's account vetoed (14+ days), the talent
centre's dormant (90+ days). One published 公示 still carries a citizen's ID number, for the patrol to find.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from govmedia.monitoring import actions
from govmedia.monitoring.actions import InteractionData
from govmedia.monitoring.models import FeedKind, InteractionKind, PostKind, PostSource

SYSTEM = "系统（演示数据）"
# A real-looking 18-digit ID number (吴江区, born 1988-03-14) with a valid GB 11643 check digit.
LEAKED_ID = "320509198803142738"

# (platform, account name) → [(days ago, title, kind, source, text)]
POSTS = {
    ("微信公众号", "吴江人社"): [
        (1, "2026年度灵活就业人员社保补贴申领指南", PostKind.ORIGINAL, PostSource.WECHAT,
         "符合条件的灵活就业人员可申领社会保险补贴，申领材料和流程如下。"),
        (5, "转发：人社部等部门关于做好高校毕业生等青年就业创业工作的通知", PostKind.REPRINT, PostSource.WECHAT,
         "来源：人力资源和社会保障部网站。原标题：关于做好高校毕业生等青年就业创业工作的通知。"),
        (9, "2026年第三批就业见习补贴发放名单公示", PostKind.ORIGINAL, PostSource.IMPORT,
         f"经审核，以下人员符合就业见习补贴发放条件，现予公示。\n申请人：王某某，身份证号：{LEAKED_ID}，补贴金额：3000元。"
         "\n公示期5个工作日，如有异议请致电0512-63000000。"),
        (16, "吴江区2026年秋季大型人才招聘会举办", PostKind.ORIGINAL, PostSource.WECHAT,
         "本次招聘会共有120家企业参会，提供岗位2600余个。"),
        (30, "一图读懂：失业保险金申领流程", PostKind.ORIGINAL, PostSource.MANUAL,
         "失业保险金可通过线上渠道申领，无需到窗口办理。"),
    ],
    ("新浪微博", "吴江人社"): [
        (6, "【就业服务】本周五下午在区人力资源市场举办专场招聘", PostKind.ORIGINAL, PostSource.WEIBO,
         "【就业服务】本周五下午在区人力资源市场举办专场招聘，欢迎求职者参加。"),
        (13, "转发微博：江苏人社提醒你社保卡这些功能", PostKind.REPRINT, PostSource.WEIBO,
         "转发微博。【转发】社保卡可用于医保结算、待遇领取等。"),
    ],
    ("抖音", "吴江人社"): [
        (10, "30秒了解就业创业补贴", PostKind.ORIGINAL, PostSource.MANUAL, "短视频：就业创业补贴政策解读。"),
        (24, "走进吴江人社服务大厅", PostKind.ORIGINAL, PostSource.MANUAL, "短视频：服务大厅办事指引。"),
    ],
    ("微信公众号", "吴江劳动监察"): [
        (20, "根治欠薪冬季专项行动启动", PostKind.ORIGINAL, PostSource.IMPORT,
         "劳动者遇到欠薪问题，可通过举报投诉电话反映。"),
        (41, "劳动保障监察投诉须知", PostKind.ORIGINAL, PostSource.IMPORT, "投诉须提供的材料和办理时限。"),
    ],
    ("微信公众号", "吴江人才服务"): [
        (100, "人才公寓申请通知", PostKind.ORIGINAL, PostSource.IMPORT, "符合条件的人才可申请人才公寓。"),
    ],
    ("微信视频号", "吴江人社视频号"): [
        (2, "政策解读：就业见习补贴怎么领", PostKind.ORIGINAL, PostSource.MANUAL, "短视频：就业见习补贴申领说明。"),
    ],
}

# (platform, account name, kind, author, text, days ago received, days ago replied or None, reply)
INTERACTIONS = [
    ("微信公众号", "吴江人社", InteractionKind.MESSAGE, "网友小陈", "请问失业保险金申领需要带哪些材料？", 3, None, ""),
    ("微信公众号", "吴江人社", InteractionKind.COMMENT, "吴江市民", "见习补贴什么时候到账？", 8, 7,
     "您好，补贴将于公示期满后15个工作日内发放。"),
    ("新浪微博", "吴江人社", InteractionKind.COMMENT, "求职的阿强", "招聘会有没有适合应届生的岗位？", 12, None, ""),
    ("微信公众号", "吴江劳动监察", InteractionKind.MESSAGE, "务工人员", "公司拖欠两个月工资，怎么投诉？", 15, 14,
     "您好，可携带劳动合同、工资记录到大队窗口投诉，或拨打举报电话。"),
    ("微信公众号", "吴江人才服务", InteractionKind.MESSAGE, "张女士", "人才公寓今年还接受申请吗？", 2, None, ""),
]


def load(ctx: dict) -> None:
    """ctx: bureau, institutions, sections, people (username → Person), office, accounts (list)."""
    accounts = {(a.platform.name, a.name): a for a in ctx["accounts"]}
    now = timezone.now()
    for key, posts in POSTS.items():
        account = accounts[key]
        for number, (days, title, kind, source, text) in enumerate(posts):
            actions.record_post(account=account, published_at=now - timedelta(days=days, hours=2 + number),
                                title=title, kind=kind, source=source, text=text,
                                url=f"https://example.gov.cn/{account.platform_uid}/{days}", actor=SYSTEM)
    items = []
    for platform, name, kind, author, text, received, replied, reply in INTERACTIONS:
        account = accounts[(platform, name)]
        items.append(actions.check_interaction(InteractionData(
            account, kind, text, now - timedelta(days=received, hours=1), author,
            now - timedelta(days=replied) if replied is not None else None, reply), now))
    actions.add_interactions(items, actor=SYSTEM, object_repr="演示数据")
    actions.configure_feed(accounts[("微信公众号", "吴江人社")], kind=FeedKind.RSS,
                           url="https://example.gov.cn/gh_wjrs2015/rss.xml", enabled=False, actor=ctx["office"])
