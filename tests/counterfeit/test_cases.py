"""The office works a case in the regulation's order, beside the registry's closest genuine accounts, up to the
letter to the platform (.docx read back), the report upward and the outcome."""

from __future__ import annotations

import io
from datetime import timedelta

import docx
import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from govmedia.audit.events import EventType
from govmedia.counterfeit import actions, letter, similarity
from govmedia.counterfeit.models import Agency, CaseStatus, CounterfeitCase
from govmedia.registry.models import Account

BUREAU = "苏州市吴江区人力资源和社会保障局"


@pytest.fixture
def wechat(bureau) -> Account:
    return Account.objects.get(name="吴江人社", platform__name="微信公众号")


def _status(case: CounterfeitCase) -> str:
    """The status derived in Python and in SQL, which must agree."""
    fresh = CounterfeitCase.objects.with_status().get(pk=case.pk)
    assert fresh.status() == fresh.status_code
    return fresh.status_code


def _table(html: str, table_id: str) -> str:
    start = html.index(f'id="{table_id}"')
    return html[start:html.index("</table>", start)]


def _conflict(call) -> str:
    with pytest.raises(actions.CounterfeitError) as caught:
        call()
    assert caught.value.code == "conflict"
    return caught.value.message


def _coordinate(case, office, agency=Agency.CAC):
    return actions.add_coordination(case, agency=agency, on=timezone.localdate(), contact="区委网信办 张科长 63000000",
                                    content="通报假冒账号情况，请协调平台处置", actor=office)


def _through_letter(case, office, wechat):
    actions.verify(case, is_counterfeit=True, imitates=[wechat], actor=office)
    _coordinate(case, office)
    _coordinate(case, office, Agency.POLICE)
    return actions.issue_letter(case, contact="王芳 0512-63000001", unit=BUREAU, actor=office)


def test_names_are_compared_after_folding_width_case_spaces_and_punctuation():
    assert similarity.normalise("吴江 人社（ＷＪ）") == similarity.normalise("吴江人社wj") == "吴江人社wj"
    assert similarity.score("吴江人社", "吴江人社") == 100
    assert similarity.score("吴江人社", "完全无关") == 0
    # a fake keeps the genuine name whole: it ranks above an account sharing more scattered characters
    assert similarity.score("吴江人社服务号", "吴江人社") > similarity.score("吴江人社服务号", "吴江人才服务")


def test_the_closest_genuine_accounts_come_same_platform_first_with_their_scores(demo_case, wechat):
    matches = similarity.closest(demo_case.platform, demo_case.name)

    assert len(matches) == 3
    assert matches[0].account == wechat and matches[0].score == 86  # 吴江人社 vs 吴江人社服务号
    assert all(m.same_platform for m in matches)  # the bureau and its institutions each have a WeChat account
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)


def test_an_account_on_another_platform_comes_after_those_on_the_reported_one(bureau):
    matches = similarity.closest("抖音", "吴江人社官方")

    assert (matches[0].account.platform.name, matches[0].account.name) == ("抖音", "吴江人社")
    assert not any(m.same_platform for m in matches[1:])


def test_the_steps_go_in_order_each_refused_early_with_the_step_missing(demo_case, office, wechat, audit):
    case = demo_case
    day = timezone.localdate()
    audit.mark()

    assert _conflict(lambda: _coordinate(case, office)) == "须先核实该账号是否假冒"
    assert _conflict(lambda: actions.issue_letter(case, contact="王芳", unit=BUREAU, actor=office)) == "须先核实该账号是否假冒"
    assert _conflict(lambda: actions.report_upward(case, on=day, to="市人社局", actor=office)) == "须先核实该账号是否假冒"
    assert _conflict(lambda: actions.close(case, outcome="已关闭", actor=office)) == "须先核实该账号是否假冒"
    assert _status(case) == CaseStatus.NEW

    actions.verify(case, is_counterfeit=True, note="头像名称仿冒，非我局开设", imitates=[wechat], actor=office)
    assert _status(case) == CaseStatus.VERIFIED
    assert _conflict(lambda: actions.issue_letter(case, contact="王芳", unit=BUREAU, actor=office)) == \
        "须先记录与网信、公安、电信等部门的沟通情况，再向平台致函"

    _coordinate(case, office)
    assert _status(case) == CaseStatus.COORDINATED
    assert _conflict(lambda: actions.report_upward(case, on=day, to="市人社局", actor=office)) == "须先向平台致函，再向上级报告"

    actions.issue_letter(case, contact="王芳 0512-63000001", unit=BUREAU, actor=office)
    assert _status(case) == CaseStatus.LETTER
    assert _conflict(lambda: actions.close(case, outcome="已关闭", actor=office)) == "须先向上级报告，再结案"

    actions.report_upward(case, on=day, to="苏州市人力资源和社会保障局", note="报送处置情况", actor=office)
    assert _status(case) == CaseStatus.REPORTED

    actions.close(case, outcome="平台已于次日关闭该账号", actor=office)
    assert _status(case) == CaseStatus.CLOSED
    assert _conflict(lambda: _coordinate(case, office)) == f"案件{case.reference}已结案"
    assert audit.new() == [EventType.COUNTERFEIT_STEP, EventType.COUNTERFEIT_STEP, EventType.COUNTERFEIT_LETTER,
                           EventType.COUNTERFEIT_STEP, EventType.COUNTERFEIT_CLOSED]


