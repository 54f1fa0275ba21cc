"""The role matrix: what each role may do in its workspace.

One table, read by the web desk, the API and the CLI alike (issue 5). A permission names a
resource and a verb; a role holds a set of them. The owner holds every permission.
"""

from __future__ import annotations

from enum import StrEnum

from inhouse.access.models import Role


class Perm(StrEnum):
    DASHBOARD_VIEW = "dashboard.view"  # home page, aggregate figures
    POSTS_VIEW = "posts.view"  # the official account's published posts
    ITEMS_VIEW = "items.view"  # every public item: comments, mentions, reposts
    MESSAGES_VIEW = "messages.view"  # private messages
    CUSTOMERS_VIEW = "customers.view"  # customer profiles and history
    INBOX_REPLY = "inbox.reply"
    ESCALATED_ANSWER = "inbox.answer_escalated"  # an expert answers what was escalated to them
    KNOWLEDGE_EDIT = "knowledge.edit"
    DRAFTS_EDIT = "content.draft"  # create, revise, submit for review
    DRAFTS_REVIEW = "content.review"
    CONTENT_PUBLISH = "content.publish"  # approve and publish
    CAMPAIGNS_PLAN = "campaigns.plan"
    CAMPAIGNS_MANAGE = "campaigns.manage"
    INCIDENTS_MANAGE = "incidents.manage"
    RULES_MANAGE = "monitoring.rules"
    DIRECTORY_MANAGE = "partners.manage"
    ANALYTICS_VIEW = "analytics.view"
    REPORTS_VIEW = "reports.view"
    MEMBERS_MANAGE = "members.manage"
    CHANNELS_MANAGE = "channels.manage"
    TOKENS_MANAGE = "tokens.manage"
    KEYNOTE_MANAGE = "keynote.manage"
    AUDIT_VIEW = "audit.view"


_OPERATOR = {
    Perm.DASHBOARD_VIEW, Perm.POSTS_VIEW, Perm.ITEMS_VIEW, Perm.MESSAGES_VIEW,
    Perm.CUSTOMERS_VIEW, Perm.INBOX_REPLY, Perm.DRAFTS_EDIT, Perm.DRAFTS_REVIEW,
    Perm.CONTENT_PUBLISH, Perm.CAMPAIGNS_PLAN, Perm.CAMPAIGNS_MANAGE, Perm.INCIDENTS_MANAGE,
    Perm.RULES_MANAGE, Perm.DIRECTORY_MANAGE, Perm.ANALYTICS_VIEW, Perm.REPORTS_VIEW,
    Perm.KNOWLEDGE_EDIT,
}

MATRIX: dict[str, frozenset[Perm]] = {
    Role.OWNER: frozenset(Perm),
    Role.OPERATOR: frozenset(_OPERATOR),
    # Experts answer what is escalated to them and keep their knowledge-base entries; they
    # see the items of those conversations (checked per object by the inbox).
    Role.EXPERT: frozenset({Perm.DASHBOARD_VIEW, Perm.POSTS_VIEW, Perm.ESCALATED_ANSWER,
                            Perm.KNOWLEDGE_EDIT}),
    # The agency drafts and plans; the keynote, customers and publishing stay in-house.
    Role.AGENCY: frozenset({Perm.DASHBOARD_VIEW, Perm.POSTS_VIEW, Perm.DRAFTS_EDIT,
                            Perm.CAMPAIGNS_PLAN, Perm.ANALYTICS_VIEW}),
    Role.VIEWER: frozenset({Perm.DASHBOARD_VIEW, Perm.POSTS_VIEW, Perm.ITEMS_VIEW,
                            Perm.ANALYTICS_VIEW, Perm.REPORTS_VIEW}),
}


def role_has(role: str | None, perm: Perm) -> bool:
    """True when ``role`` holds ``perm``; an unknown or missing role holds nothing."""
    return role is not None and perm in MATRIX.get(role, frozenset())
