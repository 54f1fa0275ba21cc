"""The knowledge pages render for those who answer customers and refuse the rest."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from inhouse.knowledge import actions
from inhouse.knowledge.models import Entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(workspace, cast):
    return actions.create_entry(workspace, cast["operator"], question="鹿角脆多少钱",
                                answer="官方旗舰店售价12.9元。", variants=["鹿角脆的价格"],
                                owner=cast["expert"], valid_until=dt.date(2099, 1, 1))


def login(client, cast, role):
    client.force_login(cast[role])
    return client


def test_list_search_and_entry_page(client, cast, entry):
    login(client, cast, "operator")
    page = client.get("/knowledge/?q=鹿角脆")
    assert page.status_code == 200 and "鹿角脆多少钱" in page.content.decode()
    assert "鹿角脆多少钱" not in client.get("/knowledge/?q=快递").content.decode()
    partial = client.get("/knowledge/?q=鹿角脆", HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode() and "鹿角脆多少钱" in partial.content.decode()
    detail = client.get(f"/knowledge/{entry.pk}/").content.decode()
    assert "官方旗舰店售价12.9元" in detail and "v1" in detail


def test_create_and_edit_through_the_form(client, cast, workspace):
    login(client, cast, "operator")
    assert client.get("/knowledge/new/").status_code == 200
    response = client.post("/knowledge/new/", {"question": "发什么快递", "answer": "顺丰",
                                               "variants": "用什么快递\n快递是哪家", "tags": "", "owner": "",
                                               "valid_until": ""})
    entry = Entry.objects.get(question="发什么快递")
    assert response.status_code == 302 and entry.variants == ["用什么快递", "快递是哪家"]
    client.post(f"/knowledge/{entry.pk}/edit/", {"question": "发什么快递", "answer": "顺丰或中通",
                                                  "variants": "", "tags": "", "owner": "", "valid_until": ""})
    entry.refresh_from_db()
    assert entry.answer == "顺丰或中通" and entry.versions.count() == 2
    client.post(f"/knowledge/{entry.pk}/retire/")
    entry.refresh_from_db()
    assert not entry.active


def test_form_shows_errors_instead_of_saving(client, cast):
    login(client, cast, "operator")
    response = client.post("/knowledge/new/", {"question": "", "answer": ""})
    assert response.status_code == 200 and not Entry.objects.exists()


def test_expert_may_not_open_the_edit_page_of_anothers_entry(client, cast, workspace, entry):
    other = actions.create_entry(workspace, cast["operator"], question="发什么快递", answer="顺丰")
    login(client, cast, "expert")
    assert client.get(f"/knowledge/{entry.pk}/edit/").status_code == 200
    assert client.get(f"/knowledge/{other.pk}/edit/").status_code == 403
    assert client.post(f"/knowledge/{other.pk}/retire/").status_code == 403


@pytest.mark.parametrize("role", ["agency"])
def test_agency_sees_no_knowledge_page(client, cast, entry, role):
    login(client, cast, role)
    for url in ("/knowledge/", f"/knowledge/{entry.pk}/", "/knowledge/try/?q=x", "/knowledge/new/"):
        assert client.get(url).status_code == 403, url


def test_viewer_reads_but_cannot_edit(client, cast, entry):
    login(client, cast, "viewer")
    assert client.get("/knowledge/").status_code == 200
    assert client.get("/knowledge/new/").status_code == 403
    assert client.get("/knowledge/import/").status_code == 403


def test_import_page_reports_each_bad_line(client, cast):
    login(client, cast, "operator")
    upload = SimpleUploadedFile("faq.csv", "id,question,answer\na,鹿角脆多少钱,12.9元\nb,,x\n".encode())
    page = client.post("/knowledge/import/", {"file": upload}).content.decode()
    assert "faq.csv: line 3: field &#x27;question&#x27;: empty" in page
    assert Entry.objects.filter(external_id="a").exists()


def test_try_a_question_shows_the_suggestion_via_htmx(client, cast, entry):
    login(client, cast, "operator")
    assert client.get("/knowledge/try/").status_code == 200
    partial = client.get("/knowledge/try/?q=请问鹿角脆多少钱？", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "官方旗舰店售价12.9元" in partial
    nothing = client.get("/knowledge/try/?q=今天天气真好", HTTP_HX_REQUEST="true").content.decode()
    assert "<article" not in nothing and 'data-testid="suggestions"' in nothing