def test_a_report_found_not_counterfeit_is_closed_at_once_and_needs_a_reason(demo_case, office, audit):
    audit.mark()
    with pytest.raises(actions.CounterfeitError) as caught:
        actions.verify(demo_case, is_counterfeit=False, actor=office)
    assert (caught.value.field, caught.value.message) == ("note", "认定不属于假冒的，须填写核实情况（理由）")

    actions.verify(demo_case, is_counterfeit=False, note="系人社服务中心经批准开设的服务号", actor=office)

    assert _status(demo_case) == CaseStatus.DISMISSED
    demo_case.refresh_from_db()
    assert demo_case.outcome == "经核实不属于假冒账号：系人社服务中心经批准开设的服务号"
    assert audit.new() == [EventType.COUNTERFEIT_STEP, EventType.COUNTERFEIT_CLOSED]


def test_verifying_twice_is_refused(demo_case, office):
    actions.verify(demo_case, is_counterfeit=True, actor=office)

    assert _conflict(lambda: actions.verify(demo_case, is_counterfeit=True, actor=office)).endswith("核实")


@pytest.mark.parametrize("persona", ["auditor", "clerk", "director", "vendor"])
def test_only_the_office_works_cases(bureau, demo_case, persona):
    with pytest.raises(PermissionDenied):
        actions.verify(demo_case, is_counterfeit=True, actor=bureau[persona])
    assert _status(demo_case) == CaseStatus.NEW


def test_a_coordination_needs_its_department_date_contact_and_content(demo_case, office):
    actions.verify(demo_case, is_counterfeit=True, actor=office)
    day = timezone.localdate()
    base = {"agency": Agency.TELECOM, "on": day, "contact": "区电信局 李工", "content": "请求协查注册信息"}

    for changes, field, message in (
        ({"agency": Agency.OTHER}, "agency_name", "选择“其他部门”的，请填写部门名称"),
        ({"on": day + timedelta(days=1)}, "on", "日期不能晚于今天"),
        ({"contact": " "}, "contact", "请填写对接人及联系方式"),
        ({"content": ""}, "content", "请填写沟通内容"),
    ):
        with pytest.raises(actions.CounterfeitError) as caught:
            actions.add_coordination(demo_case, actor=office, **(base | changes))
        assert (caught.value.field, caught.value.message) == (field, message)
    assert not demo_case.coordinations.exists()


def test_the_letter_is_a_formal_han_to_the_platform_naming_the_fake_and_our_genuine_account(
        demo_case, office, wechat):
    case = _through_letter(demo_case, office, wechat)

    document = docx.Document(io.BytesIO(letter.build_letter(case)))
    paragraphs = [p.text for p in document.paragraphs]
    text = "\n".join(paragraphs)

    assert paragraphs[0] == f"案件编号：{case.reference}"
    assert paragraphs[1] == "关于请求处置假冒政务新媒体账号“吴江人社服务号”的函"
    assert paragraphs[2] == "微信公众号平台运营单位："
    assert "名为“吴江人社服务号”的账号（链接：https://example.com/fake-wjrs）冒用我单位名义" in text
    assert "微信公众号“吴江人社”（账号ID：gh_wjrs2015，链接：https://example.gov.cn/gh_wjrs2015）" in text
    assert "依法依规采取关闭、注销等处置措施" in text
    assert "我单位已将有关情况向网信部门、公安机关反映。" in text
    assert "联系人及电话：王芳 0512-63000001" in text
    issued = timezone.localtime(case.letter_at).date()
    assert paragraphs[-2:] == [BUREAU, f"{issued.year}年{issued.month}月{issued.day}日"]
    title_run = document.paragraphs[1].runs[0]
    assert title_run.bold and title_run.font.size.pt == 22
    assert document.sections[0].page_width.cm == pytest.approx(21, abs=0.01)


def test_the_letter_downloads_from_the_case_page_only_once_issued(signed_in, office, demo_case, wechat):
    client = signed_in(office)
    before = client.get(f"/counterfeit/{demo_case.pk}/letter.docx")
    _through_letter(demo_case, office, wechat)

    response = client.get(f"/counterfeit/{demo_case.pk}/letter.docx")

    assert before.status_code == 404
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert f'filename="letter-{demo_case.reference}.docx"' in response["Content-Disposition"]
    assert "吴江人社服务号" in "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)


def test_the_page_refuses_the_letter_before_verification_and_says_why(signed_in, office, demo_case, audit):
    client = signed_in(office)
    audit.mark()

    response = client.post(f"/counterfeit/{demo_case.pk}/letter/", {"unit": BUREAU, "contact": "王芳"}, follow=True)

    assert "须先核实该账号是否假冒" in response.content.decode()
    demo_case.refresh_from_db()
    assert demo_case.letter_at is None and audit.new() == []


