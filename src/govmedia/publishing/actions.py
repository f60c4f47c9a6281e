"""Everything that changes a draft. Each checks ``allowed_actions``, writes, audits, and notifies on commit.

Refusals raise ``PublishingError`` with a Chinese message and a code the API maps to a status:
"forbidden" → 403, "conflict" → 409 (wrong state, or someone else decided first), "invalid" → 422.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from govmedia import policy
from govmedia.audit.actions import record
from govmedia.audit.events import EventType
from govmedia.org.models import Person, Role
from govmedia.publishing import content, notify, workflow
from govmedia.publishing.models import (
    Attachment,
    Decision,
    Draft,
    Kind,
    Publication,
    ReprintDirective,
    Stage,
    Status,
    Submission,
)
from govmedia.registry.models import Account
from govmedia.screening.extract import IMAGE_SUFFIXES
from govmedia.vendors import access as vendor_access

ATTACHMENT_SUFFIXES = {".docx", ".xlsx", ".pdf"} | IMAGE_SUFFIXES
FIELDS = ("title", "body", "kind", "source_name", "original_title", "source_url", "importance", "other_units",
          "coordination_note")


class PublishingError(Exception):
    def __init__(self, message: str, code: str = "invalid", field: str | None = None):
        super().__init__(message)
        self.message, self.code, self.field = message, code, field


def _require(draft: Draft, actor: Person, action: str, state=None) -> workflow.State:
    state = state or workflow.state_of(draft)
    refusal = workflow.allowed_actions(draft, actor, state)[action]
    if refusal:
        raise PublishingError(str(refusal), refusal.code)
    return state


def _can_draft_for(actor: Person, accounts: list[Account]) -> None:
    if not accounts:
        raise PublishingError("请选择至少一个发布账号", field="accounts")
    units = {a.unit_id for a in accounts}
    if len(units) > 1:
        raise PublishingError("一篇稿件只能发往同一主办单位的账号", field="accounts")
    if actor.has_role(Role.AUDITOR) or actor.unit_id not in units:
        raise PublishingError("您只能为本单位的账号撰写稿件", "forbidden", "accounts")
    if refusal := vendor_access.draft_refusal(actor, accounts):  # 第二条: vendor staff, assigned accounts only
        raise PublishingError(refusal, "forbidden", "accounts")
    for account in accounts:
        if account.cancelled_on:
            raise PublishingError(f"账号{account}已注销，不能发布", field="accounts")


def _snapshot(draft: Draft) -> dict:
    return {field: getattr(draft, field) for field in ("title", "kind", "importance")} | {"hash": draft.content_hash[:12]}


@transaction.atomic
def create_draft(*, accounts: list[Account], title: str, actor: Person, body: str = "", directive=None,
                 **fields) -> Draft:
    _can_draft_for(actor, accounts)
    draft = Draft(unit_id=accounts[0].unit_id, section=actor.section, author=actor, title=title.strip(),
                  body=content.sanitize(body), directive=directive,
                  **{k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items() if k in FIELDS})
    _validate_fields(draft)
    draft.content_hash = ""
    draft.save()
    draft.accounts.set(accounts)
    draft.content_hash = content.content_hash(draft)
    draft.save(update_fields=["content_hash"])
    record(EventType.DRAFT_CREATED, actor=actor, obj=draft, after=_snapshot(draft))
    return draft


def _validate_fields(draft: Draft) -> None:
    if not draft.title:
        raise PublishingError("请填写标题", field="title")
    if draft.kind == Kind.REPRINT and not (draft.source_name and draft.original_title):
        raise PublishingError("转载须注明来源和原标题（第七条）", field="source_name")


UNCHANGED = object()


@transaction.atomic
def update_draft(draft: Draft, *, actor: Person, accounts: list[Account] | None = None, directive=UNCHANGED,
                 **fields) -> Draft:
    """Edit; any change to an approved or in-review version sends the draft back to 初审 (a new submission).

    ``directive`` (a ReprintDirective or None) links or unlinks the 转载通知 the draft answers; it is not part
    of what reviewers approve, so changing it alone keeps the review where it is.
    """
    draft = Draft.objects.select_for_update().get(pk=draft.pk)
    state = _require(draft, actor, workflow.EDIT)
    before = _snapshot(draft)
    for key, value in fields.items():
        if key not in FIELDS or value is None:
            continue
        setattr(draft, key, content.sanitize(value) if key == "body" else (value.strip() if isinstance(value, str) else value))
    _validate_fields(draft)
    if accounts is not None:
        _can_draft_for(actor if actor.pk == draft.author_id else draft.author, accounts)
        if {a.unit_id for a in accounts} != {draft.unit_id}:
            raise PublishingError("一篇稿件只能发往同一主办单位的账号", field="accounts")
        draft.accounts.set(accounts)
    if directive is not UNCHANGED and directive != draft.directive:
        _relink_directive(draft, directive, actor)
    new_hash = content.content_hash(draft)
    if new_hash == draft.content_hash:
        return draft
    draft.content_hash = new_hash
    draft.save()
    _note_editor(draft, actor)
    restarted = state.status in (Status.IN_REVIEW, Status.APPROVED)
    record(EventType.DRAFT_EDITED, actor=actor, obj=draft, before=before,
           after=_snapshot(draft) | {"restarted": restarted})
    if restarted:
        _submit(draft, actor)
    return draft


def _note_editor(draft: Draft, actor: Person) -> None:
    """Whoever changes the content besides the author becomes its co-writer, and so never its reviewer."""
    if actor.pk != draft.author_id:
        draft.editors.add(actor)


def _relink_directive(draft: Draft, directive, actor: Person) -> None:
    if directive is not None and not directive.accounts.filter(pk__in=draft.accounts.all()).exists():
        raise PublishingError("该转载通知没有要求本稿件的发布账号转载", field="directive")
    previous = draft.directive_id
    draft.directive = directive
    draft.save(update_fields=["directive"])
    record(EventType.DRAFT_EDITED, actor=actor, obj=draft, before={"directive": previous},
           after={"directive": directive.pk if directive else None})


@transaction.atomic
def add_attachment(draft: Draft, upload: UploadedFile, *, actor: Person) -> Attachment:
    from pathlib import Path

    draft = Draft.objects.select_for_update().get(pk=draft.pk)
    state = _require(draft, actor, workflow.EDIT)
    suffix = Path(upload.name).suffix.lower()
    if suffix not in ATTACHMENT_SUFFIXES:
        raise PublishingError(f"附件「{upload.name}」类型不支持（支持 .docx .xlsx .pdf 和图片）", field="file")
    if upload.size > policy.SCREEN_MAX_FILE_BYTES:
        raise PublishingError(f"附件「{upload.name}」过大（上限{policy.SCREEN_MAX_FILE_BYTES // (1024 * 1024)}MB）",
                              field="file")
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    attachment = Attachment(draft=draft, name=upload.name[:200], size=upload.size, sha256=digest.hexdigest())
    attachment.file.save(f"{digest.hexdigest()[:16]}{suffix}", upload, save=False)
    attachment.save()
    draft.content_hash = content.content_hash(draft)
    draft.save(update_fields=["content_hash", "updated_at"])
    _note_editor(draft, actor)
    record(EventType.ATTACHMENT_ADDED, actor=actor, obj=draft, after={"name": attachment.name, "size": upload.size})
    if state.status in (Status.IN_REVIEW, Status.APPROVED):
        _submit(draft, actor)
    return attachment


@transaction.atomic
def submit_draft(draft: Draft, *, actor: Person) -> Submission:
    draft = Draft.objects.select_for_update().get(pk=draft.pk)
    _require(draft, actor, workflow.SUBMIT)
    return _submit(draft, actor)


def _submit(draft: Draft, actor: Person) -> Submission:
    # Every submission, including the automatic one after an edit in review, passes 第十一条's check.
    if draft.other_units.strip() and not draft.coordination_note.strip():
        raise PublishingError("稿件涉及其他单位工作内容，须先沟通协调并填写协调情况（第十一条）", field="coordination_note")
    submission = Submission.objects.create(draft=draft, content_hash=draft.content_hash, title=draft.title,
                                           body=draft.body, findings=content.screen(draft), submitted_by=actor)
    blocking = len(submission.blocking)
    record(EventType.DRAFT_SUBMITTED, actor=actor, obj=draft,
           after={"submission": submission.pk, "findings": len(submission.findings), "blocking": blocking})
    notify.stage_waiting(draft, Stage.FIRST)
    return submission


@transaction.atomic
def decide(draft: Draft, *, verdict: str, actor: Person, comment: str = "", override_reason: str = "",
           stage: str | None = None, content_hash: str | None = None) -> Decision:
    """Approve or return the level waiting for a decision. Exactly one decision per level counts.

    ``stage`` and ``content_hash`` are the level and version the reviewer saw (the page always sends both): if
    someone else decided that level meanwhile, or the draft was edited, the decision must not land on the next
    level (a 复审 approval by a 签发人 would become a 签发) or on a version the reviewer never read.
    """
    draft = Draft.objects.select_for_update().get(pk=draft.pk)
    action = workflow.APPROVE if verdict == Decision.Verdict.APPROVE else workflow.RETURN
    if verdict not in Decision.Verdict.values:
        raise PublishingError("审核意见应为 approve（同意）或 return（退回）", field="decision")
    state = workflow.state_of(draft)
    if stage is not None and stage not in Stage.values:
        raise PublishingError(f"审核环节“{stage}”不存在", field="stage")
    if content_hash is not None and content_hash != draft.content_hash:
        raise PublishingError("稿件在您查看后已被修改，请刷新后审核最新版本", "conflict", "content_hash")
    if stage is not None and state.stage != stage:
        raise PublishingError(f"{Stage(stage).label}已由他人处理，请刷新后查看", "conflict", "stage")
    _require(draft, actor, action, state)
    comment, override_reason = comment.strip(), override_reason.strip()
    if verdict == Decision.Verdict.RETURN and not comment:
        raise PublishingError("退回修改须填写意见", field="comment")
    blocking = state.submission.blocking
    if verdict == Decision.Verdict.APPROVE and state.stage == Stage.SIGN and blocking and not override_reason:
        first = blocking[0]
        raise PublishingError(
            f"稿件有{len(blocking)}处阻断问题（如{first['where']}：{first['message']}），签发须填写放行理由",
            field="override_reason")
    try:
        with transaction.atomic():
            decision = Decision.objects.create(submission=state.submission, stage=state.stage, verdict=verdict,
                                               comment=comment, override_reason=override_reason, actor=actor)
    except IntegrityError as exc:
        raise PublishingError(f"{state.stage.label}已由他人处理，请刷新后查看", "conflict") from exc
    event = EventType.REVIEW_APPROVED if verdict == Decision.Verdict.APPROVE else EventType.REVIEW_RETURNED
    record(event, actor=actor, obj=draft, after={"stage": state.stage.label, "comment": comment,
                                                  "override_reason": override_reason, "submission": state.submission.pk})
    after = workflow.state_of(draft)
    if after.status == Status.IN_REVIEW:
        notify.stage_waiting(draft, after.stage)
    else:
        notify.author(draft, after.status)
    return decision


@transaction.atomic
def record_publication(draft: Draft, *, account: Account, actor: Person, url: str = "",
                       published_at: datetime | None = None, failure_reason: str = "") -> Publication:
    draft = Draft.objects.select_for_update().get(pk=draft.pk)
    state = workflow.state_of(draft)
    if state.status not in (Status.APPROVED, Status.PUBLISHED):
        raise PublishingError("只有审核通过的稿件才能登记发布", "conflict")
    if not workflow.can_edit(draft, actor, Status.APPROVED):
        raise PublishingError("您不能登记该稿件的发布", "forbidden")
    if not draft.accounts.filter(pk=account.pk).exists():
        raise PublishingError(f"账号{account}不在该稿件的发布账号中", field="account")
    if not failure_reason.strip() and not url.strip():
        raise PublishingError("请填写发布链接，或填写发布失败的原因", field="url")
    published = None if failure_reason.strip() else (published_at or timezone.now())
    if published is not None:
        _check_publication_time(published, state)
    publication = Publication.objects.create(draft=draft, submission=state.submission, account=account,
                                             published_at=published, url=url.strip(),
                                             failure_reason=failure_reason.strip(), recorded_by=actor)
    record(EventType.PUBLICATION_RECORDED, actor=actor, obj=draft,
           after={"account": str(account), "url": url.strip(), "published_at": published,
                  "failure_reason": failure_reason.strip()})
    from govmedia.monitoring.actions import post_from_publication  # monitoring builds on publishing

    post_from_publication(publication, actor=actor)  # what was published counts for updates and patrols
    return publication


# A published time may run this far ahead of the server's clock (a platform's clock, a typed minute).
PUBLISHED_CLOCK_SKEW = timedelta(minutes=5)


def _check_publication_time(published: datetime, state: workflow.State) -> None:
    """先审后发: nothing is published before its last approval, nor recorded as published in the future."""
    approved_at = max(d.decided_at for d in state.decisions)
    if published < approved_at:
        local = timezone.localtime(approved_at)
        raise PublishingError(f"发布时间早于审核通过时间（{local:%Y-%m-%d %H:%M}），不符合先审后发", field="published_at")
    if published > timezone.now() + PUBLISHED_CLOCK_SKEW:
        raise PublishingError("发布时间不能晚于当前时间", field="published_at")


@transaction.atomic
def create_directive(*, title: str, source: str, url: str = "", received_at: datetime, accounts: list[Account],
                     actor: Person) -> ReprintDirective:
    if not actor.has_role(Role.OFFICE):
        raise PublishingError("只有局办公室可以下达转载通知", "forbidden")
    if not title.strip() or not source.strip():
        raise PublishingError("请填写标题和来源", field="title")
    if not accounts:
        raise PublishingError("请选择须转载的账号", field="accounts")
    directive = ReprintDirective.objects.create(
        title=title.strip(), source=source.strip(), url=url.strip(), received_at=received_at,
        due_at=received_at + timedelta(hours=policy.REPRINT_HOURS), created_by=actor)
    directive.accounts.set(accounts)
    record(EventType.DIRECTIVE_CREATED, actor=actor, obj=directive,
           after={"title": directive.title, "due_at": directive.due_at, "accounts": len(accounts)})
    notify.directive_issued(directive)
    return directive
