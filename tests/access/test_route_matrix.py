"""Every route of the project, checked for every role against the matrix (issue 5).

``ROUTES`` below places each named URL under the permission it needs. The test walks the
project's resolver, so a new route fails ``test_every_route_is_placed_in_the_matrix`` until it
is added here; ``test_each_role_gets_exactly_what_the_matrix_allows`` then requests it as the
anonymous visitor and as each of the cast.

Left out on purpose, and only these: Django's admin (``admin:*``, staff-only, its own
permission system), the fan-service receiver (``fanservice:*``, Weibo's signed push, no login
by design; tests/sources/test_fanservice.py and tests/security/test_fuzz_fanservice.py), ``set_language`` (i18n, open to everyone by design), ``login`` and
``logout`` (they must be reachable without a role), and static files (not routed in the
project's URLconf).

How a route is judged:
- GET pages: an allowed role gets 200 (404 when the route's object cannot be built and a pk
  that does not exist is used instead); a refused role gets 403, or 404 where the view hides
  whether the object exists (``hides=True``); never 200. Anonymous gets a redirect to login.
- POST-only routes: a refused role's POST is answered 403 and writes nothing (no audit entry,
  the route's object unchanged). Allowed roles are not posted to here: the window's own tests
  exercise the action.
- A logged-in user with no membership is refused every desk route (403).
- API routes (``api=True``) use a bearer token holding every scope, issued to each role's
  user: the token owner's role decides; anonymous gets 401.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.forms.models import model_to_dict
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from inhouse.access.models import AuditEntry, Role
from inhouse.access.permissions import Perm, role_has

LOGIN = "login"  # any member of the workspace
EXCLUDED_NAMESPACES = {"admin", "fanservice"}
EXCLUDED_NAMES = {"login", "logout", "set_language"}
MISSING_PK = 987_654_321


@dataclass(frozen=True)
class Rule:
    needs: Perm | tuple[Perm, ...] | str  # one Perm, any of several, or LOGIN
    post: bool = False  # POST-only: only refusals are exercised
    hides: bool = False  # refusal may be a 404 so the object's existence is not revealed
    api: bool = False  # bearer-token API route
    obj: str = ""  # which fixture object fills the URL's pk ("" = none / a missing pk)
    kwargs: dict[str, Any] = field(default_factory=dict)  # extra fixed URL kwargs

    def allows(self, role: str) -> bool:
        if role not in Role.values:
            return False  # not a member of the workspace
        if self.needs == LOGIN:
            return True
        perms = self.needs if isinstance(self.needs, tuple) else (self.needs,)
        return any(role_has(role, p) for p in perms)


# Those who answer customers read the knowledge base; the agency does not (knowledge/views.py).
KB_READ = (Perm.KNOWLEDGE_EDIT, Perm.INBOX_REPLY, Perm.ITEMS_VIEW)

ROUTES: dict[str, Rule] = {
    # web
    "web:home": Rule(LOGIN),
    "plotly-js": Rule(Perm.DASHBOARD_VIEW),  # plotly.js served from the package (reports)
    "web:items": Rule(Perm.ITEMS_VIEW),
    "web:item": Rule(Perm.ITEMS_VIEW, obj="item"),
    "web:switch_workspace": Rule(LOGIN, post=True),
    "web:item_corrections": Rule(Perm.ITEMS_VIEW, obj="item"),
    "web:item_correct": Rule(Perm.INBOX_REPLY, post=True, obj="item"),
    "web:learning": Rule(Perm.INBOX_REPLY),
    "web:learning_retrain": Rule(Perm.INBOX_REPLY, post=True),
    "web:learning_activate": Rule(Perm.INBOX_REPLY, post=True),
    # inbox
    "inbox:list": Rule(Perm.ITEMS_VIEW),
    "inbox:close_spam": Rule(Perm.INBOX_REPLY, post=True),
    # An expert reads only conversations escalated to them; others are hidden (404).
    "inbox:conversation": Rule(Perm.ITEMS_VIEW, obj="conversation", hides=True),
    "inbox:reply": Rule(Perm.INBOX_REPLY, post=True, obj="conversation"),
    "inbox:assign": Rule(Perm.INBOX_REPLY, post=True, obj="conversation"),
    "inbox:escalate": Rule(Perm.INBOX_REPLY, post=True, obj="conversation"),
    "inbox:close": Rule(Perm.INBOX_REPLY, post=True, obj="conversation"),
    "inbox:tasks": Rule(Perm.ESCALATED_ANSWER),
    "inbox:cost": Rule(Perm.ITEMS_VIEW),
    "inbox:answer": Rule(Perm.ESCALATED_ANSWER, post=True, obj="escalation"),
    "inbox:customer": Rule(Perm.CUSTOMERS_VIEW, obj="customer"),
    "inbox:customer_note": Rule(Perm.CUSTOMERS_VIEW, post=True, obj="customer"),
    "inbox:customer_tags": Rule(Perm.CUSTOMERS_VIEW, post=True, obj="customer"),
    # knowledge
    "knowledge:list": Rule(KB_READ),
    "knowledge:create": Rule(Perm.KNOWLEDGE_EDIT),
    "knowledge:import": Rule(Perm.KNOWLEDGE_EDIT),
    "knowledge:try": Rule(KB_READ),
    "knowledge:entry": Rule(KB_READ, obj="entry"),
    # The entry is the expert's own, so the expert may edit it too.
    "knowledge:edit": Rule(Perm.KNOWLEDGE_EDIT, obj="entry"),
    "knowledge:retire": Rule(Perm.KNOWLEDGE_EDIT, post=True, obj="entry"),
    # analytics (the agency sees the aggregates; reports and settings are refused to it)
    "analytics:dashboard": Rule(Perm.ANALYTICS_VIEW),
    "analytics:fans": Rule(Perm.ANALYTICS_VIEW),
    "analytics:reports": Rule(Perm.REPORTS_VIEW),
    "analytics:report": Rule(Perm.REPORTS_VIEW, kwargs={"kind": "daily"}),
    "analytics:report_download": Rule(Perm.REPORTS_VIEW, kwargs={"kind": "daily", "fmt": "html"}),
    "analytics:settings": Rule(Perm.CHANNELS_MANAGE),
    # monitoring
    "monitoring:incidents": Rule(Perm.ITEMS_VIEW),
    "monitoring:incident": Rule(Perm.ITEMS_VIEW, obj="incident"),
    "monitoring:incident_state": Rule(Perm.INCIDENTS_MANAGE, post=True, obj="incident"),
    "monitoring:incident_event": Rule(Perm.INCIDENTS_MANAGE, post=True, obj="incident"),
    "monitoring:incident_report": Rule(Perm.ITEMS_VIEW, obj="incident"),
    "monitoring:incident_report_pdf": Rule(Perm.ITEMS_VIEW, obj="incident"),
    "monitoring:topics": Rule(Perm.ITEMS_VIEW),
    "monitoring:topic": Rule(Perm.ITEMS_VIEW, obj="topic"),
    # channels
    "channels:list": Rule(Perm.CHANNELS_MANAGE),
    "channels:add": Rule(Perm.CHANNELS_MANAGE, kwargs={"kind": "webhook"}),
    "channels:edit": Rule(Perm.CHANNELS_MANAGE, obj="channel"),
    "channels:test": Rule(Perm.CHANNELS_MANAGE, post=True, obj="channel"),
    "channels:toggle": Rule(Perm.CHANNELS_MANAGE, post=True, obj="channel"),
    # content
    "content:list": Rule(Perm.DRAFTS_EDIT),
    "content:create": Rule(Perm.DRAFTS_EDIT),
    "content:check": Rule(Perm.DRAFTS_EDIT, post=True),
    "content:calendar": Rule(Perm.POSTS_VIEW),
    "content:keynote": Rule(Perm.KEYNOTE_MANAGE),
    "content:draft": Rule(Perm.DRAFTS_EDIT, obj="draft"),
    "content:edit": Rule(Perm.DRAFTS_EDIT, obj="draft"),
    "content:submit": Rule(Perm.DRAFTS_EDIT, post=True, obj="draft"),
    "content:reject": Rule(Perm.DRAFTS_REVIEW, post=True, obj="draft"),
    "content:approve": Rule(Perm.CONTENT_PUBLISH, post=True, obj="draft"),
    "content:schedule": Rule(Perm.CONTENT_PUBLISH, post=True, obj="draft"),
    "content:publish": Rule(Perm.CONTENT_PUBLISH, post=True, obj="draft"),
    "content:reschedule": Rule(Perm.CONTENT_PUBLISH, post=True, obj="draft"),
    # partners: cards show public items; the directory and card moves are DIRECTORY_MANAGE
    "partners:cards": Rule(Perm.ITEMS_VIEW),
    "partners:card": Rule(Perm.ITEMS_VIEW, obj="opportunity"),
    "partners:card_move": Rule(Perm.DIRECTORY_MANAGE, post=True, obj="opportunity"),
    "partners:card_assign": Rule(Perm.DIRECTORY_MANAGE, post=True, obj="opportunity"),
    "partners:directory": Rule(Perm.DIRECTORY_MANAGE),
    "partners:import": Rule(Perm.DIRECTORY_MANAGE, post=True),
    "partners:default_owner": Rule(Perm.DIRECTORY_MANAGE, post=True),
    "partners:contact": Rule(Perm.DIRECTORY_MANAGE, obj="contact"),
    "partners:contact_remove": Rule(Perm.DIRECTORY_MANAGE, post=True, obj="contact"),
    # assist (AI drafts): the permission of the data behind each draft; the key is owner-only
    "assist:settings": Rule(Perm.TOKENS_MANAGE),
    "assist:reply": Rule(Perm.INBOX_REPLY, post=True, obj="conversation"),
    "assist:statement": Rule(Perm.INCIDENTS_MANAGE, post=True, obj="incident"),
    "assist:summary": Rule(Perm.INCIDENTS_MANAGE, post=True, obj="incident"),
    "assist:statement_use": Rule(Perm.INCIDENTS_MANAGE, post=True),
    "assist:report_summary": Rule(Perm.DRAFTS_REVIEW, post=True, kwargs={"kind": "weekly"}),
    # campaigns: the plan is read by planners and report readers; the agency plans; the live
    # discussion shows public items; instant posts need CONTENT_PUBLISH (and being on duty)
    "campaigns:list": Rule((Perm.CAMPAIGNS_PLAN, Perm.REPORTS_VIEW)),
    "campaigns:create": Rule(Perm.CAMPAIGNS_PLAN),
    "campaigns:detail": Rule((Perm.CAMPAIGNS_PLAN, Perm.REPORTS_VIEW), obj="campaign"),
    "campaigns:edit": Rule(Perm.CAMPAIGNS_PLAN, obj="campaign"),
    "campaigns:duty": Rule(Perm.CAMPAIGNS_MANAGE, post=True, obj="campaign"),
    "campaigns:event_add": Rule(Perm.CAMPAIGNS_PLAN, post=True, obj="campaign"),
    "campaigns:live": Rule(Perm.ITEMS_VIEW, obj="campaign"),
    "campaigns:instant": Rule(Perm.CONTENT_PUBLISH, post=True, obj="campaign"),
    "campaigns:report": Rule(Perm.REPORTS_VIEW, obj="campaign"),
    "campaigns:report_csv": Rule(Perm.REPORTS_VIEW, obj="campaign"),
    "campaigns:report_pdf": Rule(Perm.REPORTS_VIEW, obj="campaign"),
    "campaigns:event_remove": Rule(Perm.CAMPAIGNS_PLAN, post=True, obj="event"),
    "campaigns:timeline_add": Rule(Perm.CAMPAIGNS_PLAN, post=True, obj="event"),
    # Weibo accounts: connect / re-authorise (OAuth); the owner's
    "accounts:list": Rule(Perm.TOKENS_MANAGE),
    "accounts:connect": Rule(Perm.TOKENS_MANAGE, post=True),
    "accounts:callback": Rule(Perm.TOKENS_MANAGE),
    # access (audit log, members)
    "access:audit": Rule(Perm.AUDIT_VIEW),
    "access:audit_export": Rule(Perm.AUDIT_VIEW),
    "access:members": Rule(Perm.MEMBERS_MANAGE),
    "access:member_role": Rule(Perm.MEMBERS_MANAGE, post=True, obj="membership"),
    # api: token pages on the desk, then the bearer-token REST API
    "api:tokens": Rule(Perm.TOKENS_MANAGE),
    "api:token_revoke": Rule(Perm.TOKENS_MANAGE, post=True, obj="token"),
    "api:openapi": Rule(LOGIN, api=True),
    "api:me": Rule(LOGIN, api=True),
    "api:items": Rule(Perm.ITEMS_VIEW, api=True),
    "api:item": Rule(Perm.ITEMS_VIEW, api=True, obj="item"),
    "api:incidents": Rule(Perm.ITEMS_VIEW, api=True),
    "api:incident": Rule(Perm.ITEMS_VIEW, api=True, obj="incident"),
    "api:incident_acknowledge": Rule(Perm.INCIDENTS_MANAGE, api=True, post=True, obj="incident"),
    "api:conversations": Rule(Perm.ITEMS_VIEW, api=True),
}


def project_routes() -> dict[str, list[str]]:
    """Every named route of the project with its URL kwargs, admin and the like left out."""
    found: dict[str, list[str]] = {}

    def walk(patterns, namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = p.namespace or ""
                if ns in EXCLUDED_NAMESPACES:
                    continue
                walk(p.url_patterns, f"{namespace}{ns}:" if ns else namespace)
            elif isinstance(p, URLPattern):
                assert p.name, f"unnamed route {p.pattern} cannot be placed in the matrix"
                if p.name in EXCLUDED_NAMES and not namespace:
                    continue
                found[f"{namespace}{p.name}"] = list(p.pattern.converters)

    walk(get_resolver().url_patterns, "")
    return found


def test_every_route_is_placed_in_the_matrix():
    missing = sorted(set(project_routes()) - set(ROUTES))
    assert not missing, (
        f"routes not placed in the permission matrix: {missing}; add each to ROUTES in "
        f"{__file__} with the Perm it needs")


def test_the_matrix_names_only_routes_that_exist():
    routes = project_routes()
    # A window whose URLs are not included yet (no route of its namespace) is not stale: its
    # entries wait here so that including it does not fail this test.
    routed = {name.partition(":")[0] for name in routes}
    stale = sorted(n for n in set(ROUTES) - set(routes) if n.partition(":")[0] in routed)
    assert not stale, f"ROUTES names routes the project no longer has: {stale}"


@pytest.fixture
def objects(workspace, cast) -> dict[str, Any]:
    """One real object of each kind the URLs point at, in ``workspace``."""
    from inhouse.channels import actions as channels
    from inhouse.inbox import actions as inbox
    from inhouse.inbox.intake import intake as inbox_intake
    from inhouse.inbox.models import Conversation
    from inhouse.knowledge import actions as knowledge
    from inhouse.monitoring.intake import intake as monitoring_intake
    from inhouse.monitoring.models import Incident, Topic
    from inhouse.pipeline.route import route_items
    from tests.inbox import factories as f
    from tests.monitoring.factories import viral_thread

    brand = f.official(workspace)
    post = f.item(workspace, "post", 0, "新品鹿角脆上市啦！", by=brand)
    fan = f.author("1001", "顾客")
    comment = f.item(workspace, "comment", 5, "请问鹿角脆含花生吗？", by=fan, parent=post,
                     intent="consultation")
    # A second thread is escalated to the expert, who may then read that one (not the first).
    other = f.item(workspace, "post", 10, "周末福利来啦", by=brand)
    asked = f.item(workspace, "comment", 15, "福利怎么领？", by=f.author("1002"), parent=other,
                   intent="consultation")
    route_items([post.pk, comment.pk, other.pk, asked.pk], registry=[("inbox", inbox_intake)])
    conversation, escalated = Conversation.objects.filter(kind="comment-thread").order_by("pk")
    escalation = inbox.escalate_to_expert(escalated, cast["expert"], "福利怎么领？",
                                          by=cast["owner"])
    Topic.objects.create(workspace=workspace, name="brand", query="小鹿零食",
                         settings={"detectors": ["viral"]})
    monitoring_intake(viral_thread(workspace))
    incident = Incident.objects.get()
    entry = knowledge.create_entry(workspace, cast["owner"], question="含花生吗？",
                                   answer="不含花生。", owner=cast["expert"])
    channel = channels.add_channel(workspace, cast["owner"], kind="wecom", name="PR",
                                   values={"url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"})
    made = {"item": post, "conversation": conversation, "escalation": escalation,
            "customer": fan, "incident": incident, "topic": incident.topic, "entry": entry,
            "channel": channel, "membership": cast["viewer"].memberships.get()}
    if "inhouse.content" in settings.INSTALLED_APPS:
        from inhouse.content import actions as content

        made["draft"] = content.create_draft(workspace, cast["agency"], "鹿角脆新口味，周五见！")
    if "inhouse.partners" in settings.INSTALLED_APPS:
        from inhouse.partners import actions as partners
        from inhouse.partners.intake import intake as partners_intake

        made["contact"] = partners.add_contact(workspace, cast["owner"], name="暖风家电", category="partner",
                                               weibo_uid="1001")
        partners_intake([comment])  # 顾客 (uid 1001) is now a directory account: one card
        made["opportunity"] = made["contact"].opportunities.get()
    if "inhouse.campaigns" in settings.INSTALLED_APPS:
        import datetime as dt

        from inhouse.campaigns import actions as campaigns

        made["campaign"] = campaigns.create_campaign(
            workspace, cast["agency"], name="暖冬零食节", hashtag="#小鹿暖冬零食节#",
            starts_at=dt.datetime(2026, 11, 20, tzinfo=dt.UTC), ends_at=dt.datetime(2026, 11, 23, tzinfo=dt.UTC))
        made["event"] = campaigns.add_event(
            made["campaign"], cast["agency"], name="快闪店", starts_at=dt.datetime(2026, 11, 22, 6, tzinfo=dt.UTC),
            ends_at=dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC))
    if "inhouse.api" in settings.INSTALLED_APPS:
        from inhouse.api.tokens import issue

        made["token"], _ = issue(cast["viewer"], workspace, ["items:read"], by=cast["owner"],
                                 name="matrix")
    return made


def _url(name: str, rule: Rule, converters: list[str], objects: dict[str, Any]) -> tuple[str, bool]:
    """The route's URL, and whether it points at a real object."""
    kwargs = dict(rule.kwargs)
    real = True
    for kw in converters:
        if kw not in kwargs:
            kwargs[kw] = objects[rule.obj].pk if rule.obj else MISSING_PK
            real = real and bool(rule.obj)
    return reverse(name, kwargs=kwargs), real


