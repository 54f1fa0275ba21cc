"""Actions of the content window: the keynote and every move of a draft.

One function per move; each checks the role, records a :class:`DraftEvent`, writes the audit
entry and does the work. Views, tasks and the demo call these, never the models directly.

Who may move a draft (access/permissions.py): the agency and operators draft, revise and
submit (DRAFTS_EDIT); operators review and reject (DRAFTS_REVIEW); the owner or an operator
approves, schedules and publishes (CONTENT_PUBLISH). Publishing goes through the outbox with
the draft's own idempotency key, so a draft becomes at most one post on Weibo.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from inhouse.access.actions import audit, role_of
from inhouse.access.permissions import Perm, role_has
from inhouse.content.keynote import Finding, PriceFact, check_draft, facts_from_entries
from inhouse.content.models import Draft, DraftEvent, Keynote, State
from inhouse.core.models import Account, Item, ItemKind, Workspace
from inhouse.knowledge.models import Entry
from inhouse.outbox.actions import enqueue_write

RECENT_POSTS = dt.timedelta(days=30)
RECENT_POSTS_LIMIT = 200


class MoveRefused(Exception):
    """The move is not possible in the draft's state or with its findings; says why."""


def _require(user: AbstractBaseUser | None, workspace: Workspace, perm: Perm) -> None:
    if user is None or not role_has(role_of(user, workspace), perm):
        raise PermissionDenied(f"{getattr(user, 'username', user)} may not {perm.value} in {workspace}")


# --- the keynote -----------------------------------------------------------------------------

def keynote_of(workspace: Workspace) -> Keynote:
    """The workspace's keynote; an empty one (unsaved) before the owner writes it."""
    return Keynote.objects.filter(workspace=workspace).first() or Keynote(workspace=workspace)


def save_keynote(workspace: Workspace, user: AbstractBaseUser, *, voice: str = "",
                 banned_words: Sequence[str] = (), sensitive_words: Sequence[str] = (),
                 required_tags: dict[str, list[str]] | None = None,
                 products: dict[str, list[str]] | None = None) -> Keynote:
    """Replace the keynote (KEYNOTE_MANAGE: the owner), audited with before and after."""
    _require(user, workspace, Perm.KEYNOTE_MANAGE)
    keynote = keynote_of(workspace)
    before = keynote.snapshot() if keynote.pk else None
    keynote.voice = voice.strip()
    keynote.banned_words = _words(banned_words)
    keynote.sensitive_words = _words(sensitive_words)
    keynote.required_tags = {k: _words(v) for k, v in (required_tags or {}).items() if _words(v)}
    keynote.products = {k.strip(): _words(v) for k, v in (products or {}).items() if k.strip()}
    keynote.updated_by = user
    keynote.save()
    audit(workspace, user, "content.keynote.save", f"keynote:{keynote.pk}", before=before,
          after=keynote.snapshot())
    return keynote


def _words(words: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(w.strip() for w in words if w and w.strip()))


def price_facts(workspace: Workspace, keynote: Keynote) -> list[PriceFact]:
    """Price facts from the workspace's current knowledge-base entries."""
    today = timezone.localdate()
    entries = [e for e in Entry.objects.filter(workspace=workspace, active=True) if e.is_current(today)]
    return facts_from_entries(((f"kb_entry:{e.pk}", e.answer, e.tags) for e in entries),
                              keynote.products)


def recent_posts(workspace: Workspace, exclude_write_id: int | None = None) -> list[str]:
    """Texts of the official accounts' posts of the last 30 days, newest first."""
    uids = list(Account.objects.filter(workspace=workspace).values_list("platform_uid", flat=True))
    posts = (Item.objects.filter(workspace=workspace, kind=ItemKind.POST, author__uid__in=uids,
                                 created_at__gte=timezone.now() - RECENT_POSTS)
             .order_by("-created_at"))
    if exclude_write_id:
        # a published draft is not a duplicate of the post it became
        posts = posts.exclude(outboundwrite__id=exclude_write_id)
    return list(posts.values_list("text", flat=True)[:RECENT_POSTS_LIMIT])


