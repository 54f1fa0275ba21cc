"""The desk in Simplified Chinese by default or by the browser, and English on request."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from django.utils import translation

import inhouse

PACKAGE = Path(inhouse.__file__).parent
# The project's catalog and each app's own (apps keep their strings beside their code).
CATALOGS = sorted(PACKAGE.glob("**/locale/zh_Hans/LC_MESSAGES/django.po"))
by_app = pytest.mark.parametrize("po", CATALOGS, ids=lambda p: str(p.relative_to(PACKAGE)))


def test_the_desk_speaks_chinese_by_default(client, cast, week):
    client.force_login(cast["owner"])
    html = client.get("/").content.decode()
    assert '<html lang="zh-hans">' in html
    assert "客户服务" in html and "舆情" in html and "合作伙伴" in html


def test_the_browser_language_is_followed(client, cast, week):
    client.force_login(cast["owner"])
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="en">' in html
    assert "Customer service" in html and "客户服务" not in html


def test_language_switch_gives_english_and_back(client, cast, week):
    client.force_login(cast["owner"])
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/items/"})
    assert response.status_code == 302 and response["Location"] == "/items/"
    html = client.get("/items/").content.decode()
    assert '<html lang="en">' in html and "Text contains" in html
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "内容包含" in client.get("/items/").content.decode()


def test_choices_are_translated():
    with translation.override("zh-hans"):
        from inhouse.core.models import Intent, ItemKind

        assert str(ItemKind.MESSAGE.label) == "私信"
        assert str(Intent.CONSULTATION.label) == "咨询"


def test_the_project_catalog_is_among_those_checked():
    assert PACKAGE / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po" in CATALOGS


@by_app
def test_every_message_has_a_chinese_translation(po):
    text = po.read_text(encoding="utf-8")
    blocks = text.split("\n\n")[1:]
    empty = [b for b in blocks if re.search(r'^msgstr(\[0\])? ""\n?$', b.strip().splitlines()[-1])
             and not re.search(r'^"', b.strip().splitlines()[-1])]
    assert not empty, f"untranslated entries in {po}:\n" + "\n".join(empty)
    assert "#, fuzzy" not in text


def _unescape(text: str) -> str:
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(1)), text)


@by_app
def test_the_compiled_catalogue_matches_the_po_file(po):
    ids = set()
    for block in po.read_text(encoding="utf-8").split("\n\n")[1:]:
        body = "\n".join(line for line in block.splitlines() if not line.startswith("#"))
        match = re.search(r'msgid ((?:".*"\n?)+)', body)
        if match is None:  # an obsolete entry (#~), kept by makemessages, not compiled
            continue
        ids.add(_unescape("".join(re.findall(r'"(.*)"', match.group(1)))))
    with po.with_suffix(".mo").open("rb") as mo:
        catalog = gettext.GNUTranslations(mo)._catalog
    compiled = {key[0] if isinstance(key, tuple) else key for key in catalog} - {""}
    assert ids == compiled, f"{po.with_suffix('.mo')} is stale: run `django-admin compilemessages` in its app"