def _snapshot(obj: Any) -> dict | None:
    if obj is None:
        return None
    obj.refresh_from_db()
    return model_to_dict(obj)


@pytest.fixture
def api_tokens(workspace, cast) -> dict[str, str]:
    if "inhouse.api" not in settings.INSTALLED_APPS:
        return {}
    from inhouse.api.scopes import SCOPES
    from inhouse.api.tokens import issue

    return {role: issue(cast[role], workspace, list(SCOPES), by=cast["owner"], name="all")[1]
            for role in Role.values}


def test_each_role_gets_exactly_what_the_matrix_allows(client, cast, objects, api_tokens,
                                                       django_user_model):
    # Someone with an account but no membership in any workspace: refused everywhere.
    cast = {**cast, "stranger": django_user_model.objects.create_user("stranger", password="x")}
    problems: list[str] = []
    routes = project_routes()
    for name in sorted(routes):
        rule = ROUTES.get(name)
        if rule is None:
            continue  # reported by test_every_route_is_placed_in_the_matrix
        url, real = _url(name, rule, routes[name], objects)
        problems += _check_route(client, cast, name, rule, url, real, objects, api_tokens)
    assert not problems, "matrix violations:\n" + "\n".join(problems)


def _check_route(client, cast, name, rule, url, real, objects, api_tokens) -> list[str]:
    problems = []
    send = client.post if rule.post else client.get
    client.logout()
    anonymous = send(url)
    if rule.api:
        if anonymous.status_code != 401 and name != "api:openapi":
            problems.append(f"{name} anonymous: {anonymous.status_code}, expected 401")
    elif anonymous.status_code != 302 or "/login/" not in anonymous["Location"]:
        problems.append(f"{name} anonymous: {anonymous.status_code}, expected a login redirect")
    for role in [*Role.values, "stranger"]:
        if rule.api and role == "stranger":
            continue  # a token cannot be issued to a non-member
        allowed = rule.allows(role)
        if rule.post and allowed:
            continue
        if rule.api:
            headers = {"HTTP_AUTHORIZATION": f"Bearer {api_tokens[role]}"}
        else:
            headers = {}
            client.force_login(cast[role])  # audited itself: count after it
        target = objects.get(rule.obj) if rule.obj else None
        before, audited = _snapshot(target), AuditEntry.objects.count()
        response = send(url, **headers)
        status = response.status_code
        if allowed:
            expected = {200} if real else {404}
            if status not in expected:
                problems.append(f"{name} {role}: {status}, expected {sorted(expected)} (allowed)")
            continue
        refusals = {403, 404} if rule.hides else {403}
        if status not in refusals:
            problems.append(f"{name} {role}: {status}, expected {sorted(refusals)} (refused)")
        if rule.post and (AuditEntry.objects.count() != audited or _snapshot(target) != before):
            problems.append(f"{name} {role}: a refused POST changed state")
    return problems