def findings_for(workspace: Workspace, text: str, campaign: str = "",
                 exclude_write_id: int | None = None) -> list[Finding]:
    keynote = keynote_of(workspace)
    return check_draft(text, keynote, recent_posts(workspace, exclude_write_id),
                       price_facts(workspace, keynote), campaign=campaign)


def draft_findings(draft: Draft) -> list[Finding]:
    return findings_for(draft.workspace, draft.full_text, draft.campaign, draft.write_id)


# --- moves -----------------------------------------------------------------------------------

def _move(draft: Draft, user: AbstractBaseUser | None, action: str, to_state: str,
          note: str = "", fields: Sequence[str] = ()) -> Draft:
    from_state = draft.state
    draft.state = to_state
    draft.save(update_fields=["state", "updated_at", *fields])
    DraftEvent.objects.create(draft=draft, actor=user, action=action, from_state=from_state,
                              to_state=to_state, note=note)
    audit(draft.workspace, user, f"content.draft.{action}", f"draft:{draft.pk}",
          before={"state": from_state}, after={"state": to_state, "note": note,
                                               "text": draft.full_text})
    return draft


def _expect(draft: Draft, *states: str) -> None:
    if draft.state not in states:
        raise MoveRefused(f"draft {draft.pk} is {draft.get_state_display()}; this move needs it "
                          f"to be {' or '.join(str(State(s).label) for s in states)}")


def _clean(items: Sequence[str]) -> list[str]:
    return [i.strip() for i in items if i and i.strip()]


@transaction.atomic
def create_draft(workspace: Workspace, user: AbstractBaseUser, text: str, *,
                 hashtags: Sequence[str] = (), mentions: Sequence[str] = (),
                 image_refs: Sequence[str] = (), campaign: str = "") -> Draft:
    _require(user, workspace, Perm.DRAFTS_EDIT)
    if not text.strip():
        raise MoveRefused("the draft is empty; write the post's text")
    draft = Draft.objects.create(workspace=workspace, text=text.strip(), author=user,
                                 hashtags=_clean(hashtags), mentions=_clean(mentions),
                                 image_refs=_clean(image_refs), campaign=campaign.strip())
    DraftEvent.objects.create(draft=draft, actor=user, action="create", to_state=State.DRAFT)
    audit(workspace, user, "content.draft.create", f"draft:{draft.pk}",
          after={"state": draft.state, "text": draft.full_text})
    return draft


@transaction.atomic
def revise_draft(draft: Draft, user: AbstractBaseUser, text: str, *,
                 hashtags: Sequence[str] = (), mentions: Sequence[str] = (),
                 image_refs: Sequence[str] = (), campaign: str = "") -> Draft:
    """New text for a draft not yet approved; a rejected or in-review draft goes back to draft."""
    _require(user, draft.workspace, Perm.DRAFTS_EDIT)
    _expect(draft, State.DRAFT, State.IN_REVIEW, State.REJECTED)
    if not text.strip():
        raise MoveRefused("the draft is empty; write the post's text")
    before = draft.full_text
    draft.text, draft.campaign = text.strip(), campaign.strip()
    draft.hashtags, draft.mentions, draft.image_refs = _clean(hashtags), _clean(mentions), _clean(image_refs)
    draft.version += 1
    draft.save(update_fields=["text", "campaign", "hashtags", "mentions", "image_refs", "version"])
    return _move(draft, user, "revise", State.DRAFT, note=f"v{draft.version}; was: {before}")


@transaction.atomic
def submit_for_review(draft: Draft, user: AbstractBaseUser) -> Draft:
    _require(user, draft.workspace, Perm.DRAFTS_EDIT)
    _expect(draft, State.DRAFT)
    return _move(draft, user, "submit", State.IN_REVIEW)


@transaction.atomic
def reject_draft(draft: Draft, user: AbstractBaseUser, reason: str) -> Draft:
    _require(user, draft.workspace, Perm.DRAFTS_REVIEW)
    _expect(draft, State.IN_REVIEW, State.APPROVED, State.SCHEDULED)
    if not reason.strip():
        raise MoveRefused("say why the draft is rejected, so its author can revise it")
    draft.reject_reason = reason.strip()
    draft.scheduled_for = None
    return _move(draft, user, "reject", State.REJECTED, note=draft.reject_reason,
                 fields=["reject_reason", "scheduled_for"])


