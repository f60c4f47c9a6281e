from __future__ import annotations

from django import forms
from django.utils import timezone

from govmedia.monitoring import access
from govmedia.monitoring.models import FeedKind, PostKind
from govmedia.registry.forms import _Styled
from govmedia.registry.models import Status

WHEN = forms.DateTimeInput(attrs={"type": "datetime-local", "class": "form-control"}, format="%Y-%m-%dT%H:%M")
WHEN_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]


class AccountChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.unit.short_name or obj.unit.name} · {obj}"


class PostForm(_Styled):
    """A post recorded by hand (手工登记): for accounts with no feed and no publishing record."""

    account = AccountChoice(label="账号", queryset=None, empty_label="请选择账号")
    published_at = forms.DateTimeField(label="发布时间", widget=WHEN, input_formats=WHEN_FORMATS)
    title = forms.CharField(label="标题", max_length=300)
    url = forms.URLField(label="链接", max_length=1000, required=False, assume_scheme="https")
    kind = forms.ChoiceField(label="类型", choices=PostKind.choices, initial=PostKind.ORIGINAL)
    text = forms.CharField(label="正文", required=False, widget=forms.Textarea(attrs={"rows": 6}),
                           help_text="纯文本；巡检按它复查隐私、敏感词等问题")

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units = access.recordable_units(user)
        self.fields["account"].queryset = (access.visible_accounts(user).filter(unit__in=units)
                                           .in_status(Status.RUNNING).order_by("unit__sort_order", "platform__sort_order", "id"))


class ImportForm(_Styled):
    file = forms.FileField(label="文件（.xlsx 或 .csv）",
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}))


class ReplyForm(_Styled):
    reply = forms.CharField(label="回复内容", widget=forms.Textarea(attrs={"rows": 4}))
    replied_at = forms.DateTimeField(label="回复时间", widget=WHEN, input_formats=WHEN_FORMATS, required=False,
                                     help_text="在平台上回复的时间；不填为现在")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replied_at"].initial = timezone.localtime().replace(second=0, microsecond=0)


class FeedForm(_Styled):
    kind = forms.ChoiceField(label="来源类型", choices=FeedKind.choices)
    url = forms.CharField(label="地址", max_length=1000,
                          help_text="RSS/Atom：订阅地址；微信：接口根地址 https://api.weixin.qq.com；"
                                    "微博：接口根地址 https://api.weibo.com")
    app_id = forms.CharField(label="AppID / 用户ID", max_length=200, required=False,
                             help_text="微信公众号的 AppID，或微博用户ID（uid）；RSS 不填")
    secret_env = forms.CharField(label="密钥所在环境变量", max_length=100, required=False,
                                 help_text="服务器上保存 AppSecret（微信）或 access_token（微博）的环境变量名，"
                                           "如 WECHAT_WJRS_SECRET。本系统不保存密钥本身；RSS 不填")
    enabled = forms.BooleanField(label="启用（每小时自动抓取）", required=False, initial=True)
