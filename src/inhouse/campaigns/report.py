"""The campaign report: plain figures from the items the campaign followed and its drafts.

What each figure means (also on the page):
- posts: the brand's own campaign posts (official items carrying the hashtag) and the
  campaign's drafts published from the desk;
- reach proxies: distinct authors who talked about it, and the sum of their follower counts
  (an upper bound of who could have seen it; Weibo's impression counts need the commercial
  API, which the connector does not read);
- engagement: reposts, comments and likes on the brand's campaign posts (the counts Weibo
  reports on the post), and the campaign items that are comments or reposts;
- sentiment: the campaign items by sentiment (the NLP stage's label);
- new fans: the gain in followers over the dates, from the analytics window's daily
  snapshots; "not known" when they do not cover the dates;
- share of likely target customers: among the campaign items' authors that analytics has
  scored, those likely to be target customers (and not bots); "not available" until scored;
- partner contributions: per partner account, its own items and the discussion under its posts.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Count, Q, Sum
from django.utils import timezone

from inhouse.campaigns.models import Campaign, CampaignItem
from inhouse.content.models import Draft, State
from inhouse.core.models import Item, ItemKind


@dataclass
class PartnerShare:
    name: str
    uid: str
    followers: int
    own_items: int  # their posts, reposts and comments in the campaign
    own_posts: int
    discussion: int  # campaign items under their posts (comments and reposts of them)
    engagement: int  # reposts + comments + likes Weibo counts on their posts


@dataclass
class Report:
    campaign: Campaign
    official_posts: list[Item]
    published_drafts: list[Draft]
    drafts_by_state: dict[str, int]
    items: int
    authors: int
    reach: int
    reposts: int
    comments: int
    likes: int
    discussion_comments: int
    discussion_reposts: int
    sentiment: dict[str, int]
    by_day: list[tuple[str, int]]
    partners: list[PartnerShare] = field(default_factory=list)
    new_fans: int | None = None
    target_share: float | None = None

    @property
    def engagement(self) -> int:
        return self.reposts + self.comments + self.likes


def build(campaign: Campaign) -> Report:
    links = CampaignItem.objects.filter(campaign=campaign)
    items = Item.objects.filter(campaign_links__campaign=campaign)
    official = list(items.filter(campaign_links__reason="official", kind=ItemKind.POST).order_by("created_at"))
    totals = Item.objects.filter(pk__in=[p.pk for p in official]).aggregate(
        r=Sum("reposts_count"), c=Sum("comments_count"), l=Sum("likes_count"))
    authors = items.exclude(author=None).values("author").distinct()
    reach = (items.exclude(author=None).values("author_id", "author__followers_count").distinct())
    reach_sum = sum(row["author__followers_count"] or 0 for row in reach)
    kinds = Counter(items.values_list("kind", flat=True))
    sentiment = Counter(s or "unknown" for s in items.values_list("sentiment", flat=True))
    days = Counter(timezone.localtime(c).date().isoformat() for c in links.values_list("created_at", flat=True))
    drafts = Draft.objects.filter(workspace=campaign.workspace, campaign=campaign.name)
    by_state = dict(drafts.values_list("state").annotate(n=Count("id")).values_list("state", "n"))
    report = Report(
        campaign=campaign, official_posts=official,
        published_drafts=list(drafts.filter(state=State.PUBLISHED).select_related("write")),
        drafts_by_state=by_state, items=links.count(), authors=authors.count(), reach=reach_sum,
        reposts=totals["r"] or 0, comments=totals["c"] or 0, likes=totals["l"] or 0,
        discussion_comments=kinds.get(ItemKind.COMMENT, 0) + kinds.get(ItemKind.REPLY, 0),
        discussion_reposts=kinds.get(ItemKind.REPOST, 0),
        sentiment={k: sentiment.get(k, 0) for k in ("positive", "neutral", "negative", "unknown") if sentiment.get(k)},
        by_day=sorted(days.items()),
    )
    for contact in campaign.partners.all():
        if not contact.weibo_uid:
            continue
        own = items.filter(author__uid=contact.weibo_uid)
        own_posts = own.filter(kind=ItemKind.POST)
        post_ids = list(own_posts.values_list("platform_id", flat=True))
        counts = own_posts.aggregate(r=Sum("reposts_count"), c=Sum("comments_count"), l=Sum("likes_count"))
        first = own.select_related("author").first()
        report.partners.append(PartnerShare(
            name=contact.name, uid=contact.weibo_uid,
            followers=(first.author.followers_count or 0) if first and first.author else 0,
            own_items=own.count(), own_posts=len(post_ids),
            discussion=items.filter(Q(root_platform_id__in=post_ids) | Q(parent_platform_id__in=post_ids))
            .exclude(author__uid=contact.weibo_uid).count() if post_ids else 0,
            engagement=sum(v or 0 for v in counts.values())))
    report.target_share = _target_share(campaign)
    report.new_fans = _new_fans(campaign)
    return report


def _new_fans(campaign: Campaign) -> int | None:
    if not apps.is_installed("inhouse.analytics"):
        return None
    from inhouse.analytics.audience import new_fans

    local = timezone.localtime
    return new_fans(campaign.workspace, local(campaign.starts_at).date(),
                    min(local(campaign.ends_at), local()).date())


def _target_share(campaign: Campaign) -> float | None:
    """The analytics window's share of likely target customers, when it offers one."""
    if not apps.is_installed("inhouse.analytics"):
        return None
    from inhouse.analytics.audience import target_share

    return target_share(campaign.workspace, Item.objects.filter(campaign_links__campaign=campaign))


