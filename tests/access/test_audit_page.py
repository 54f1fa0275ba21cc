"""The owner's audit log page: what it lists, its filters and the CSV export."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from inhouse.access.actions import audit
from inhouse.access.models import AuditEntry
from inhouse.core.models import Workspace

pytestmark = pytest.mark.usefixtures("access_routed")


def _rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")  # Excel reads UTF-8 only with the BOM
    return list(csv.reader(io.StringIO(body[1:])))


def test_the_owner_sees_the_workspace_entries_and_members_logins_only(client, workspace, cast):
    other = Workspace.objects.create(name="别家", slug="other")
    audit(workspace, cast["operator"], "inbox.reply", "conversation:1", after="您好")
    audit(other, None, "inbox.reply", "conversation:99", after="别家的回复")
    client.force_login(cast["operator"])  # audited as a login without a workspace
    client.force_login(cast["owner"])
    html = client.get("/access/audit/").content.decode()
    assert "conversation:1" in html and "user:operator" in html
    assert "conversation:99" not in html


def test_filters_by_action_actor_and_date(client, workspace, cast):
    audit(workspace, cast["operator"], "inbox.reply", "conversation:1")
    audit(workspace, cast["operator"], "inbox.close", "conversation:2")
    audit(workspace, cast["owner"], "role.set", "user:5", before="viewer", after="operator")
    old = audit(workspace, cast["owner"], "channel.add", "channel:1")
    AuditEntry.objects.filter(pk=old.pk).update(at=timezone.now() - dt.timedelta(days=40))
    client.force_login(cast["owner"])

    def targets(**params) -> set[str]:
        page = client.get("/access/audit/", params).context["page"]
        return {e.target for e in page.object_list if e.action != "login"}

    assert targets(action="inbox") == {"conversation:1", "conversation:2"}
    assert targets(action="inbox.close") == {"conversation:2"}
    assert targets(actor="owner") == {"user:5", "channel:1"}
    since = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    assert "channel:1" not in targets(since=since)
    until = (timezone.localdate() - dt.timedelta(days=30)).isoformat()
    assert targets(until=until) == {"channel:1"}


def test_export_is_csv_with_the_same_filters_and_no_formula_cells(client, workspace, cast):
    audit(workspace, cast["operator"], "inbox.reply", "conversation:1", after="=HYPERLINK(1)")
    audit(workspace, cast["owner"], "role.set", "user:5", before="viewer", after="operator")
    client.force_login(cast["owner"])
    response = client.get("/access/audit/export.csv", {"action": "inbox"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    header, *rows = _rows(response)
    assert header == ["at", "actor", "action", "target", "before", "after"]
    assert [r[2] for r in rows] == ["inbox.reply"]
    assert rows[0][5] == "'=HYPERLINK(1)"  # neutralised for spreadsheets


def test_a_bad_date_filter_shows_the_form_error_instead_of_failing(client, workspace, cast):
    client.force_login(cast["owner"])
    response = client.get("/access/audit/", {"since": "not-a-date"})
    assert response.status_code == 200
    assert response.context["form"].errors["since"]
