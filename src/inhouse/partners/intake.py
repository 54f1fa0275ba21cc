"""Partner radar intake: directory accounts' interactions and cooperation intent become cards.

Contract (see ``inhouse.pipeline.route``): ``intake(items)`` takes analysed items and returns
how many it attached to an opportunity card. Idempotent: an item already on a card is
skipped, so a batch routed twice changes nothing.

A signal is an item that is not the official account's own and
- is written by an account in the directory (any kind: a comment, a repost, a post that
  reaches us, a private message), or
- shows cooperation intent: one of the radar's own cues matches (``cues.py``: co-branding,
  sponsorship, business enquiry, invitation), or the NLP stage labelled it ``cooperation``
  and it does not read as a customer buying (``cues.customer_talk``: "想要联名礼盒",
  "年会福利想订一批零食"). Items labelled spam never count on intent alone.
Private messages count too: most business enquiries arrive there.

Cards are per author and thread (``<uid>:<root>``, the root being the thread's first post or
the private conversation): a signal whose card exists joins it, and so does every later item
of that author in that thread (the "在吗？" after an enquiry). A new card goes to the
contact's owner, else the radar's default owner, and notifies them: unread on the desk until
they open it, and a message to the workspace's alert channels.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from inhouse.access.actions import audit
from inhouse.core.models import Account, Intent, Item, Workspace
from inhouse.partners import cues
from inhouse.partners.actions import default_owner
from inhouse.partners.models import CardEvent, CardKind, Contact, Opportunity, Signal

log = logging.getLogger(__name__)


def intake(items: list[Item]) -> int:
    by_workspace: dict[int, list[Item]] = {}
    for item in items:
        by_workspace.setdefault(item.workspace_id, []).append(item)
    return sum(_run(group[0].workspace, group) for group in by_workspace.values())


def thread_of(item: Item) -> str:
    return item.root_platform_id or item.platform_id


def _run(workspace: Workspace, items: list[Item]) -> int:
    official = set(Account.objects.filter(workspace=workspace).values_list("platform_uid", flat=True))
    contacts = {c.weibo_uid: c for c in Contact.objects.filter(workspace=workspace).exclude(weibo_uid="")
                .select_related("owner")}
    taken_items = set(Signal.objects.filter(item__in=items).values_list("item_id", flat=True))
    pending = [i for i in items if i.pk not in taken_items and i.author is not None
               and i.author.uid not in official]
    if not pending:
        return 0
    keys = {f"{i.author.uid}:{thread_of(i)}" for i in pending}
    taken = 0
    opened: list[Opportunity] = []
    signals: list[Signal] = []  # stored in one INSERT at the end of the batch
    with transaction.atomic():
        cards = {c.key: c for c in Opportunity.objects.filter(workspace=workspace, key__in=keys)}
        fallback = None
        for item in sorted(pending, key=lambda i: (i.created_at, i.pk)):
            key = f"{item.author.uid}:{thread_of(item)}"
            contact = contacts.get(item.author.uid)
            cue = cues.detect(item.text)
            labelled = item.intent == Intent.COOPERATION and not cues.customer_talk(item.text)
            cooperative = item.intent != Intent.SPAM and (labelled or cue is not None)
            card = cards.get(key)
            if card is None and contact is None and not cooperative:
                continue
            if contact is not None:
                reason = "directory"
            elif cue is not None:
                reason = f"cue:{cue.word}"[:64]
            elif cooperative:
                reason = "intent"
            else:
                reason = "thread"
            if card is None:
                if contact is None or contact.owner is None:
                    fallback = fallback or default_owner(workspace)
                owner = contact.owner if contact is not None and contact.owner else fallback
                card = Opportunity.objects.create(
                    workspace=workspace, key=key, contact=contact, author=item.author, owner=owner,
                    kind=CardKind.COOPERATION if cooperative else CardKind.INTERACTION,
                    cue=cue.kind if cue else "", first_at=item.created_at, last_at=item.created_at)
                CardEvent.objects.create(opportunity=card, actor=None, action="open", to_state=card.state,
                                         note=reason)
                audit(workspace, None, "partners.card.open", f"opportunity:{card.pk}",
                      after={"key": key, "kind": card.kind, "owner": card.owner_id, "item": item.platform_id})
                cards[key] = card
                opened.append(card)
            else:
                changed = []
                if cooperative and card.kind != CardKind.COOPERATION:
                    card.kind = CardKind.COOPERATION
                    changed.append("kind")
                if cue and not card.cue:
                    card.cue = cue.kind
                    changed.append("cue")
                if item.created_at > card.last_at:
                    card.last_at = item.created_at
                    changed.append("last_at")
                if changed:
                    card.save(update_fields=[*changed, "updated_at"])
            signals.append(Signal(opportunity=card, item=item, reason=reason))
            taken += 1
        Signal.objects.bulk_create(signals)
        if opened:
            transaction.on_commit(lambda: _notify(workspace, opened))
    return taken


def _notify(workspace: Workspace, cards: list[Opportunity]) -> None:
    """Tell the team where it already is (the alert channels); channels de-duplicate by key."""
    from inhouse.alerts import Message, Severity
    from inhouse.channels.dispatch import send_alert

    recent = timezone.now() - dt.timedelta(days=2)
    for card in cards:
        if card.last_at < recent:
            continue  # an old item routed late (an import, the demo's past days): the desk only
        try:
            url = reverse("partners:card", args=[card.pk])
        except NoReverseMatch:
            url = ""
        who = card.who
        owner = getattr(card.owner, "username", "—")
        title = (f"合作机会：{who}" if card.kind == CardKind.COOPERATION else f"名录账号互动：{who}")
        try:
            send_alert(workspace, Message(title=title, text=f"{who} · 负责人 {owner}",
                                          severity=Severity.INFO, url=url),
                       f"partners:card:{card.pk}")
        except Exception:  # a channel problem must not undo the cards
            log.exception("partner card %s: notification failed", card.pk)
