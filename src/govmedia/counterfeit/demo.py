"""Demo data for 假冒账号处置; called by govmedia.demo.load_demo with the demo bureau's objects.

One public report waiting for the office: a fake imitating the bureau's WeChat account. Its rate-limit count is
kept under a key no real address can produce, so the demo never uses up anyone's allowance.
"""

from govmedia.counterfeit import actions, throttle


def load(ctx: dict) -> None:
    """ctx: bureau, institutions, sections, people (username → Person), office, accounts (list)."""
    actions.report(platform="微信公众号", name="吴江人社服务号", url="https://example.com/fake-wjrs",
                   description="该账号头像和名称与“吴江人社”相似，发布“社保卡补贴领取”链接，要求填写身份证号和银行卡号。",
                   client=throttle.client_key("演示数据"))