# --- the report's chart and exports ------------------------------------------------------------
def day_chart_svg(report: Report) -> str:
    """Items followed per day as a line (SVG, drawn on the server: no JavaScript, prints)."""
    import datetime as dt

    from django.utils.translation import gettext as _

    from inhouse.reports.charts import line_chart_svg

    points = [(dt.datetime.fromisoformat(day), n) for day, n in report.by_day]
    return line_chart_svg({_("items"): points}, _("Items per day"), _("items"),
                          empty_text=_("No item followed yet."))


def csv_rows(report: Report) -> list[list[object]]:
    """The report as rows for a spreadsheet: ``section, name, values…`` so one file keeps the
    figures, the days and the partners apart yet sorts and filters in any spreadsheet."""
    r = report
    # Partner rows carry the partner's Weibo uid under "value", then their figures.
    rows: list[list[object]] = [["section", "name", "value", "followers", "own_items",
                                 "own_posts", "engagement", "discussion"]]
    figures = [("official_posts", len(r.official_posts)),
               ("published_from_desk", len(r.published_drafts)),
               ("items_followed", r.items), ("authors", r.authors), ("reach_proxy", r.reach),
               ("reposts", r.reposts), ("comments", r.comments), ("likes", r.likes),
               ("engagement", r.engagement), ("discussion_comments", r.discussion_comments),
               ("discussion_reposts", r.discussion_reposts),
               # "" rather than 0 where the figure is not known: a blank is not a zero
               ("new_fans", "" if r.new_fans is None else r.new_fans),
               ("target_share_percent", "" if r.target_share is None else round(r.target_share, 1))]
    rows += [["figure", name, value] for name, value in figures]
    rows += [["sentiment", name, n] for name, n in r.sentiment.items()]
    rows += [["day", day, n] for day, n in r.by_day]
    rows += [["drafts", state, n] for state, n in r.drafts_by_state.items()]
    rows += [["partner", p.name, p.uid, p.followers, p.own_items, p.own_posts, p.engagement,
              p.discussion] for p in r.partners]
    return rows


def report_pdf(context: dict) -> bytes:
    """The report page's ``context`` as PDF bytes (in the active language), its chart embedded."""
    from django.template.loader import render_to_string

    from inhouse.reports.pdf import html_to_pdf

    return html_to_pdf(render_to_string("campaigns/report_pdf.html", context))
