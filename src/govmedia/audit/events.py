"""The closed, numbered list of audit event types. Numbers are stored: never reuse or renumber."""

from django.db import models


class EventType(models.IntegerChoices):
    SIGN_IN = 1, "登录"
    SIGN_OUT = 2, "退出登录"
    SIGN_IN_FAILED = 3, "登录失败"
    PASSWORD_CHANGED = 4, "修改密码"
    TOKEN_ISSUED = 5, "签发接口令牌"
    TOKEN_REVOKED = 6, "吊销接口令牌"

    UNIT_CREATED = 100, "新增单位"
    SECTION_CREATED = 101, "新增科室"
    PERSON_CREATED = 102, "新增人员"
    ROLE_GRANTED = 103, "授予角色"
    ROLE_REVOKED = 104, "撤销角色"

    PLATFORM_ADDED = 200, "新增平台"
    PLATFORM_CHANGED = 201, "修改平台核准状态"
    ACCOUNT_REGISTERED = 210, "登记账号（开设申请）"
    ACCOUNT_OPENED = 211, "开设"
    ACCOUNT_CHANGED = 212, "变更"
    ACCOUNT_CLOSED = 213, "关停"
    ACCOUNT_CANCELLED = 214, "注销"
    FILING_COMPLETED = 215, "完成备案"
    LEDGER_IMPORTED = 216, "导入台账"
    LEDGER_EXPORTED = 217, "导出台账"

    WORKDAY_OVERRIDE_SET = 300, "设置工作日调整"
    WORKDAY_OVERRIDE_REMOVED = 301, "删除工作日调整"

    CONTENT_SCREENED = 400, "内容检查"
    FILE_MASKED = 401, "文件脱敏"

    DRAFT_CREATED = 500, "新建稿件"
    DRAFT_EDITED = 501, "修改稿件"
    DRAFT_SUBMITTED = 502, "送审"
    REVIEW_APPROVED = 503, "审核同意"
    REVIEW_RETURNED = 504, "审核退回"
    PUBLICATION_RECORDED = 505, "登记发布"
    ATTACHMENT_ADDED = 506, "上传附件"
    ATTACHMENT_REMOVED = 507, "删除附件"
    DIRECTIVE_CREATED = 510, "下达转载通知"

    DEMO_LOADED = 900, "载入演示数据"