@transaction.atomic
def approve_draft(draft: Draft, user: AbstractBaseUser) -> Draft:
    """Approve a draft in review; refused while a block-level keynote finding remains."""
    _require(user, draft.workspace, Perm.CONTENT_PUBLISH)
    _expect(draft, State.IN_REVIEW)
    _refuse_blocking(draft)
    return _move(draft, user, "approve", State.APPROVED)


def _refuse_blocking(draft: Draft) -> None:
    blocking = [f for f in draft_findings(draft) if f.blocks]
    if blocking:
        raise MoveRefused("the keynote blocks this draft: " + "; ".join(f.message for f in blocking))


@transaction.atomic
def schedule_draft(draft: Draft, user: AbstractBaseUser, when: dt.datetime) -> Draft:
    """Schedule (or reschedule) an approved draft; it is sent in ``user``'s name."""
    _require(user, draft.workspace, Perm.CONTENT_PUBLISH)
    _expect(draft, State.APPROVED, State.SCHEDULED)
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    draft.scheduled_for, draft.scheduled_by = when, user
    return _move(draft, user, "schedule", State.SCHEDULED, note=when.isoformat(),
                 fields=["scheduled_for", "scheduled_by"])


@transaction.atomic
def reschedule_draft(draft: Draft, user: AbstractBaseUser, when: dt.datetime) -> Draft:
    """Move a scheduled post to another time (the calendar's drag, or its form); audited
    with the old and the new time. A time already past is refused: it would go out at once."""
    _require(user, draft.workspace, Perm.CONTENT_PUBLISH)
    _expect(draft, State.SCHEDULED)
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    if when <= timezone.now():
        raise MoveRefused(f"{timezone.localtime(when):%Y-%m-%d %H:%M} has passed; choose a time to come "
                          "(or publish it now from its page)")
    before = draft.scheduled_for
    draft.scheduled_for, draft.scheduled_by = when, user
    return _move(draft, user, "reschedule", State.SCHEDULED,
                 note=f"{before.isoformat() if before else '-'} → {when.isoformat()}",
                 fields=["scheduled_for", "scheduled_by"])


@transaction.atomic
def publish_now(draft: Draft, user: AbstractBaseUser, *, rip: str = "",
                send_soon: bool = True) -> Draft:
    """Queue the draft as a post under its own key; the outbox sends it exactly once."""
    _require(user, draft.workspace, Perm.CONTENT_PUBLISH)
    _expect(draft, State.APPROVED, State.SCHEDULED)
    _refuse_blocking(draft)  # the knowledge base or keynote may have changed since approval
    account = Account.objects.filter(workspace=draft.workspace).order_by("id").first()
    if account is None:
        raise MoveRefused("the workspace has no Weibo account to publish from; connect one first")
    write = enqueue_write(account, "post", draft.full_text, by=user, key=draft.publish_key,
                          rip=rip, send_soon=send_soon)
    draft.write, draft.published_at = write, timezone.now()
    return _move(draft, user, "publish", State.PUBLISHED, note=f"write:{write.pk}",
                 fields=["write", "published_at"])


def publish_due(now: dt.datetime | None = None) -> list[Draft]:
    """Queue every scheduled draft whose time has come, each in its own transaction.

    Safe to run twice or after a crash: a published draft is no longer "scheduled", and the
    draft's key makes a repeated enqueue return the write already queued.
    """
    now = now or timezone.now()
    done = []
    due = Draft.objects.filter(state=State.SCHEDULED, scheduled_for__lte=now).order_by("scheduled_for")
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            draft = Draft.objects.select_for_update(of=("self",)).select_related("workspace", "scheduled_by").get(pk=pk)
            if draft.state != State.SCHEDULED:
                continue  # another worker got there first
            try:
                done.append(publish_now(draft, draft.scheduled_by, send_soon=False))
            except (PermissionDenied, PermissionError, MoveRefused) as error:
                # Back to approved, with the reason on its page: a person fixes and reschedules
                # it (retrying every minute would only repeat the refusal).
                draft.scheduled_for = None
                _move(draft, None, "publish_failed", State.APPROVED, note=str(error),
                      fields=["scheduled_for"])
    return done
