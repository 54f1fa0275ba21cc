"""Token scopes and the role permission each one also needs.

A request passes only when the token holds the scope AND the token's user still holds the
permission in the workspace (``role_has``): a scope never widens a role, and demoting a member
narrows their tokens at once.
"""

from __future__ import annotations

from inhouse.access.permissions import Perm

SCOPES: dict[str, tuple[Perm, str]] = {
    "items:read": (Perm.ITEMS_VIEW, "Read items (posts, comments, reposts; messages if the role may)."),
    "incidents:read": (Perm.ITEMS_VIEW, "Read monitoring incidents."),
    "incidents:write": (Perm.INCIDENTS_MANAGE, "Acknowledge incidents."),
    "inbox:read": (Perm.ITEMS_VIEW, "Read inbox conversations (messages if the role may)."),
}
