"""文件检查: anyone signed in checks a text or file before sending it up, and downloads a de-identified copy."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from govmedia import policy
from govmedia.audit.actions import record
from govmedia.audit.events import EventType
from govmedia.checks import service
from govmedia.screening.extract import Unreadable, segments_of_text
from govmedia.screening.findings import CATEGORY_LABEL, SEVERITY_LABEL
from govmedia.screening.mask import HANDLERS, MaskError


class CheckForm(forms.Form):
    text = forms.CharField(label="粘贴文字", required=False, max_length=200_000,
                           widget=forms.Textarea(attrs={"rows": 8, "class": "form-control",
                                                        "placeholder": "粘贴要发布的标题和正文"}))
    file = forms.FileField(label="或上传文件", required=False,
                           help_text=".txt .md .html .docx .xlsx .pdf，不超过"
                                     f"{policy.SCREEN_MAX_FILE_BYTES // (1024 * 1024)}MB",
                           widget=forms.ClearableFileInput(attrs={"class": "form-control"}))

    def clean(self):
        data = super().clean()
        if not data.get("text", "").strip() and not data.get("file"):
            raise forms.ValidationError("请粘贴文字或选择文件")
        upload = data.get("file")
        if upload and upload.size > policy.SCREEN_MAX_FILE_BYTES:
            self.add_error("file", f"文件「{upload.name}」过大，上限{policy.SCREEN_MAX_FILE_BYTES // (1024 * 1024)}MB")
        return data


class MaskForm(forms.Form):
    file = forms.FileField(label="要脱敏的文件")


def highlighted(text: str, findings) -> str:
    """The pasted text with each finding marked, escaped piece by piece."""
    spans = sorted({(f.start, f.end, f.severity, f.message) for f in findings if f.end > f.start})
    out, pos = [], 0
    for start, end, severity, message in spans:
        if start < pos:
            continue
        out.append(escape(text[pos:start]))
        out.append(f'<mark class="gm-{severity}" title="{escape(message)}">{escape(text[start:end])}</mark>')
        pos = end
    out.append(escape(text[pos:]))
    return mark_safe("".join(out))  # noqa: S308 — every piece above is escaped


@login_required
def check_view(request):
    form = CheckForm(request.POST or None, request.FILES or None)
    context = {"form": form, "mask_form": MaskForm(), "categories": CATEGORY_LABEL, "severities": SEVERITY_LABEL}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file")
        if upload:
            result = service.scan_upload(upload)
            context.update(checked=True, source=upload.name, findings=result.findings, error=result.error)
        else:
            text = form.cleaned_data["text"]
            findings = service.screener().scan_segments(segments_of_text(text))
            context.update(checked=True, source="粘贴的文字", findings=findings, error=None,
                           pasted=_render_pasted(text, findings))
        findings = context["findings"]
        record(EventType.CONTENT_SCREENED, actor=request.user, object_repr=context["source"][:200],
               after={"findings": len(findings), "blocking": sum(f.severity == "block" for f in findings),
                      "error": context["error"]})
    return render(request, "checks/check.html", context)


def _render_pasted(text: str, findings) -> list:
    lines = text.splitlines()
    by_line: dict[str, list] = {}
    for f in findings:
        by_line.setdefault(f.where, []).append(f)
    rows = []
    for number, line in enumerate(lines, start=1):
        where = f"第{number}行"
        rows.append(highlighted(line, by_line.get(where, [])) if "\t" not in line else escape(line))
    return rows


@login_required
@require_POST
def mask_view(request):
    form = MaskForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择要脱敏的文件")
        return redirect("check")
    upload = form.cleaned_data["file"]
    suffix = Path(upload.name).suffix.lower()
    if suffix not in HANDLERS:
        messages.error(request, f"不支持对「{upload.name}」脱敏：支持 .txt .md .csv .html .docx .xlsx")
        return redirect("check")
    try:
        data, report = service.mask_upload(upload)
    except (MaskError, Unreadable) as exc:
        messages.error(request, f"未能脱敏「{upload.name}」：{exc}")
        return redirect("check")
    record(EventType.FILE_MASKED, actor=request.user, object_repr=upload.name[:200], after=dict(report.counts))
    name = f"{Path(upload.name).stem}-脱敏{suffix}"
    response = HttpResponse(data, content_type="application/octet-stream")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    response["X-Mask-Summary"] = quote(report.summary())
    return response
