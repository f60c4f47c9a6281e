"""The incident pages as a person uses them: record, follow the timeline, close; retractions; plans and drills."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from govmedia import policy
from govmedia.audit.events import EventType
from govmedia.incidents import actions
from govmedia.incidents.models import Drill, EmergencyPlan, Incident, Kind, Retraction


def _moment(delta: timedelta) -> str:
    return f"{timezone.localtime(timezone.now() - delta):%Y-%m-%dT%H:%M}"


def test_a_clerk_records_an_incident_and_follows_it_to_its_close(signed_in, clerk, chief, weibo, bureau_unit, audit):
    client = signed_in(clerk)
    audit.mark()
    response = client.post("/incidents/new/", {
        "unit": bureau_unit.pk, "title": "公众号误发内部通知", "kind": Kind.WRONG_POST, "severity": "major",
        "accounts": [weibo.pk], "occurred_at": _moment(timedelta(hours=2)), "reported_at": _moment(timedelta(hours=1)),
        "description": "内部通知被误发到微博。"})
    incident = Incident.objects.get(title="公众号误发内部通知")
    assert response["Location"] == f"/incidents/{incident.pk}/"
    assert client.post(f"/incidents/{incident.pk}/actions/", {
        "taken_at": _moment(timedelta(minutes=50)), "taken_by": "", "what": "删除微博并截图留存"}).status_code == 302
    client.post("/logout/")
    client = signed_in(chief)
    assert client.post(f"/incidents/{incident.pk}/close/", {"summary": "已删除，未扩散。"}).status_code == 302
    page = client.get(f"/incidents/{incident.pk}/")
    html = page.content.decode()
    assert "删除微博并截图留存" in html and "李明" in html and "已删除，未扩散。" in html and "处置完毕" in html
    assert 'action="/incidents/' not in html  # a closed incident offers no forms
    assert audit.new() == [EventType.INCIDENT_OPENED, EventType.INCIDENT_ACTION, EventType.SIGN_OUT,
                           EventType.SIGN_IN, EventType.INCIDENT_CLOSED]


def test_the_form_names_the_field_that_is_wrong(signed_in, clerk, bureau_unit):
    client = signed_in(clerk)
    response = client.post("/incidents/new/", {
        "unit": bureau_unit.pk, "title": "x", "kind": Kind.LEAK, "severity": "general",
        "occurred_at": _moment(timedelta(hours=1)), "reported_at": _moment(timedelta(hours=3)), "description": "y"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"reported_at": ["报告时间不能早于发生时间"]}
    assert "报告时间不能早于发生时间" in response.content.decode()


def test_the_unit_and_accounts_offered_are_the_persons_own(signed_in, clerk, bureau_unit):
    form = signed_in(clerk).get("/incidents/new/").context["form"]
    assert list(form.fields["unit"].queryset) == [bureau_unit]
    assert {a.unit_id for a in form.fields["accounts"].queryset} == {bureau_unit.pk}


def test_closing_without_a_summary_is_refused_on_the_page(signed_in, stolen, clerk):
    client = signed_in(clerk)
    client.post(f"/incidents/{stolen.pk}/actions/", {"taken_at": _moment(timedelta(minutes=30)), "what": "冻结"})
    response = client.post(f"/incidents/{stolen.pk}/close/", {"summary": ""})
    assert response.status_code == 200 and response.context["close_form"].errors == {"summary": ["这个字段是必填项。"]}
    stolen.refresh_from_db()
    assert stolen.is_open


def test_the_list_filters_sorts_and_pages(signed_in, office, stolen, institution):
    client = signed_in(office)
    page = client.get("/incidents/").context["page"]
    assert stolen in page.object_list and page.paginator.count == Incident.objects.count()
    assert list(client.get("/incidents/?state=open&kind=stolen").context["page"]) == [stolen]
    assert list(client.get(f"/incidents/?unit={institution.pk}&kind=stolen").context["page"]) == []
    assert list(client.get("/incidents/?q=被盗").context["page"]) == [stolen]
    oldest_first = list(client.get("/incidents/?sort=occurred").context["page"])
    assert oldest_first == sorted(oldest_first, key=lambda i: i.occurred_at)
    now = timezone.now()
    for n in range(51):
        actions.open_incident(unit=institution, kind=Kind.LEAK, severity="general", title=f"批量{n}",
                              occurred_at=now - timedelta(days=400), reported_at=now - timedelta(days=400),
                              description="测试分页", actor=office)
    second = client.get("/incidents/?page=2").context["page"]
    assert second.number == 2 and len(second.object_list) == Incident.objects.count() - 50


def test_a_clerk_sees_only_the_bureaus_incidents(signed_in, clerk, bureau_unit):
    units = {i.unit_id for i in signed_in(clerk).get("/incidents/").context["page"]}
    assert units == {bureau_unit.pk}


def test_the_export_is_a_real_workbook_of_the_filtered_rows(signed_in, office, stolen):
    response = signed_in(office).get("/incidents/export.xlsx?state=open&kind=stolen")
    sheet = openpyxl.load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("单位", "类型", "严重程度", "事件名称")
    assert [r[3] for r in rows[1:]] == ["微博账号被盗"]
    assert rows[1][1:3] == ("账号被盗", "严重") and rows[1][7] == "处置中"


def test_a_retraction_recorded_from_an_incident_returns_to_it(signed_in, clerk, stolen, weibo):
    client = signed_in(clerk)
    form = client.get(f"/retractions/new/?incident={stolen.pk}").context["form"]
    assert (form.initial["incident"], form.initial["account"]) == (stolen.pk, weibo.pk)
    response = client.post("/retractions/new/", {
        "account": weibo.pk, "title": "盗号者发布的广告", "url": "https://weibo.example/2",
        "retracted_at": _moment(timedelta(minutes=10)), "retracted_by": "张伟", "reason": "非本单位发布",
        "incident": stolen.pk})
    assert response["Location"] == f"/incidents/{stolen.pk}/"
    assert "盗号者发布的广告" in client.get(f"/incidents/{stolen.pk}/").content.decode()
    listed = client.get("/retractions/?q=广告").context["page"]
    assert [r.title for r in listed] == ["盗号者发布的广告"]
    sheet = openpyxl.load_workbook(BytesIO(client.get("/retractions/export.xlsx?q=广告").content)).active
    assert list(sheet.iter_rows(values_only=True))[1][2] == "盗号者发布的广告"


def test_a_retraction_needs_a_title_or_a_recorded_post(signed_in, clerk, weibo):
    response = signed_in(clerk).post("/retractions/new/", {
        "account": weibo.pk, "retracted_at": _moment(timedelta(minutes=10)), "retracted_by": "张伟", "reason": "错"})
    assert response.context["form"].errors == {"title": ["请填写被撤内容的标题，或选择已登记的发布内容"]}
    assert not Retraction.objects.filter(reason="错").exists()


def test_a_plan_is_uploaded_listed_and_downloaded(signed_in, office, bureau_unit):
    client = signed_in(office)
    response = client.post("/emergency-plans/new/", {
        "unit": bureau_unit.pk, "title": "2026版应急预案", "approved_on": f"{timezone.localdate():%Y-%m-%d}",
        "document": SimpleUploadedFile("2026版应急预案.pdf", b"%PDF-1.4 plan")})
    assert response["Location"] == "/emergency-plans/"
    plan = EmergencyPlan.objects.get(title="2026版应急预案")
    page = client.get("/emergency-plans/")
    [row] = [r for r in page.context["rows"] if r.unit == bureau_unit]
    assert row.plan == plan
    download = client.get(f"/emergency-plans/{plan.pk}/document/")
    assert b"".join(download.streaming_content) == b"%PDF-1.4 plan"
    assert "2026%E7%89%88" in download["Content-Disposition"]  # the name it was uploaded with


def test_a_plan_of_another_unit_is_not_found_for_a_clerk(signed_in, outsider, bureau_unit):
    plan = EmergencyPlan.objects.get(unit=bureau_unit)
    assert signed_in(outsider).get(f"/emergency-plans/{plan.pk}/document/").status_code == 404


def test_a_drill_is_recorded_and_the_due_flag_clears(signed_in, office, institution):
    client = signed_in(office)
    assert client.get("/emergency-plans/?state=due").context["rows"][0].unit.short_name == "监察大队"
    client.post("/drills/new/", {"unit": institution.pk, "held_on": f"{timezone.localdate():%Y-%m-%d}",
                                 "scenario": "客户端被攻击", "participants": "大队办公室", "findings": "补丁更新滞后"})
    drill = Drill.objects.get(scenario="客户端被攻击")
    assert drill.plan == EmergencyPlan.objects.get(unit=institution)
    due = {r.unit.short_name for r in client.get("/emergency-plans/?state=due").context["rows"]}
    assert due == {"人服中心"}
    assert list(client.get(f"/drills/?unit={institution.pk}&sort=-held").context["page"])[0] == drill


def test_a_drill_in_the_future_is_refused(signed_in, office, institution):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = signed_in(office).post("/drills/new/", {
        "unit": institution.pk, "held_on": f"{tomorrow:%Y-%m-%d}", "scenario": "s", "participants": "p",
        "findings": "f"})
    assert response.context["form"].errors == {"held_on": ["演练日期不能晚于现在"]}


def test_the_home_page_shows_open_incidents_and_due_drills(signed_in, office, stolen):
    html = signed_in(office).get("/").content.decode()
    assert 'id="home-incidents"' in html and "微博账号被盗" in html
    assert 'id="home-drills-due"' in html and "监察大队" in html


def test_the_home_panel_is_absent_when_there_is_nothing(signed_in, bureau, vendor):
    assert 'id="home-incidents"' not in signed_in(vendor).get("/").content.decode()


def test_the_clerk_sees_due_drills_only_for_the_units_they_record_for(signed_in, clerk):
    html = signed_in(clerk).get("/").content.decode()
    assert 'id="home-drills-due"' not in html  # the bureau's drill is recent; the institutions are not theirs


def test_the_navbar_links_the_incident_pages_for_staff_not_vendors(signed_in, clerk, vendor):
    client = signed_in(clerk)
    assert "应急预案与演练" in client.get("/").content.decode()
    client.post("/logout/")
    assert "应急预案与演练" not in signed_in(vendor).get("/").content.decode()


def test_policy_months_are_shown(signed_in, office):
    assert f"{policy.EMERGENCY_DRILL_MONTHS}个月内" in signed_in(office).get("/emergency-plans/").content.decode()
