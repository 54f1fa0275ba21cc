"""Actions of the campaigns window: plan a campaign and its offline events, put people on
duty, and send an instant post during an event.

Who may do what (access/permissions.py): planning — a campaign, its events and their
timelines — is CAMPAIGNS_PLAN (owner, operator and the agency); choosing the people on duty
is CAMPAIGNS_MANAGE (owner, operator). An instant post is approved and published in one step
by someone on duty who also holds CONTENT_PUBLISH, through content's own actions, so the
keynote is checked, every move is audited and the outbox sends it exactly once. The agency
may be on duty to help plan, but never publishes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from inhouse.access.actions import audit, role_of
from inhouse.access.models import Membership
from inhouse.access.permissions import Perm, role_has
from inhouse.campaigns.models import Campaign, InstantPost, OfflineEvent, TimelineEntry
from inhouse.content import actions as content
from inhouse.core.models import Workspace
from inhouse.partners.models import Contact


class Refused(Exception):
    """The change is not possible as asked; the message says why and what to do."""


def _require(user: AbstractBaseUser | None, workspace: Workspace, perm: Perm) -> None:
    if user is None or not role_has(role_of(user, workspace), perm):
        raise PermissionDenied(f"{getattr(user, 'username', user)} may not {perm.value} in {workspace}")


def normalise_hashtag(value: str) -> str:
    """'小鹿暖冬零食节', '#小鹿暖冬零食节' and '#小鹿暖冬零食节#' all become '#小鹿暖冬零食节#'."""
    word = value.strip().strip("#").strip()
    if "#" in word:
        raise Refused(f"hashtag: {value!r} holds more than one topic; give one, like #话题#")
    return f"#{word}#" if word else ""


def _aware(value: dt.datetime) -> dt.datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _clean(workspace: Workspace, name: str, starts_at: dt.datetime, ends_at: dt.datetime,
           hashtag: str, exclude_pk: int | None = None) -> tuple[str, dt.datetime, dt.datetime, str]:
    name = name.strip()
    if not name:
        raise Refused("name: give the campaign a name (drafts name their campaign by it)")
    if Campaign.objects.filter(workspace=workspace, name=name).exclude(pk=exclude_pk).exists():
        raise Refused(f"name: a campaign called {name!r} exists already")
    starts_at, ends_at = _aware(starts_at), _aware(ends_at)
    if ends_at < starts_at:
        raise Refused("ends: the campaign ends before it starts")
    return name, starts_at, ends_at, normalise_hashtag(hashtag)


def _partners(workspace: Workspace, partners: Iterable[Contact]) -> list[Contact]:
    partners = list(partners)
    if any(p.workspace_id != workspace.pk for p in partners):
        raise Refused("partners: choose accounts from this workspace's directory")
    return partners


@transaction.atomic
def create_campaign(workspace: Workspace, user: AbstractBaseUser, *, name: str, starts_at: dt.datetime,
                    ends_at: dt.datetime, goal: str = "", hashtag: str = "",
                    partners: Iterable[Contact] = ()) -> Campaign:
    _require(user, workspace, Perm.CAMPAIGNS_PLAN)
    name, starts_at, ends_at, hashtag = _clean(workspace, name, starts_at, ends_at, hashtag)
    campaign = Campaign.objects.create(workspace=workspace, name=name, goal=goal.strip(),
                                       starts_at=starts_at, ends_at=ends_at, hashtag=hashtag,
                                       created_by=user)
    campaign.partners.set(_partners(workspace, partners))
    audit(workspace, user, "campaigns.campaign.create", f"campaign:{campaign.pk}",
          after={**campaign.snapshot(), "partners": [p.pk for p in campaign.partners.all()]})
    return campaign


@transaction.atomic
def update_campaign(campaign: Campaign, user: AbstractBaseUser, *, name: str, starts_at: dt.datetime,
                    ends_at: dt.datetime, goal: str = "", hashtag: str = "",
                    partners: Iterable[Contact] = ()) -> Campaign:
    """New plan for a campaign. Renaming it renames its drafts' campaign too (they link by name)."""
    _require(user, campaign.workspace, Perm.CAMPAIGNS_PLAN)
    before = {**campaign.snapshot(), "partners": sorted(campaign.partners.values_list("pk", flat=True))}
    old_name = campaign.name
    campaign.name, campaign.starts_at, campaign.ends_at, campaign.hashtag = _clean(
        campaign.workspace, name, starts_at, ends_at, hashtag, exclude_pk=campaign.pk)
    campaign.goal = goal.strip()
    campaign.save()
    campaign.partners.set(_partners(campaign.workspace, partners))
    if old_name != campaign.name:
        from inhouse.content.models import Draft

        Draft.objects.filter(workspace=campaign.workspace, campaign=old_name).update(campaign=campaign.name)
    audit(campaign.workspace, user, "campaigns.campaign.update", f"campaign:{campaign.pk}", before=before,
          after={**campaign.snapshot(), "partners": sorted(campaign.partners.values_list("pk", flat=True))})
    return campaign