def test_the_case_page_shows_the_report_beside_the_closest_genuine_accounts_and_the_next_step(
        signed_in, office, auditor, demo_case):
    page = signed_in(office).get(f"/counterfeit/{demo_case.pk}/").content.decode()

    assert "吴江人社服务号" in page and "86%" in _table(page, "closest")
    assert 'id="verify"' in page and 'id="coordinate"' not in page


def test_the_auditor_reads_a_case_but_sees_no_form(client, signed_in, auditor, demo_case):
    page = signed_in(auditor).get(f"/counterfeit/{demo_case.pk}/").content.decode()

    assert "吴江人社服务号" in page and 'id="closest"' in page
    assert 'id="verify"' not in page and "<form method=\"post\" action=\"/counterfeit/" not in page


def test_the_office_works_a_case_through_the_pages(signed_in, office, demo_case, wechat):
    client = signed_in(office)
    day = timezone.localdate().isoformat()
    base = f"/counterfeit/{demo_case.pk}"

    client.post(f"{base}/verify/", {"is_counterfeit": "yes", "imitates": [wechat.pk], "note": "经核实为假冒"})
    client.post(f"{base}/coordinations/", {"agency": "police", "on": day, "contact": "派出所 赵警官",
                                          "content": "报案，请求协查"})
    client.post(f"{base}/letter/", {"unit": BUREAU, "contact": "王芳 0512-63000001"})
    client.post(f"{base}/report-up/", {"on": day, "to": "苏州市人社局办公室", "note": "报送"})
    bad_close = client.post(f"{base}/close/", {"outcome": ""})
    client.post(f"{base}/close/", {"outcome": "平台已关闭该账号"})

    demo_case.refresh_from_db()
    assert list(demo_case.imitates.all()) == [wechat]
    assert demo_case.coordinations.get().agency_label() == "公安机关"
    assert demo_case.status() == CaseStatus.CLOSED and demo_case.outcome == "平台已关闭该账号"
    assert bad_close.status_code == 200 and "这个字段是必填项" in bad_close.content.decode()


def test_the_office_home_page_shows_reports_waiting_until_verified(signed_in, client, office, auditor, clerk,
                                                                    demo_case):
    waiting = signed_in(office).get("/").content.decode()
    actions.verify(demo_case, is_counterfeit=True, actor=office)
    after = client.get("/").content.decode()
    client.logout()
    for_clerk = signed_in(clerk).get("/").content.decode()

    assert 'id="counterfeit-waiting"' in waiting and "吴江人社服务号" in waiting and "（1）" in waiting
    assert 'id="counterfeit-waiting"' not in after
    assert 'id="counterfeit-waiting"' not in for_clerk


def test_the_list_filters_by_status_and_exports_what_it_shows(signed_in, office, demo_case, citizen):
    citizen(name="另一个假冒号")
    actions.verify(demo_case, is_counterfeit=True, actor=office)
    client = signed_in(office)

    new = _table(client.get("/counterfeit/?status=new").content.decode(), "cases")
    verified = _table(client.get("/counterfeit/?status=verified").content.decode(), "cases")
    rows = list(openpyxl.load_workbook(io.BytesIO(client.get("/counterfeit/export.xlsx?status=verified").content))
                .active.iter_rows(values_only=True))

    assert "另一个假冒号" in new and "吴江人社服务号" not in new
    assert "吴江人社服务号" in verified and "另一个假冒号" not in verified
    assert [r[3] for r in rows[1:]] == ["吴江人社服务号"] and rows[1][6] == "已核实"


def test_the_api_lists_cases_for_the_office_and_auditor_with_a_status_filter(api, office, auditor, clerk, vendor,
                                                                              demo_case, wechat, citizen):
    citizen(name="另一个假冒号")
    actions.verify(demo_case, is_counterfeit=True, imitates=[wechat], actor=office)

    everything = api(office).get("/counterfeit-cases").json()
    verified = api(auditor).get("/counterfeit-cases", status="verified").json()
    open_ = api(office).get("/counterfeit-cases", status="open").json()
    page = api(office).get("/counterfeit-cases", limit=1).json()
    detail = api(auditor).get(f"/counterfeit-cases/{demo_case.pk}").json()

    assert everything["count"] == 2 and open_["count"] == 2 and len(page["items"]) == 1
    assert [(c["name"], c["status"], c["status_label"], c["imitates"]) for c in verified["items"]] == [
        ("吴江人社服务号", "verified", "已核实", [wechat.pk])]
    assert detail["closest"][0] == {"account": wechat.pk, "account_name": "吴江人社", "platform_name": "微信公众号",
                                    "unit_name": BUREAU, "score": 86, "same_platform": True}
    assert api(office).get("/counterfeit-cases", status="nonsense").status_code == 422
    for person in (clerk, vendor):
        assert api(person).get("/counterfeit-cases").status_code == 403
        assert api(person).get(f"/counterfeit-cases/{demo_case.pk}").status_code == 403
    assert api().get("/counterfeit-cases").status_code == 401
