"""Entries change only through actions: roles checked, every change versioned and audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from inhouse.access.models import AuditEntry
from inhouse.knowledge import actions
from inhouse.knowledge.models import Entry
from inhouse.knowledge.suggest import suggest_for

pytestmark = pytest.mark.django_db


def make(workspace, user, question="鹿角脆多少钱", **kw) -> Entry:
    kw.setdefault("answer", "官方旗舰店售价12.9元。")
    return actions.create_entry(workspace, user, question=question, **kw)


def test_operator_creates_an_entry_with_version_and_audit(workspace, cast):
    entry = make(workspace, cast["operator"], variants=["鹿角脆的价格", " ", "鹿角脆的价格"], tags=["鹿角脆"])
    assert entry.variants == ["鹿角脆的价格"]
    version = entry.versions.get()
    assert (version.number, version.change, version.author) == (1, "created", cast["operator"])
    assert version.snapshot["question"] == "鹿角脆多少钱"
    audit = AuditEntry.objects.get(action="knowledge.created")
    assert audit.target == f"kb_entry:{entry.pk}" and audit.actor == cast["operator"]


@pytest.mark.parametrize("role", ["agency", "viewer"])
def test_agency_and_viewer_cannot_create(workspace, cast, role):
    with pytest.raises(PermissionDenied):
        make(workspace, cast[role])
    assert not Entry.objects.exists()


@pytest.mark.parametrize("role", ["agency", "viewer"])
def test_agency_and_viewer_cannot_edit_or_retire(workspace, cast, role):
    entry = make(workspace, cast["owner"])
    with pytest.raises(PermissionDenied):
        actions.update_entry(entry, cast[role], answer="改了")
    with pytest.raises(PermissionDenied):
        actions.retire_entry(entry, cast[role])


def test_an_outsider_cannot_edit(workspace, cast, django_user_model):
    stranger = django_user_model.objects.create_user(username="stranger", password="x")
    with pytest.raises(PermissionDenied):
        make(workspace, stranger)


def test_expert_owns_what_they_create_and_edits_only_their_own(workspace, cast):
    own = make(workspace, cast["expert"])
    assert own.owner == cast["expert"]
    actions.update_entry(own, cast["expert"], answer="售价12.9元，活动价以页面为准。")
    others = make(workspace, cast["operator"], question="发什么快递")
    with pytest.raises(PermissionDenied, match="only the entries they own"):
        actions.update_entry(others, cast["expert"], answer="顺丰")
    with pytest.raises(PermissionDenied):
        actions.retire_entry(others, cast["expert"])


def test_expert_cannot_create_for_or_hand_over_to_someone_else(workspace, cast):
    with pytest.raises(PermissionDenied):
        make(workspace, cast["expert"], owner=cast["operator"])
    own = make(workspace, cast["expert"])
    with pytest.raises(PermissionDenied):
        actions.update_entry(own, cast["expert"], owner=cast["operator"])


def test_every_change_is_a_new_version_with_a_full_snapshot(workspace, cast):
    entry = make(workspace, cast["operator"], owner=cast["expert"])
    actions.update_entry(entry, cast["expert"], answer="新答案", variants=["鹿角脆价格"])
    actions.update_entry(entry, cast["expert"], answer="新答案")  # no change: no version
    actions.retire_entry(entry, cast["operator"])
    versions = list(entry.versions.order_by("number"))
    assert [(v.number, v.change) for v in versions] == [(1, "created"), (2, "updated"), (3, "retired")]
    assert versions[1].snapshot["answer"] == "新答案" and versions[1].snapshot["variants"] == ["鹿角脆价格"]
    assert versions[2].snapshot["active"] is False
    assert AuditEntry.objects.filter(target=f"kb_entry:{entry.pk}").count() == 3
    updated = AuditEntry.objects.get(action="knowledge.updated")
    assert updated.before["answer"] == "官方旗舰店售价12.9元。" and updated.after["answer"] == "新答案"


def test_an_entry_needs_a_question_and_an_answer(workspace, cast):
    with pytest.raises(ValidationError):
        make(workspace, cast["operator"], question="  ")
    with pytest.raises(ValidationError):
        make(workspace, cast["operator"], answer="")


def test_owner_must_be_a_member(workspace, cast, django_user_model):
    outsider = django_user_model.objects.create_user(username="out", password="x")
    with pytest.raises(ValidationError):
        make(workspace, cast["operator"], owner=outsider)


CSV = ("id,question,answer,variants,tags,valid_until\n"
       "p1,鹿角脆多少钱,12.9元,鹿角脆的价格,鹿角脆,\n"
       "p2,,没有问题,,,\n"
       "p3,发什么快递,顺丰或中通,,,2099-01-01\n"
       "p4,活动几点开始,14:00,,,明天\n")


def test_import_creates_then_updates_and_reports_bad_lines(workspace, cast):
    report = actions.import_entries_csv(workspace, cast["operator"], CSV.splitlines(True), "kb.csv")
    assert (report.created, report.updated) == (2, 0)
    assert [str(e) for e in report.errors] == [
        "kb.csv: line 3: field 'question': empty; every entry needs an id, a question and an answer",
        "kb.csv: line 5: field 'valid_until': '明天' is not a date; write YYYY-MM-DD",
    ]
    assert Entry.objects.get(external_id="p3").valid_until == dt.date(2099, 1, 1)
    again = actions.import_entries_csv(workspace, cast["operator"],
                                       CSV.replace("12.9元", "13.9元").splitlines(True), "kb.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 1, 1)
    entry = Entry.objects.get(external_id="p1")
    assert entry.answer == "13.9元"
    assert [v.change for v in entry.versions.order_by("number")] == ["imported", "imported"]


def test_expert_import_cannot_touch_another_experts_entry(workspace, cast):
    actions.import_entries_csv(workspace, cast["operator"], CSV.splitlines(True), "kb.csv")
    report = actions.import_entries_csv(workspace, cast["expert"],
                                        CSV.replace("12.9元", "1元").splitlines(True), "kb.csv")
    assert any("p1" in str(e) and "another expert" in str(e) for e in report.errors)
    assert Entry.objects.get(external_id="p1").answer == "12.9元"


def test_viewer_cannot_import(workspace, cast):
    with pytest.raises(PermissionDenied):
        actions.import_entries_csv(workspace, cast["viewer"], CSV.splitlines(True))


def test_suggest_for_applies_threshold_and_follows_changes(workspace, cast):
    entry = make(workspace, cast["operator"], variants=["鹿角脆的价格"], tags=["鹿角脆"])
    make(workspace, cast["operator"], question="发什么快递，几天到", answer="顺丰，2-4天。")
    got = suggest_for(workspace, "鹿角脆多少钱")
    assert got and got[0].entry == entry and 0 < got[0].score <= 1
    assert suggest_for(workspace, "今天天气真好") == []
    actions.update_entry(entry, cast["operator"], question="鹿角脆保质期多久", variants=[])
    assert all(s.entry != entry for s in suggest_for(workspace, "鹿角脆多少钱"))
    actions.retire_entry(entry, cast["operator"])
    assert suggest_for(workspace, "鹿角脆保质期多久") == []


def test_expired_entries_are_never_suggested(workspace, cast):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    make(workspace, cast["operator"], valid_until=yesterday)
    assert suggest_for(workspace, "鹿角脆多少钱") == []
    today = make(workspace, cast["operator"], question="鹿角脆价格多少", valid_until=timezone.localdate())
    assert [s.entry for s in suggest_for(workspace, "请问鹿角脆价格多少", top=1)] == [today]


def test_workspaces_do_not_see_each_others_entries(workspace, cast):
    from inhouse.core.models import Workspace

    make(workspace, cast["operator"])
    other = Workspace.objects.create(name="别家", slug="other")
    assert suggest_for(other, "鹿角脆多少钱") == []
