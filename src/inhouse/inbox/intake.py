"""Inbox intake: customer items join or open conversations; official answers close the loop.

Contract (see ``inhouse.pipeline.route``): ``intake(items)`` takes analysed items and returns
how many it linked to a conversation. Idempotent: an item already linked is skipped, so a
batch routed twice changes nothing.

Which items are the customers' (never the official account's own):
- a comment or reply under one of the account's posts, or addressed to the account under
  someone else's post (``Item.account`` set) → conversation ``c:<post>:<uid>`` (one per
  customer per post: threaded by root and by customer);
- an @mention: a post concerning the account (``Item.account`` set by ingest, or naming the
  account with ``@``) → ``m:<post>``; the same customer's comments under it join it;
- a private message → ``dm:<uid>``, one conversation per customer.

An official item that answers one of them — a reply to a linked comment, a comment under
the mention, a message to the customer — marks it answered and sets ``first_response_at``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence

from django.db import IntegrityError, connection, models, transaction
from django.db.models.constants import OnConflict
from django.utils import timezone

from inhouse.core.models import Account, Item, ItemKind, Workspace
from inhouse.inbox import sla
from inhouse.inbox.models import (
    OPEN_STATES,
    Conversation,
    ConversationEvent,
    ConversationItem,
    ConversationKind,
    EventKind,
    State,
)

_DM_ROOT = re.compile(r"^dm-(\d+)$")  # how the demo and importers thread private messages
# Routing a batch again after another worker opened one of its conversations first; past this
# the IntegrityError reaches the task, which retries the batch later.
_ATTEMPTS = 3
# What routing changes on a stored conversation (the rest is the desk's: assignee, notes...).
_CHANGED = ("items_count", "last_customer_at", "preview", "sentiment", "intent", "state",
            "waiting_since", "sla_due_at", "first_response_at", "last_response_at", "updated_at")


def intake(items: list[Item]) -> int:
    by_workspace: dict[int, list[Item]] = {}
    for item in items:
        by_workspace.setdefault(item.workspace_id, []).append(item)
    taken = 0
    for group in by_workspace.values():
        taken += _Batch(group[0].workspace, group).run()
    return taken


class _Batch:
    def __init__(self, workspace: Workspace, items: list[Item]):
        self.workspace = workspace
        accounts = list(Account.objects.filter(workspace=workspace))
        self.accounts = {a.platform_uid: a for a in accounts}
        self.default_account = accounts[0] if accounts else None
        self.mention_names = [f"@{a.screen_name}" for a in accounts if a.screen_name]
        self.all_items = items
        self.items: list[Item] = []

    def is_official(self, item: Item) -> bool:
        return item.author is not None and item.author.uid in self.accounts

    def run(self) -> int:
        if not self.accounts:
            return 0
        with transaction.atomic():
            for attempt in range(_ATTEMPTS):
                self._reset()
                if not self.items:
                    return 0
                self._preload()
                for item in self.items:
                    if self.is_official(item):
                        self._official(item)
                    elif item.author is not None:
                        self._customer(item)
                try:
                    # The batch's new conversations in one INSERT, in key order, in a
                    # savepoint: another worker may be opening one of them right now. The
                    # insert waits for it; if it committed, the unique key fails here.
                    with transaction.atomic():
                        Conversation.objects.bulk_create(
                            [self.new[key] for key in sorted(self.new)])
                except IntegrityError:
                    if attempt == _ATTEMPTS - 1:
                        raise  # the task retries the whole batch (pipeline.tasks)
                    continue  # it is committed now: read it (locked) and route the batch again
                break
            _save_changes([c for key, c in self.dirty.items() if key not in self.new])
            _insert(ConversationItem, ("conversation", "item", "from_customer"),
                    [(c.pk, i.pk, f) for c, i, f in self.links], ignore_conflicts=True)
            _insert(ConversationEvent, ("conversation", "kind", "at", "detail"),
                    [(c.pk, kind, at, detail) for c, kind, at, detail in self.events])
        return len(self.links)

    def _reset(self) -> None:
        linked = set(ConversationItem.objects.filter(item__in=self.all_items)
                     .values_list("item_id", flat=True))
        self.items = sorted((i for i in self.all_items if i.pk not in linked),
                            key=lambda i: (i.created_at, i.pk))
        self.conversations: dict[str, Conversation] = {}
        self.by_item: dict[str, Conversation] = {}  # platform id of a linked item → conversation
        self.new: dict[str, Conversation] = {}  # opened by this batch, inserted at its end
        self.dirty: dict[str, Conversation] = {}  # stored ones this batch changed, by key
        # Rows to insert at the end, as tuples (a model object each cost more than its row):
        self.links: list[tuple[Conversation, Item, bool]] = []  # conversation, item, from customer
        self.events: list[tuple[Conversation, str, dt.datetime, dict]] = []  # …, kind, at, detail

    # --- lookups, done once per batch ------------------------------------------------------
    def _preload(self) -> None:
        roots = {i.thread_root_id for i in self.items}
        parents = {i.parent_platform_id for i in self.items if i.parent_platform_id}
        # One look-up by platform id (the unique index), the author and kind sorted out here:
        # with the author in the WHERE clause PostgreSQL may walk the official account's
        # every item by the author index instead, which grows with the account's history.
        threads = list(
            Item.objects.filter(workspace=self.workspace, platform_id__in=roots | parents)
            .values_list("platform_id", "kind", "author__uid"))
        own_kinds = (ItemKind.POST, ItemKind.REPOST)
        self.official_posts = {pid for pid, kind, uid in threads
                               if kind in own_kinds and uid in self.accounts}
        self.official_posts |= {i.platform_id for i in self.items
                                if self.is_official(i) and i.kind in own_kinds}
        self.parent_authors = {pid: uid for pid, _, uid in threads if pid in parents}
        keys = set()
        for item in self.items:
            keys.update(self._candidate_keys(item))
        # Locked until the batch commits, in one order: a second worker routing the same
        # customer waits and then reads what this batch wrote (no lost update of the counts).
        for conversation in (Conversation.objects.select_for_update()
                             .filter(workspace=self.workspace, key__in=keys).order_by("key")):
            self.conversations[conversation.key] = conversation
        for link in (ConversationItem.objects.filter(item__workspace=self.workspace,
                                                     item__platform_id__in=parents)
                     .select_related("conversation", "item")):
            conv = self.conversations.setdefault(link.conversation.key, link.conversation)
            self.by_item[link.item.platform_id] = conv

    def _candidate_keys(self, item: Item) -> Iterable[str]:
        """The keys ``_customer`` or ``_official`` may look up or open for ``item`` (no more:
        each is a locked row, and a long IN list costs more than the routing itself)."""
        if item.author is None:
            return
        root = item.thread_root_id
        if self.is_official(item):
            if item.kind == ItemKind.MESSAGE:
                target = self._dm_customer(item)
                if target:
                    yield f"dm:{target}"
            elif item.kind in (ItemKind.COMMENT, ItemKind.REPLY):
                yield f"m:{root}"
                parent_uid = self.parent_authors.get(item.parent_platform_id)
                if parent_uid:
                    yield f"c:{root}:{parent_uid}"
            return
        uid = item.author.uid
        if item.kind == ItemKind.MESSAGE:
            yield f"dm:{uid}"
        elif item.kind in (ItemKind.COMMENT, ItemKind.REPLY):
            yield f"c:{root}:{uid}"
            yield f"m:{root}"
        elif item.kind in (ItemKind.POST, ItemKind.REPOST) and self._mentions_account(item):
            yield f"m:{item.platform_id}"

    # --- customers ---------------------------------------------------------------------------
    def _mentions_account(self, item: Item) -> bool:
        if item.kind == ItemKind.POST and item.account_id is not None:
            return True
        own = item.text.split("//@", 1)[0]  # a repost's chain quotes others
        return any(name in own for name in self.mention_names)

    def _customer(self, item: Item) -> None:
        uid = item.author.uid
        if item.kind == ItemKind.MESSAGE:
            self._join(item, f"dm:{uid}", ConversationKind.MESSAGE, "")
        elif item.kind in (ItemKind.COMMENT, ItemKind.REPLY):
            root = item.thread_root_id
            mention = self.conversations.get(f"m:{root}")
            if root in self.official_posts:
                self._join(item, f"c:{root}:{uid}", ConversationKind.COMMENT_THREAD, root)
            elif mention is not None and mention.customer_id == item.author_id:
                self._join(item, mention.key, ConversationKind.MENTION, root)
            elif item.account_id is not None:
                # Under someone else's post but addressed to the account (it reached us
                # through comments/mentions): a partner's joint post, a fan's post.
                self._join(item, f"c:{root}:{uid}", ConversationKind.COMMENT_THREAD, root)
        elif item.kind in (ItemKind.POST, ItemKind.REPOST) and self._mentions_account(item):
            self._join(item, f"m:{item.platform_id}", ConversationKind.MENTION, item.platform_id)

    def _join(self, item: Item, key: str, kind: str, root: str) -> None:
        conversation = self.conversations.get(key)
        if conversation is None:
            conversation = self.new[key] = self.conversations[key] = Conversation(
                workspace=self.workspace, kind=kind, key=key, root_platform_id=root,
                account=self._account_of(item), customer=item.author, state=State.NEW,
                intent=item.intent, sentiment=item.sentiment, preview=item.text[:200],
                items_count=1, opened_at=item.created_at,
                last_customer_at=item.created_at, waiting_since=item.created_at,
                sla_due_at=sla.due_at(item.intent, item.created_at))
            self._event(conversation, EventKind.OPENED, item)
        else:
            self._update(conversation, item)
        self._link(conversation, item, from_customer=True)

    def _update(self, conversation: Conversation, item: Item) -> None:
        conversation.items_count += 1
        if item.created_at >= conversation.last_customer_at:
            conversation.last_customer_at = item.created_at
            conversation.preview = item.text[:200]
            conversation.sentiment = item.sentiment or conversation.sentiment
        conversation.intent = sla.more_urgent(conversation.intent, item.intent)
        answered_after = (conversation.last_response_at is None
                          or item.created_at > conversation.last_response_at)
        needs_answer = sla.sla_minutes(item.intent) is not None
        if conversation.state not in OPEN_STATES and needs_answer and answered_after:
            conversation.state = State.ASSIGNED if conversation.assignee_id else State.NEW
            conversation.waiting_since = item.created_at
            self._event(conversation, EventKind.REOPENED, item)
        elif conversation.state in OPEN_STATES and conversation.waiting_since is None:
            conversation.waiting_since = item.created_at
        conversation.sla_due_at = sla.due_at(conversation.intent, conversation.waiting_since)
        self.dirty[conversation.key] = conversation

    # --- the official account's answers ------------------------------------------------------
    def _official(self, item: Item) -> None:
        conversation = self.by_item.get(item.parent_platform_id)
        if conversation is None and item.kind == ItemKind.MESSAGE:
            target = self._dm_customer(item)
            conversation = self.conversations.get(f"dm:{target}") if target else None
        if conversation is None and item.kind in (ItemKind.COMMENT, ItemKind.REPLY):
            parent_uid = self.parent_authors.get(item.parent_platform_id)
            conversation = (self.conversations.get(f"c:{item.thread_root_id}:{parent_uid}")
                            or self.conversations.get(f"m:{item.thread_root_id}"))
        if conversation is None:
            return
        self._link(conversation, item, from_customer=False)
        if conversation.first_response_at is None or item.created_at < conversation.first_response_at:
            conversation.first_response_at = item.created_at
        if conversation.last_response_at is None or item.created_at > conversation.last_response_at:
            conversation.last_response_at = item.created_at
        waiting = conversation.waiting_since
        if conversation.state != State.CLOSED and (waiting is None or item.created_at >= waiting):
            conversation.state = State.ANSWERED
            conversation.waiting_since = None
            conversation.sla_due_at = None
            self._event(conversation, EventKind.ANSWERED, item)
        self.dirty[conversation.key] = conversation

    def _dm_customer(self, item: Item) -> str:
        match = _DM_ROOT.match(item.root_platform_id or "")
        if match:
            return match.group(1)
        recipient = (item.raw or {}).get("recipient_id")
        return str(recipient) if recipient else ""

    # --- helpers -----------------------------------------------------------------------------
    def _account_of(self, item: Item) -> Account | None:
        if item.account_id is not None:
            return next((a for a in self.accounts.values() if a.pk == item.account_id),
                        self.default_account)
        return self.default_account

    def _link(self, conversation: Conversation, item: Item, *, from_customer: bool) -> None:
        self.links.append((conversation, item, from_customer))
        self.by_item[item.platform_id] = conversation

    def _event(self, conversation: Conversation, kind: str, item: Item) -> None:
        self.events.append((conversation, kind, item.created_at, {"item": item.pk}))


def _save_changes(conversations: list[Conversation]) -> None:
    """Write routing's fields of changed conversations: one parameterised UPDATE each, sent as
    one batch (a ``save()`` each was a round trip per conversation; ``bulk_update`` builds a
    CASE per field and row). The rows are locked by ``_preload``."""
    if not conversations:
        return
    now = timezone.now()
    fields = [Conversation._meta.get_field(name) for name in _CHANGED]
    quote = connection.ops.quote_name
    sql = "UPDATE {table} SET {sets} WHERE {pk} = %s".format(
        table=quote(Conversation._meta.db_table),
        sets=", ".join(f"{quote(f.column)} = %s" for f in fields),
        pk=quote(Conversation._meta.pk.column))
    rows = []
    for conversation in sorted(conversations, key=lambda c: c.key):
        conversation.updated_at = now
        rows.append([f.get_db_prep_save(getattr(conversation, f.attname), connection)
                     for f in fields] + [conversation.pk])
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _insert(model: type[models.Model], names: Sequence[str], rows: list[tuple],
            ignore_conflicts: bool = False) -> None:
    """INSERT ``rows`` (values of the fields ``names``, foreign keys as ids) as multi-row
    statements: ``bulk_create`` spent more time preparing model objects than the database
    spent storing them."""
    if not rows:
        return
    fields = [model._meta.get_field(name) for name in names]
    on_conflict = OnConflict.IGNORE if ignore_conflicts else None
    quote = connection.ops.quote_name
    head = "{insert} {table} ({columns}) VALUES ".format(
        insert=connection.ops.insert_statement(on_conflict=on_conflict),
        table=quote(model._meta.db_table),
        columns=", ".join(quote(f.column) for f in fields))
    suffix = connection.ops.on_conflict_suffix_sql(fields, on_conflict, None, None) or ""
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    size = connection.ops.bulk_batch_size(fields, rows)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            chunk = rows[start:start + size]
            params = [f.get_db_prep_save(value, connection)
                      for row in chunk for f, value in zip(fields, row, strict=True)]
            cursor.execute(f"{head}{', '.join([row_sql] * len(chunk))} {suffix}".rstrip(), params)
