"""The partner pages: cards for those who read items, the directory for those who manage it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from inhouse.partners import actions
from inhouse.partners.intake import intake
from inhouse.partners.models import CardState, Contact, Opportunity
from tests.inbox import factories as f

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def card(workspace, cast):
    actions.add_contact(workspace, cast["owner"], name="暖风家电", category="partner",
                        weibo_uid="2002", owner=cast["operator"])
    post = f.item(workspace, "post", 0, "暖冬零食节", by=f.official(workspace))
    intake([f.item(workspace, "comment", 5, "一起加油！", by=f.author("2002", "暖风家电官方"), parent=post)])
    return Opportunity.objects.get()


def test_the_owner_sees_the_new_card_until_opening_it(client, cast, card):
    client.force_login(cast["operator"])
    page = client.get("/partners/", **EN)
    assert "1 new card assigned to you." in page.content.decode() and "暖风家电" in page.content.decode()
    assert "一起加油！" in client.get(f"/partners/cards/{card.pk}/", **EN).content.decode()
    card.refresh_from_db()
    assert card.seen_at is not None
    assert "new card assigned" not in client.get("/partners/", **EN).content.decode()


def test_moving_a_card_from_its_page(client, cast, card):
    client.force_login(cast["operator"])
    client.post(f"/partners/cards/{card.pk}/move/", {"state": "contacted"})
    card.refresh_from_db()
    assert card.state == CardState.CONTACTED
    page = client.post(f"/partners/cards/{card.pk}/move/", {"state": "dropped"}, follow=True, **EN)
    assert "say why" in page.content.decode()
    client.post(f"/partners/cards/{card.pk}/assign/", {"owner": cast["owner"].pk})
    card.refresh_from_db()
    assert card.owner == cast["owner"] and card.state == CardState.CONTACTED


def test_the_viewer_reads_cards_without_move_buttons(client, cast, card):
    client.force_login(cast["viewer"])
    page = client.get(f"/partners/cards/{card.pk}/").content.decode()
    assert 'data-testid="card-moves"' not in page
    assert client.post(f"/partners/cards/{card.pk}/move/", {"state": "contacted"}).status_code == 403


def test_directory_add_edit_import_and_remove(client, cast, workspace):
    client.force_login(cast["operator"])
    client.post("/partners/directory/", {"name": "食品产业观察", "category": "media",
                                         "weibo_uid": "7390000012", "owner": cast["operator"].pk})
    contact = Contact.objects.get()
    client.post(f"/partners/directory/{contact.pk}/", {"name": "食品产业观察", "category": "media",
                                                      "weibo_uid": "7390000012", "notes": "行业媒体"})
    contact.refresh_from_db()
    assert contact.notes == "行业媒体" and contact.owner is None
    upload = SimpleUploadedFile("d.csv", "name,category,weibo_uid\n鹿鸣坚果,competitor,7390000031\n".encode())
    client.post("/partners/directory/import/", {"file": upload})
    assert Contact.objects.count() == 2
    bad = SimpleUploadedFile("bad.csv", "name,category\n甲,supplier\n".encode())
    page = client.post("/partners/directory/import/", {"file": bad}, follow=True, **EN).content.decode()
    assert "bad.csv line 2, category" in page
    client.post(f"/partners/directory/{contact.pk}/remove/")
    assert list(Contact.objects.values_list("name", flat=True)) == ["鹿鸣坚果"]


def test_the_home_panel_figures(card, workspace, cast):
    from inhouse.partners.queries import radar

    figures = radar(workspace, cast["operator"])
    assert (figures.new, figures.open, figures.unread_mine, figures.latest) == (1, 1, 1, [card])
    actions.mark_contacted(card, cast["operator"])
    assert radar(workspace, cast["owner"]).new == 0 and radar(workspace, cast["owner"]).unread_mine == 0


def test_the_pages_speak_chinese_by_default(client, cast, card):
    client.force_login(cast["operator"])
    assert "有 1 张新卡片指派给你。" in client.get("/partners/").content.decode()
    assert "添加到名录" in client.get("/partners/directory/").content.decode()
