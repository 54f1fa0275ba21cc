"""The workspace a desk request works in, and what the user's role lets them see there.

Every desk view is wrapped in :func:`desk_view`: it requires a login, finds the user's
memberships, picks the one chosen in the session (or the first), and puts a :class:`Desk` on
``request.desk``. A user with no membership gets a page that says so instead of an error.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from inhouse.access.models import Membership
from inhouse.access.permissions import Perm, role_has
from inhouse.core.models import Workspace

SESSION_KEY = "inhouse_workspace_id"


@dataclass(frozen=True)
class Desk:
    membership: Membership
    memberships: list[Membership]

    @property
    def workspace(self) -> Workspace:
        return self.membership.workspace

    @property
    def role(self) -> str:
        return self.membership.role

    @property
    def role_label(self) -> str:
        return self.membership.get_role_display()

    def can(self, perm: Perm) -> bool:
        return role_has(self.role, perm)

    # Shorthands for templates, which cannot pass arguments.
    @property
    def can_view_items(self) -> bool:
        return self.can(Perm.ITEMS_VIEW)

    @property
    def can_view_messages(self) -> bool:
        return self.can(Perm.MESSAGES_VIEW)

    @property
    def can_view_audit(self) -> bool:
        return self.can(Perm.AUDIT_VIEW)

    @property
    def can_manage_members(self) -> bool:
        return self.can(Perm.MEMBERS_MANAGE)

    @property
    def can_see_campaigns(self) -> bool:
        return self.can(Perm.CAMPAIGNS_PLAN) or self.can(Perm.REPORTS_VIEW)

    @property
    def can_correct_analysis(self) -> bool:
        return self.can(Perm.INBOX_REPLY)

    @property
    def can_manage_channels(self) -> bool:
        return self.can(Perm.CHANNELS_MANAGE)

    @property
    def can_view_analytics(self) -> bool:
        return self.can(Perm.ANALYTICS_VIEW)

    @property
    def can_manage_tokens(self) -> bool:
        return self.can(Perm.TOKENS_MANAGE)

    @property
    def can_edit_drafts(self) -> bool:
        return self.can(Perm.DRAFTS_EDIT)

    @property
    def can_view_posts(self) -> bool:
        return self.can(Perm.POSTS_VIEW)

    @property
    def can_answer_escalations(self) -> bool:
        return self.can(Perm.ESCALATED_ANSWER)

    @property
    def can_edit_knowledge(self) -> bool:
        return self.can(Perm.KNOWLEDGE_EDIT)

    @property
    def sees_customer_service(self) -> bool:
        # The waiting consultations are the inbox's figure: for those who answer or read it,
        # not for the agency or an expert (who sees only what is escalated to them).
        return self.can(Perm.INBOX_REPLY) or self.can(Perm.ITEMS_VIEW)


def desk_for(request: HttpRequest) -> Desk | None:
    """The user's desk for this request, or None when they belong to no workspace."""
    memberships = list(
        Membership.objects.filter(user=request.user)
        .select_related("workspace")
        .order_by("workspace__name", "workspace_id")
    )
    if not memberships:
        return None
    chosen = request.session.get(SESSION_KEY)
    current = next((m for m in memberships if m.workspace_id == chosen), memberships[0])
    return Desk(membership=current, memberships=memberships)


def choose_workspace(request: HttpRequest, workspace_id: int) -> bool:
    """Remember ``workspace_id`` for this session if the user is a member of it."""
    if not Membership.objects.filter(user=request.user, workspace_id=workspace_id).exists():
        return False
    request.session[SESSION_KEY] = workspace_id
    return True


def desk_view(
    view: Callable[..., HttpResponse] | None = None, *, perm: Perm = Perm.DASHBOARD_VIEW
):
    """Login required, then ``request.desk`` set; the no-membership page, or a page saying
    the role lacks ``perm``. Use bare (``@desk_view``) or with ``perm=``."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            desk = desk_for(request)
            if desk is None:
                return render(request, "web/no_membership.html", status=403)
            request.desk = desk
            if not desk.can(perm):
                return render(request, "web/not_allowed.html", status=403)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate(view) if view is not None else decorate