@transaction.atomic
def set_on_duty(campaign: Campaign, user: AbstractBaseUser, people: Iterable[AbstractBaseUser]) -> Campaign:
    _require(user, campaign.workspace, Perm.CAMPAIGNS_MANAGE)
    people = list(people)
    members = set(Membership.objects.filter(workspace=campaign.workspace, user__in=people)
                  .values_list("user_id", flat=True))
    strangers = [str(p) for p in people if p.pk not in members]
    if strangers:
        raise Refused(f"on duty: {', '.join(strangers)} not in this workspace")
    before = sorted(campaign.on_duty.values_list("pk", flat=True))
    campaign.on_duty.set(people)
    audit(campaign.workspace, user, "campaigns.campaign.on_duty", f"campaign:{campaign.pk}",
          before={"on_duty": before}, after={"on_duty": sorted(p.pk for p in people)})
    return campaign


@transaction.atomic
def add_event(campaign: Campaign, user: AbstractBaseUser, *, name: str, starts_at: dt.datetime,
              ends_at: dt.datetime, place: str = "", notes: str = "") -> OfflineEvent:
    _require(user, campaign.workspace, Perm.CAMPAIGNS_PLAN)
    starts_at, ends_at = _aware(starts_at), _aware(ends_at)
    if not name.strip():
        raise Refused("name: give the event a name")
    if ends_at < starts_at:
        raise Refused("ends: the event ends before it starts")
    event = OfflineEvent.objects.create(campaign=campaign, name=name.strip(), place=place.strip(),
                                        starts_at=starts_at, ends_at=ends_at, notes=notes.strip())
    audit(campaign.workspace, user, "campaigns.event.add", f"event:{event.pk}",
          after={"campaign": campaign.pk, "name": event.name, "place": event.place,
                 "starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat()})
    return event


@transaction.atomic
def remove_event(event: OfflineEvent, user: AbstractBaseUser) -> None:
    _require(user, event.campaign.workspace, Perm.CAMPAIGNS_PLAN)
    audit(event.campaign.workspace, user, "campaigns.event.remove", f"event:{event.pk}",
          before={"campaign": event.campaign_id, "name": event.name})
    event.delete()


@transaction.atomic
def add_timeline_entry(event: OfflineEvent, user: AbstractBaseUser, at: dt.datetime, what: str) -> TimelineEntry:
    _require(user, event.campaign.workspace, Perm.CAMPAIGNS_PLAN)
    if not what.strip():
        raise Refused("what: say what happens at that time")
    entry = TimelineEntry.objects.create(event=event, at=_aware(at), what=what.strip())
    audit(event.campaign.workspace, user, "campaigns.timeline.add", f"event:{event.pk}",
          after={"at": entry.at.isoformat(), "what": entry.what})
    return entry


def may_post_instantly(campaign: Campaign, user: AbstractBaseUser) -> bool:
    return (role_has(role_of(user, campaign.workspace), Perm.CONTENT_PUBLISH)
            and campaign.on_duty.filter(pk=user.pk).exists())


def instant_post(campaign: Campaign, user: AbstractBaseUser, text: str, *, nonce: str,
                 event: OfflineEvent | None = None, rip: str = "", send_soon: bool = True) -> InstantPost:
    """Write, approve and publish a post for the campaign in one step (those on duty).

    Goes through content's actions (create, submit, approve, publish: the keynote is checked
    and each move audited) and the outbox (the draft's key: one post). ``nonce`` comes from
    the form: the same nonce twice returns the first post, so a double click sends one post.
    """
    if not nonce or len(nonce) > 64:
        raise Refused("the form has no valid nonce; reload the page and write the post again")
    done = InstantPost.objects.filter(nonce=nonce).select_related("draft").first()
    if done is not None:
        if done.campaign_id != campaign.pk:
            raise Refused("this form belongs to another campaign; reload the page")
        return done
    _require(user, campaign.workspace, Perm.CONTENT_PUBLISH)
    if not campaign.on_duty.filter(pk=user.pk).exists():
        raise PermissionDenied(f"{user} is not on duty for {campaign}; only those on duty post instantly")
    if event is not None and event.campaign_id != campaign.pk:
        raise Refused("the event belongs to another campaign")
    hashtags = [campaign.hashtag.strip("#")] if campaign.hashtag and campaign.hashtag not in text else []
    try:
        with transaction.atomic():
            draft = content.create_draft(campaign.workspace, user, text, hashtags=hashtags,
                                         campaign=campaign.name)
            content.submit_for_review(draft, user)
            content.approve_draft(draft, user)
            post = InstantPost.objects.create(campaign=campaign, event=event, nonce=nonce, draft=draft, by=user)
            content.publish_now(draft, user, rip=rip, send_soon=send_soon)
            audit(campaign.workspace, user, "campaigns.instant_post", f"campaign:{campaign.pk}",
                  after={"draft": draft.pk, "event": getattr(event, "pk", None), "text": draft.full_text})
    except content.MoveRefused as error:
        raise Refused(str(error)) from error
    except IntegrityError:
        # the same form submitted twice at once: the other request made the post
        return InstantPost.objects.get(nonce=nonce)
    return post
