"""The demo week as data: deterministic, well-formed, and telling the story it claims."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter

import pytest
from django.core.management import call_command

from inhouse.pipeline.records import parse_record, parse_time
from inhouse.sources.demo import brand, default_start, generate

START = dt.date(2026, 11, 16)


@pytest.fixture(scope="module")
def week():
    return generate(seed=7, start=START)


@pytest.fixture(scope="module")
def by_id(week):
    return {r["id"]: r for r in week.records}


def test_same_seed_and_start_give_byte_identical_output(week):
    again = generate(seed=7, start=START)
    assert again.to_jsonl() == week.to_jsonl()
    assert again.truth_json() == week.truth_json()


def test_a_different_seed_gives_a_different_week():
    one, other = generate(seed=1, start=START, scale=0.1), generate(seed=2, start=START, scale=0.1)
    assert one.to_jsonl() != other.to_jsonl()


def test_the_week_has_about_twenty_thousand_items(week):
    assert 17_000 <= len(week.records) <= 24_000


def test_every_record_passes_the_record_parser(week):
    for record in week.records:
        item = parse_record(record)
        assert item.source == "demo"
        assert item.author is not None


def test_ids_are_unique_sixteen_digit_mids_growing_with_time(week):
    ids = [r["id"] for r in week.records]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"\d{16}", i) for i in ids)
    times = [r["created_at"] for r in week.records]
    assert times == sorted(times)
    assert all(t.endswith("+08:00") for t in times)


def test_every_kind_is_well_represented(week):
    kinds = Counter(r["kind"] for r in week.records)
    assert set(kinds) == {"post", "repost", "comment", "reply", "message"}
    assert min(kinds.values()) >= 500


def test_raw_payload_looks_like_weibo(week):
    for record in week.records[::97]:
        raw = record["raw"]
        assert raw["idstr"] == record["id"]
        assert parse_time(raw["created_at"]) == dt.datetime.fromisoformat(record["created_at"])
        assert raw["user"]["idstr"] == record["author"]["uid"]


def test_threads_are_consistent(week, by_id):
    for record in week.records:
        if record["parent_id"]:
            parent = by_id[record["parent_id"]]
            assert parent["created_at"] < record["created_at"]
        if record["kind"] == "message":
            assert record["root_id"] == f"dm-{record['author']['uid']}" or record["author"]["uid"] == brand.OFFICIAL_UID
        elif record["kind"] != "post":
            assert record["root_id"] in by_id
        if record["kind"] == "reply":
            assert record["author"]["uid"] == brand.OFFICIAL_UID


def test_official_messages_stay_in_the_customers_thread(week, by_id):
    for record in week.records:
        if record["kind"] == "message" and record["parent_id"]:
            assert by_id[record["parent_id"]]["root_id"] == record["root_id"]


def test_truth_labels_every_item_and_nothing_else(week):
    items = week.truth["items"]
    assert set(items) == {r["id"] for r in week.records}
    assert {v["intent"] for v in items.values()} == {
        "consultation", "complaint", "praise", "cooperation", "spam", "other"}
    assert {v["sentiment"] for v in items.values()} == {"positive", "neutral", "negative"}


def _negative_per_hour(week) -> Counter:
    counts: Counter = Counter()
    for record in week.records:
        if week.truth["items"][record["id"]]["sentiment"] == "negative":
            counts[record["created_at"][:13]] += 1
    return counts


def test_negative_burst_is_on_day_five_and_not_before(week):
    per_hour = _negative_per_hour(week)
    days = week.truth["days"]
    before = max(v for k, v in per_hour.items() if k[:10] < days[4])
    on_day_five = max(v for k, v in per_hour.items() if k[:10] == days[4])
    assert on_day_five >= 8 * before
    crisis_start = dt.datetime.fromisoformat(week.truth["crisis"]["start"])
    assert crisis_start.date().isoformat() == days[4]
    peak_hour = max(per_hour, key=per_hour.get)
    assert peak_hour[:10] == days[4] and int(peak_hour[11:]) >= crisis_start.hour


def test_reposts_carry_weibo_style_chains(week):
    chains = [r["text"] for r in week.records if r["kind"] == "repost" and "//@" in r["text"]]
    assert len(chains) >= 300
    assert any(text.count("//@") >= 3 for text in chains)


def test_crisis_truth_names_the_first_post_and_influential_reposters(week, by_id):
    crisis = week.truth["crisis"]
    first = by_id[crisis["first_post_id"]]
    assert "苍蝇" in first["text"] and first["created_at"] == crisis["start"]
    assert len(crisis["key_reposts"]) >= 3
    for key in crisis["key_reposts"]:
        record = by_id[key["id"]]
        assert record["kind"] == "repost" and record["author"]["verified"]
        assert record["author"]["followers_count"] >= 100_000
    assert by_id[crisis["apology_id"]]["created_at"] > crisis["start"]
    assert by_id[crisis["follow_up_id"]]["created_at"][:10] in week.truth["days"][5:]
    assert set(crisis["item_ids"]) <= set(by_id)


def test_campaign_and_partner_interactions_are_recorded(week, by_id):
    campaign = week.truth["campaign"]
    assert campaign["hashtag"] == brand.HASHTAG
    assert campaign["start"] < campaign["event"]["start"] < campaign["event"]["end"] < week.truth["crisis"]["start"]
    partner_ids = week.truth["partner_interaction_ids"]
    assert len(partner_ids) >= 15 and all(i in by_id for i in partner_ids)
    assert any(by_id[i]["kind"] == "message" and week.truth["items"][i]["intent"] == "cooperation"
               for i in partner_ids)


def test_every_consultation_points_to_a_knowledge_base_fact(week, by_id):
    facts = {f["id"] for f in week.truth["knowledge_base"]}
    consultations = week.truth["consultations"]
    assert len(consultations) >= 1000
    for c in consultations:
        assert c["fact_id"] in facts
        assert week.truth["items"][c["id"]]["intent"] == "consultation"


def test_spam_comes_in_waves_from_zombie_accounts(week, by_id):
    for wave in week.truth["spam_waves"]:
        authors = [by_id[i]["author"] for i in wave["item_ids"]]
        assert len(authors) >= 50
        assert all(a["screen_name"].startswith("用户") and a["followers_count"] <= 3 for a in authors)


def test_texts_are_varied(week):
    texts = [r["text"] for r in week.records if r["kind"] in ("comment", "post")]
    assert len(set(texts)) / len(texts) > 0.65


def test_default_start_makes_day_seven_today():
    assert default_start(dt.date(2026, 11, 26)) == dt.date(2026, 11, 20)


def test_export_writes_records_and_truth(tmp_path):
    call_command("demo", "export", "--out", str(tmp_path), "--seed", "3", "--start", "2026-11-16",
                 "--scale", "0.05")
    lines = (tmp_path / "records.jsonl").read_text(encoding="utf-8").splitlines()
    truth = json.loads((tmp_path / "truth.json").read_text(encoding="utf-8"))
    assert len(lines) == len(truth["items"]) > 500
    assert generate(seed=3, start=START, scale=0.05).to_jsonl().splitlines() == lines
