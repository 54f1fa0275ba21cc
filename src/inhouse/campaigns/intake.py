"""Campaign intake: follow each campaign's hashtag and partner accounts during its dates.

Contract (see ``inhouse.pipeline.route``): ``intake(items)`` takes analysed items and returns
how many (item, campaign) links it made. Idempotent: a link exists once (unique constraint,
checked before insert), so a batch routed twice changes nothing.

An item belongs to a campaign when its event time is within the campaign's dates and
- it is the official account's own post or repost carrying the hashtag (``official``),
- it is written by one of the campaign's partner accounts (``partner``: their posts, reposts
  and comments, whatever the text), or
- its text carries the hashtag (``hashtag``: anyone's post, repost or comment), or
- it answers or reposts one of the campaign's brand or partner posts (``thread``: the
  discussion under them, which rarely repeats the hashtag).
Private messages are never campaign discussion (they are not public).
"""

from __future__ import annotations

from inhouse.campaigns.models import Campaign, CampaignItem
from inhouse.core.models import Account, Item, ItemKind


def intake(items: list[Item]) -> int:
    by_workspace: dict[int, list[Item]] = {}
    for item in items:
        if item.kind != ItemKind.MESSAGE:
            by_workspace.setdefault(item.workspace_id, []).append(item)
    made = 0
    for workspace_id, group in by_workspace.items():
        made += _run(workspace_id, group)
    return made


def _run(workspace_id: int, items: list[Item]) -> int:
    lo, hi = min(i.created_at for i in items), max(i.created_at for i in items)
    campaigns = list(Campaign.objects.filter(workspace_id=workspace_id, starts_at__lte=hi, ends_at__gte=lo)
                     .prefetch_related("partners"))
    if not campaigns:
        return 0
    official = set(Account.objects.filter(workspace_id=workspace_id).values_list("platform_uid", flat=True))
    linked = set(CampaignItem.objects.filter(campaign__in=campaigns, item__in=items)
                 .values_list("campaign_id", "item_id"))
    links = []
    ordered = sorted(items, key=lambda i: (i.created_at, i.pk))
    for campaign in campaigns:
        partner_uids = {p.weibo_uid for p in campaign.partners.all() if p.weibo_uid}
        roots = set(CampaignItem.objects.filter(campaign=campaign, reason__in=("official", "partner"),
                                                item__kind=ItemKind.POST)
                    .values_list("item__platform_id", flat=True))
        for item in ordered:
            if not (campaign.starts_at <= item.created_at <= campaign.ends_at):
                continue
            if (campaign.pk, item.pk) in linked:
                continue
            uid = item.author.uid if item.author_id else ""
            tagged = bool(campaign.hashtag) and campaign.hashtag in (item.text or "")
            if uid in official:
                reason = "official" if tagged else ""
            elif uid in partner_uids:
                reason = "partner"
            elif tagged:
                reason = "hashtag"
            elif roots and (item.root_platform_id in roots or item.parent_platform_id in roots):
                reason = "thread"
            else:
                reason = ""
            if reason in ("official", "partner") and item.kind == ItemKind.POST:
                roots.add(item.platform_id)
            if reason:
                links.append(CampaignItem(campaign=campaign, item=item, reason=reason,
                                          created_at=item.created_at))
    CampaignItem.objects.bulk_create(links, ignore_conflicts=True)
    return len(links)
