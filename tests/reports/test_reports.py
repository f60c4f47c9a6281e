"""Monthly and quarterly reports (.docx with PNG charts, .xlsx with native charts) and the compliance summary."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import docx
import openpyxl
import pytest
import time_machine
from PIL import Image

from govmedia.audit.events import EventType
from govmedia.audit.models import AuditEvent
from govmedia.monitoring.models import PostKind
from govmedia.org.models import Unit
from govmedia.publishing import actions as publishing
from govmedia.registry.models import Account
from govmedia.reports import figures, images
from govmedia.reports.figures import Period, PeriodError

from .conftest import add_account, add_post, local, make_unit

OCTOBER = "kind=month&year=2026&number=10"


@pytest.mark.parametrize(("kind", "year", "number", "label", "start", "end"), [
    ("month", 2026, 10, "2026年10月", date(2026, 10, 1), date(2026, 11, 1)),
    ("month", 2025, 12, "2025年12月", date(2025, 12, 1), date(2026, 1, 1)),
    ("quarter", 2026, 1, "2026年第一季度", date(2026, 1, 1), date(2026, 4, 1)),
    ("quarter", 2025, 4, "2025年第四季度", date(2025, 10, 1), date(2026, 1, 1)),
])
def test_a_period_knows_its_days_and_its_name(kind, year, number, label, start, end):
    period = Period.of(kind, year, number, date(2026, 11, 28))
    assert (period.label, period.start, period.end) == (label, start, end)


def test_the_default_period_is_last_month():
    assert Period.previous_month(date(2026, 1, 15)) == Period("month", 2025, 12)


@pytest.mark.parametrize(("kind", "year", "number", "field", "message"), [
    ("month", 2026, 13, "number", "月份须为1至12"),
    ("quarter", 2026, 5, "number", "季度须为1至4"),
    ("month", 2027, 1, "year", "年份须在2000年至2026年之间"),
    ("month", 2026, 12, "number", "2026年12月尚未开始，无法统计"),
    ("week", 2026, 1, "kind", "报表类型须为月报或季报"),
])
def test_a_period_that_cannot_be_reported_is_refused_with_its_reason(kind, year, number, field, message):
    with pytest.raises(PeriodError) as refused:
        Period.of(kind, year, number, date(2026, 11, 28))
    assert (refused.value.field, refused.value.message) == (field, message)


@pytest.fixture
def october(bureau):
    """A unit of five accounts with a known October 2026 (times are Asia/Shanghai)."""
    ns = make_unit("苏州市吴江区公共就业服务中心", "公就中心")
    a = add_account(ns, "A", "微信公众号")
    b = add_account(ns, "B", "新浪微博")
    c = add_account(ns, "C", "抖音", opened_on=date(2026, 10, 15))
    d = add_account(ns, "D", "快手")
    add_account(ns, "E", "今日头条", opened_on=date(2026, 11, 5))  # opened after October: not in its report
    d.closed_on = date(2026, 10, 20)
    d.save()
    add_post(a, local("2026-09-28 10:00"))
    add_post(a, local("2026-10-03 10:00"))
    add_post(a, local("2026-10-10 10:00"), PostKind.REPRINT)
    add_post(a, local("2026-10-24 10:00"))
    add_post(b, local("2026-09-20 10:00"))
    add_post(c, local("2026-10-16 10:00"))
    add_post(c, local("2026-10-28 10:00"), PostKind.REPRINT)
    add_post(d, local("2026-10-05 10:00"))
    add_post(a, local("2026-11-01 00:00"))  # the next month
    return ns


def test_the_figures_of_a_month(october):
    report = figures.build(Period("month", 2026, 10), Unit.objects.filter(pk=october.unit.pk), "公就中心",
                           now=local("2026-11-20 09:00"))
    got = {f.account.name[-1]: (f.posts, f.originals, f.share, f.longest_gap, f.end_label) for f in report.accounts}
    assert got == {
        "A": (3, 2, 66.7, 14, "超期未更新"),   # 10-10 → 10-24; 10-24 10:00 → 11-01 is 7.6 days: overdue
        "B": (0, 0, None, 31, "单项否决"),     # silent all month (counted from 10-01); 42 days at the end
        "C": (2, 1, 50.0, 12, "正常"),         # opened 10-15; 10-16 → 10-28; 3.6 days at the end
        "D": (1, 1, 100.0, 14, "已关停"),      # 10-05 10:00 → closed 10-20 00:00
    }
    assert (report.posts, report.originals, report.share) == (6, 4, 66.7)
    assert report.state_counts == {"ok": 1, "due": 0, "overdue": 1, "veto": 1, "dormant": 0}
    assert report.compliance == pytest.approx(33.3)
    assert [d.isoformat() for d in report.weeks][:2] == ["2026-09-28", "2026-10-05"] and len(report.weeks) == 5
    assert report.weekly == [1, 2, 1, 1, 1]
    assert "共发布信息6条，其中原创4条，原创占比66.7%" in report.summary()
    assert "期末运行中的账号3个" in report.summary()
    assert [a.account.name[-1] for a in report.attention()] == ["A", "B", "C", "D"]


def test_a_running_period_counts_up_to_now(october):
    report = figures.build(Period("month", 2026, 10), Unit.objects.filter(pk=october.unit.pk), "公就中心",
                           now=local("2026-10-20 09:00"))
    a = next(f for f in report.accounts if f.account.name.endswith("A"))
    assert (a.posts, a.longest_gap, a.end_label) == (2, 9, "超期未更新")  # 10-10 10:00 → now is 9.96 days
    assert not report.finished and "截至2026年10月20日09时" in report.summary()


def _reprint(directive, account, at, people):
    clerk, clerk2, chief, leader = people
    with time_machine.travel(local(at), tick=False):
        draft = publishing.create_draft(accounts=[account], title=directive.title, kind="reprint", actor=clerk,
                                        source_name=directive.source, original_title=directive.title,
                                        directive=directive)
        publishing.submit_draft(draft, actor=clerk)
        for person in (clerk2, chief, leader):
            publishing.decide(draft, verdict="approve", actor=person)
        publishing.record_publication(draft, account=account, actor=clerk, url=f"https://example.com/{account.pk}")


def test_reprints_on_time_are_counted_per_account(bureau, office, clerk, clerk2, chief, leader):
    wechat = Account.objects.get(platform__name="微信公众号", name="吴江人社")
    weibo = Account.objects.get(platform__name="新浪微博", name="吴江人社")
    douyin = Account.objects.get(platform__name="抖音", name="吴江人社")
    with time_machine.travel(local("2026-10-09 09:00"), tick=False):
        directive = publishing.create_directive(title="省厅：做好高校毕业生就业工作", source="江苏省人社厅",
                                                received_at=local("2026-10-09 09:00"), accounts=[wechat, weibo, douyin],
                                                actor=office)
    _reprint(directive, wechat, "2026-10-10 08:00", (clerk, clerk2, chief, leader))
    _reprint(directive, weibo, "2026-10-10 10:00", (clerk, clerk2, chief, leader))  # an hour late
    with time_machine.travel(local("2026-10-31 09:00"), tick=False):
        directive2 = publishing.create_directive(title="市局：下月起社保缴费提示", source="苏州市人社局",
                                                 received_at=local("2026-10-31 09:00"), accounts=[wechat], actor=office)
    report = figures.build(Period("month", 2026, 10), Unit.objects.filter(pk=clerk.unit_id), "区人社局",
                           now=local("2026-11-20 09:00"))
    got = {f.account.pk: (f.directives_on_time, f.directives) for f in report.accounts}
    assert got[wechat.pk] == (1, 1)  # directive2 falls due on 11-01: next month's
    assert got[weibo.pk] == (0, 1) and got[douyin.pk] == (0, 1)
    assert (report.directives_on_time, report.directives) == (1, 3)
    assert directive2.due_at == local("2026-11-01 09:00")


def test_the_word_report_carries_the_figures_tables_and_charts(october, office, signed_in, audit):
    client = signed_in(office)
    audit.mark()
    with time_machine.travel(local("2026-11-20 09:00"), tick=False):
        response = client.get(f"/reports/report.docx?{OCTOBER}&scope={october.unit.pk}")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="report-2026-10.docx"'
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "政务新媒体运行情况月报" in text and "（2026年10月）" in text and "统计范围：苏州市吴江区公共就业服务中心" in text
    assert "共发布信息6条，其中原创4条，原创占比66.7%" in text
    units, accounts = ([[c.text for c in row.cells] for row in t.rows] for t in document.tables)
    assert units[0][:3] == ["单位", "账号数", "发布量"]
    assert units[1] == ["苏州市吴江区公共就业服务中心", "4", "6", "4", "66.7%", "1", "2", "31", "0/0"]
    assert accounts[1:] == [
        ["公就中心", "微信公众号「公就中心A」", "3", "2", "66.7%", "14", "超期未更新", "0/0"],
        ["公就中心", "新浪微博「公就中心B」", "0", "0", "—", "31", "单项否决", "0/0"],
        ["公就中心", "抖音「公就中心C」", "2", "1", "50%", "12", "正常", "0/0"],
        ["公就中心", "快手「公就中心D」", "1", "1", "100%", "14", "已关停", "0/0"],
    ]
    pictures = [Image.open(io.BytesIO(shape._inline.graphic.graphicData.pic.blipFill.blip.embed and
                                      document.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed].blob))
                for shape in document.inline_shapes]
    assert len(pictures) == 3 and all(p.format == "PNG" and p.size == (1200, 560) for p in pictures)
    assert "新浪微博「公就中心B」：本期最长31天未更新，期末状态为单项否决。" in text
    assert audit.new() == [EventType.REPORT_EXPORTED]
    event = AuditEvent.objects.order_by("-seq").first()
    assert event.after == {"format": "docx", "period": "2026-10", "scope": str(october.unit.pk), "accounts": 4}


def test_the_workbook_report_has_its_tables_and_native_charts(october, office, signed_in, audit):
    client = signed_in(office)
    audit.mark()
    with time_machine.travel(local("2026-11-20 09:00"), tick=False):
        response = client.get(f"/reports/report.xlsx?{OCTOBER}&scope={october.unit.pk}")
    assert response["Content-Disposition"] == 'attachment; filename="report-2026-10.xlsx"'
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["汇总", "单位统计", "账号明细", "周发布量"]
    accounts = [[c.value for c in row] for row in wb["账号明细"].iter_rows(min_row=3)]
    assert [(r[2], r[3], r[4], r[5], r[6], r[8]) for r in accounts] == [
        ("公就中心A", 3, 2, pytest.approx(0.667), 14, "超期未更新"),
        ("公就中心B", 0, 0, None, 31, "单项否决"),
        ("公就中心C", 2, 1, 0.5, 12, "正常"),
        ("公就中心D", 1, 1, 1.0, 14, "已关停"),
    ]
    assert accounts[0][7].strftime("%Y-%m-%d %H:%M") == "2026-10-24 10:00"  # local wall time
    units = [[c.value for c in row] for row in wb["单位统计"].iter_rows(min_row=3, max_row=3)]
    assert units[0][:4] == ["苏州市吴江区公共就业服务中心", 4, 6, 4]
    weekly = [[c.value for c in row] for row in wb["周发布量"].iter_rows(min_row=3)]
    assert weekly == [["2026-09-28", 1], ["2026-10-05", 2], ["2026-10-12", 1], ["2026-10-19", 1], ["2026-10-26", 1]]
    summary = {row[0].value: row[1].value for row in wb["汇总"].iter_rows(min_row=6) if row[0].value}
    assert summary["发布量（条）"] == 6 and summary["单项否决（个）"] == 1
    assert len(wb["单位统计"]._charts) == 1 and len(wb["周发布量"]._charts) == 1
    with zipfile.ZipFile(io.BytesIO(response.content)) as package:
        charts = [name for name in package.namelist() if name.startswith("xl/charts/chart")]
        kinds = {name: package.read(name).decode() for name in charts}
    assert len(charts) == 2
    assert any("barChart>" in xml for xml in kinds.values()) and any("lineChart>" in xml for xml in kinds.values())
    assert audit.new() == [EventType.REPORT_EXPORTED]


def test_the_report_page_previews_the_figures_with_links_to_both_files(october, office, signed_in):
    with time_machine.travel(local("2026-11-20 09:00"), tick=False):
        html = signed_in(office).get(f"/reports/?{OCTOBER}&scope={october.unit.pk}").content.decode()
    assert "共发布信息6条" in html
    query = f"kind=month&amp;year=2026&amp;number=10&amp;scope={october.unit.pk}"
    assert f'href="/reports/report.docx?{query}"' in html and f'href="/reports/report.xlsx?{query}"' in html


def test_without_choices_the_page_reports_last_month_on_every_unit(bureau, office, signed_in):
    with time_machine.travel(local("2026-11-20 09:00"), tick=False):
        html = signed_in(office).get("/reports/").content.decode()
    assert "政务新媒体运行情况月报（2026年10月）· 全局" in html


def test_a_unit_reports_on_itself_only(october, clerk, signed_in):
    client = signed_in(clerk)
    with time_machine.travel(local("2026-11-20 09:00"), tick=False):
        default = client.get("/reports/")
        everything = client.get(f"/reports/?{OCTOBER}&scope=all")
        other = client.get(f"/reports/report.docx?{OCTOBER}&scope={october.unit.pk}")
        own = client.get(f"/reports/report.xlsx?{OCTOBER}&scope={clerk.unit_id}")
    assert default.status_code == 200 and f"· {clerk.unit.name}" in default.content.decode()
    assert everything.status_code == 400 and "统计范围：请选择您可查看的单位" in everything.content.decode()
    assert other.status_code == 400 and "统计范围：请选择您可查看的单位" in other.content.decode()
    assert own.status_code == 200


def test_a_future_or_malformed_period_is_refused_naming_the_field(bureau, office, signed_in):
    client = signed_in(office)
    with time_machine.travel(local("2026-11-20 09:00"), tick=False):
        future = client.get("/reports/report.docx?kind=month&year=2026&number=12")
        letters = client.get("/reports/?kind=quarter&year=今年&number=1")
        quarter = client.get("/reports/?kind=quarter&year=2026&number=7")
    assert future.status_code == 400 and "月份/季度：2026年12月尚未开始，无法统计" in future.content.decode()
    assert letters.status_code == 400 and "年份：年份须为数字，如2026" in letters.content.decode()
    assert quarter.status_code == 400 and "月份/季度：季度须为1至4" in quarter.content.decode()


def test_the_compliance_summary_counts_each_units_states(watched, office, signed_in, audit):
    client = signed_in(office)
    html = client.get("/reports/compliance/").content.decode()
    row = html[html.index(f'data-unit="{watched.unit.pk}"'):]
    row = row[:row.index("</tr>")]
    for code, n in {"ok": 1, "due": 1, "overdue": 1, "veto": 1, "dormant": 2}.items():
        assert f'count-{code}"><a href="/dashboard/?unit={watched.unit.pk}&state={code}">{n}</a>' in row
    assert ">33.3%<" in row
    audit.mark()
    response = client.get("/reports/compliance.xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    table = {r[0].value: [c.value for c in r] for r in ws.iter_rows(min_row=3)}
    assert table[watched.unit.name] == [watched.unit.name, 6, 1, 1, 1, 1, 2, pytest.approx(0.333, abs=1e-3), 0]
    assert len(ws._charts) == 1
    assert audit.new() == [EventType.REPORT_EXPORTED]


def test_a_person_sees_only_their_units_compliance(watched, clerk, signed_in):
    html = signed_in(clerk).get("/reports/compliance/").content.decode()
    assert f'data-unit="{clerk.unit_id}"' in html and f'data-unit="{watched.unit.pk}"' not in html


def test_without_pillow_a_plain_chart_is_still_a_png(monkeypatch):
    monkeypatch.setattr(images, "has_pillow", lambda: False)
    image = Image.open(io.BytesIO(images.bar_chart(["甲", "乙"], [3, 1], ["#dc3545", "#198754"])))
    assert (image.format, image.size) == ("PNG", (1200, 560))
    colours = {colour for _, colour in image.convert("RGB").getcolors(maxcolors=100000)}
    assert {(0xDC, 0x35, 0x45), (0x19, 0x87, 0x54)} <= colours
    assert images.labels_are_positions()
