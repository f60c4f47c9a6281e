"""Demo data for 突发事件与应急; called by govmedia.demo.load_demo with the demo bureau's objects.

One closed incident with its timeline and a retraction, one open incident; the bureau's emergency plan drilled
five months ago, the 监察大队's drilled fourteen months ago (flagged), the 人服中心 without a plan.
"""

from __future__ import annotations

import functools
import zipfile
from datetime import timedelta
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from govmedia.incidents import actions
from govmedia.incidents.models import Kind


@functools.cache
def _plan_document() -> bytes:
    """A short plan as .docx, built once per process and byte-for-byte the same every time (its zip entries carry
    a fixed date), so the content-named stored file is written once however often the demo loads."""
    import docx

    document = docx.Document()
    document.add_heading("政务新媒体网络安全事件应急预案", level=1)
    for text in ("一、总则：为及时处置账号被盗、错误发布、信息泄露、假冒账号、客户端被攻击等突发事件……",
                 "二、组织体系：局办公室牵头，各科室、直属单位主要负责人为第一责任人。",
                 "三、处置流程：发现报告 → 先行处置（撤稿、冻结账号、修改密码）→ 调查评估 → 恢复与总结。"):
        document.add_paragraph(text)
    built = BytesIO()
    document.save(built)
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(built.getvalue())) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zip_:
        for entry in source.infolist():
            zip_.writestr(zipfile.ZipInfo(entry.filename, date_time=(2026, 1, 1, 0, 0, 0)), source.read(entry),
                          compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _plan(unit, title: str, approved_on, actor):
    upload = SimpleUploadedFile(f"{title}.docx", _plan_document())
    return actions.save_plan(unit=unit, title=title, document=upload, approved_on=approved_on, actor=actor)


def load(ctx: dict) -> None:
    """ctx: bureau, institutions, sections, people (username → Person), office, accounts (list)."""
    office, clerk = ctx["office"], ctx["people"]["clerk"]
    bureau, inspection = ctx["bureau"], ctx["institutions"][0]
    now = timezone.now()
    today = timezone.localdate()
    weibo = next(a for a in ctx["accounts"] if a.unit_id == bureau.pk and a.platform.name == "新浪微博")

    wrong = actions.open_incident(
        unit=bureau, kind=Kind.WRONG_POST, severity="major", title="微博误发未审核稿件",
        occurred_at=now - timedelta(days=20, hours=3), reported_at=now - timedelta(days=20, hours=2),
        description="信息员在“吴江人社”微博误发一篇尚在复审中的稿件，稿件中社保缴费基数有误。",
        accounts=[weibo], actor=clerk)
    actions.add_action(wrong, taken_at=now - timedelta(days=20, hours=2), taken_by="李明",
                       what="立即删除该条微博并截图留存，报告科室负责人。", actor=clerk)
    actions.record_retraction(
        account=weibo, title="2026年社保缴费基数调整通知（未审核稿）", url="https://example.gov.cn/wjrs/status/1",
        retracted_at=now - timedelta(days=20, hours=2), retracted_by="张伟（科室负责人）",
        reason="稿件未经复审、签发即发布，且缴费基数有误（第八条、第十一条）", incident=wrong, actor=clerk)
    actions.add_action(wrong, taken_at=now - timedelta(days=19), taken_by="王芳（局办公室）",
                       what="约谈信息员，复核发布权限：微博发布改为须经签发后由专人操作。", actor=office)
    actions.close_incident(wrong, summary="误发原因为发布操作与审核脱节；已撤稿，未造成舆情。已收紧发布权限并组织一次审核流程培训。",
                           actor=office)

    actions.open_incident(
        unit=inspection, kind=Kind.COUNTERFEIT, severity="general", title="疑似假冒“吴江劳动监察”抖音号",
        occurred_at=now - timedelta(days=2), reported_at=now - timedelta(days=1),
        description="群众反映抖音上有名为“吴江劳动监察大队”的账号发布欠薪代讨广告。", actor=office)

    bureau_plan = _plan(bureau, "吴江区人社局政务新媒体网络安全事件应急预案", today - timedelta(days=400), office)
    actions.record_drill(unit=bureau, held_on=today - timedelta(days=150), plan=bureau_plan,
                         scenario="微信公众号管理员账号被盗、被发布不当信息", participants="局办公室、就业促进科、外包运维单位",
                         findings="账号找回流程耗时较长；已与平台客服建立紧急联系渠道。", actor=office)
    _plan(inspection, "劳动保障监察大队政务新媒体应急预案", today - timedelta(days=700), office)
    actions.record_drill(unit=inspection, held_on=today - timedelta(days=430), scenario="公众号误发涉密文件",
                         participants="监察大队办公室、信息员", findings="涉密文件识别培训不足。", actor=office)
