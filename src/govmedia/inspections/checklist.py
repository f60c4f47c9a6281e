"""The inspection checklist (第十三条), drawn from the regulation and the national indicators, as data.

National indicators: 国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》 — a new-media account fails outright
(单项否决) for security problems, for no update in the 2 weeks before a check, or for no working interaction.
``auto`` items are pre-filled per account from what the system knows (``facts.py``); the inspector checks the
rest. ``severity`` is the default for a failed item: it sets the rectification deadline (policy.RECTIFY_WORKDAYS).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Item:
    code: str
    name: str
    article: str
    requirement: str
    severity: str      # severe | major | general
    auto: bool         # pre-filled from the system's data


ITEMS: tuple[Item, ...] = (
    Item("update", "更新频率", "第六条",
         "至少每周更新；检查时点前2周无更新的单项否决（国家检查指标）", "major", True),
    Item("reprint", "转载时效", "第六条",
         "上级党政机关需转发推送的重要信息在24小时内转载", "general", True),
    Item("filing", "备案及时", "第三条",
         "开设、变更、关停、注销在3个工作日内到省政务新媒体备案检查系统备案", "general", True),
    Item("content", "内容安全", "第九条、第十一条",
         "无严重表述错误、泄露个人隐私、问题地图、商业广告、违法涉密敏感信息", "severe", True),
    Item("interaction", "互动回应", "第七条",
         "网友留言、评论及时回复，互动渠道畅通", "general", True),
    Item("relevance", "内容规范", "第七条",
         "发布与本单位职能相关的信息，转载来源合规并注明出处，杜绝庸俗化娱乐化", "general", False),
    Item("review", "审核登记", "第八条",
         "落实三级审核，先审后发，填写《区人社局信息发布审核登记表》，无“自编自审自发”", "major", False),
    Item("security", "账号安全", "第十二条",
         "密码每3个月变更且符合复杂度，不使用自动登录和公共设备，人员变动及时收回权限", "major", False),
    Item("outsourcing", "外包管理", "第二条",
         "外包事项与权责明确，签订保密安全协议，加强监管，不得“以包代管”", "general", False),
)

BY_CODE: dict[str, Item] = {item.code: item for item in ITEMS}
AUTO_ITEMS = tuple(item for item in ITEMS if item.auto)
