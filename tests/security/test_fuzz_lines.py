"""Line parsers of the command line and the KB import: JSONL for `inhouse analyze`/`nlp`,
`kb suggest` questions, `monitor replay` streams and rules, and the KB CSV. Any input gives
the documented error naming line and field, or a result."""

from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inhouse.knowledge.retrieval.files import (
    CsvRow,
    Question,
    RowError,
    read_kb_csv,
    read_questions,
)
from inhouse.monitoring.query import Matcher, QueryError, parse, terms
from inhouse.monitoring.replay import RulesError, StreamError, event_from_json, load_rules, replay
from inhouse.monitoring.segment import Segmenter

from .fuzz import FUZZ, FUZZ_VIEW, dump_jsonl, json_values, objects_with

LINE_NOISE = st.sampled_from(['{"id": 1, "text": "好"}', "", "  ", "{", "[]", "null", '{"text": 5}',
                              "1" * 5000, "[" * 3000, '{"id": "x", "text": "\\ud800"}', "\x00", "\ufeff{}"])
lines = st.lists(st.one_of(LINE_NOISE, st.text(max_size=30),
                           objects_with(["id", "text"]).map(lambda o: json.dumps(o, ensure_ascii=False))), max_size=8)


def as_stream(parts: list[str]) -> io.StringIO:
    return io.StringIO("".join(p.replace("\n", " ") + "\n" for p in parts))


# --- `inhouse analyze` / `inhouse nlp analyze|segment` ----------------------------------------
@given(lines)
@FUZZ
def test_nlp_jsonl_lines_give_a_record_or_an_error_naming_the_line(parts):
    from inhouse.nlp.cli import _records

    seen = list(_records(as_stream(parts)))
    assert len(seen) == sum(1 for p in parts if p.replace("\n", " ").strip())
    for line_no, _ident, text, error in seen:
        assert (text is None) != (error is None)
        assert error is None or error.startswith(f"line {line_no}: ")


# --- `inhouse kb suggest` questions --------------------------------------------------------------
@given(lines)
@FUZZ
def test_kb_questions_give_a_question_or_an_error_naming_the_line(parts):
    for got in read_questions(as_stream(parts), "q.jsonl"):
        assert isinstance(got, Question | RowError)
        if isinstance(got, RowError):
            assert str(got).startswith(f"q.jsonl: line {got.line}") and got.message


@given(st.lists(st.fixed_dictionaries({"id": st.one_of(st.integers(), st.text(min_size=1, max_size=8)),
                                       "text": st.text(max_size=30)}), max_size=6))
@FUZZ
def test_kb_questions_round_trip(questions):
    got = list(read_questions(io.StringIO(dump_jsonl(questions).decode()), "q.jsonl"))
    assert [(q.id, q.text) for q in got] == [(q["id"], q["text"]) for q in questions]


# --- the KB CSV (`kb suggest --kb`, the desk's CSV import) ---------------------------------------
KB_COLUMNS = ["id", "question", "answer", "variants", "tags", "valid_until", "extra"]
cells = st.one_of(st.text(max_size=15), st.sampled_from(["", "2026-12-31", "2026-13-01", "a|b||c", '"', "\n",
                                                        "x" * 140_000]))  # over csv's field limit


@given(st.one_of(st.permutations(KB_COLUMNS), st.lists(st.sampled_from(KB_COLUMNS), max_size=7)),
       st.lists(st.lists(cells, max_size=8), max_size=6),
       st.text(max_size=40))
@FUZZ
def test_kb_csv_rows_or_errors_naming_line_and_field(header, rows, tail):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    # csv's default field limit, as in a process that never loaded the importers (they raise it).
    limit = csv.field_size_limit(131_072)
    try:
        good, errors = read_kb_csv(io.StringIO(out.getvalue() + tail, newline=""), "kb.csv")
        read_kb_csv(io.StringIO(out.getvalue() + '"' + tail, newline=""), "kb.csv")  # a stray quote
    finally:
        csv.field_size_limit(limit)
    assert all(isinstance(r, CsvRow) for r in good)
    for error in errors:
        assert error.line >= 1 and error.message and str(error).startswith("kb.csv: line ")
    assert len({r.entry.id for r in good}) == len(good)  # ids unique


@given(st.lists(st.tuples(st.text("abc小鹿", min_size=1, max_size=8), st.text(min_size=1, max_size=20),
                          st.text(min_size=1, max_size=20)), max_size=6, unique_by=lambda r: r[0].strip()))
@FUZZ
def test_kb_csv_round_trips(entries):
    entries = [e for e in entries if all(v.strip() for v in e)]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "question", "answer"])
    writer.writerows(entries)
    good, errors = read_kb_csv(io.StringIO(out.getvalue(), newline=""), "kb.csv")
    assert errors == []
    assert [(r.entry.id, r.entry.question, r.entry.answer) for r in good] == [
        tuple(v.strip() for v in e) for e in entries]


# --- `inhouse monitor replay`: the stream and the rules ------------------------------------------
EVENT_KEYS = ["id", "kind", "created_at", "text", "author", "parent_id", "root_id", "sentiment"]
times = st.one_of(st.integers(min_value=-10**20, max_value=10**20), st.floats(),
                  st.sampled_from(["2026-11-20T10:00:00+08:00", "2026-11-20T10:00:00", "9999-12-31T23:59:59-23:59",
                                   "0001-01-01T00:00:00+01:00", "2026-11-20"]))


@given(st.one_of(json_values, objects_with(EVENT_KEYS),
                 st.builds(lambda o, t, a: {**o, "created_at": t, "author": a}, objects_with(EVENT_KEYS), times,
                           st.one_of(objects_with(["id", "uid", "screen_name", "followers_count", "verified"]),
                                     json_values))))
@FUZZ
def test_a_stream_object_is_an_event_or_a_stream_error(obj):
    try:
        ev = event_from_json(obj, 3)
    except StreamError as exc:
        assert exc.line == 3 and str(exc).startswith("line 3: field '")
    else:
        assert isinstance(ev.text, str) and isinstance(ev.followers, int)


RULES = "topics:\n  - name: 鹿角脆\n    query: 鹿角脆 OR 小鹿\n"


@given(st.lists(st.one_of(LINE_NOISE, objects_with(EVENT_KEYS).map(lambda o: json.dumps(o, ensure_ascii=False)),
                          st.builds(lambda i, t, x: json.dumps({"id": i, "created_at": t, "text": x}),
                                    st.integers(), st.integers(1_700_000_000, 1_700_100_000), st.text(max_size=20))),
                max_size=6))
@FUZZ
def test_replay_writes_alerts_or_stops_at_a_stream_error(parts):
    out = io.StringIO()
    try:
        replay(RULES, as_stream(parts), out, sentiment=lambda texts: [False] * len(texts))
    except StreamError as exc:
        assert str(exc).startswith("line ")
    for line in out.getvalue().splitlines():
        json.loads(line)


rule_docs = st.one_of(
    st.text(max_size=60),
    st.builds(lambda topics, dictionary: json.dumps({"topics": topics, "dictionary": dictionary}, ensure_ascii=False),
              st.one_of(json_values, st.lists(objects_with(["name", "query", "detectors", "volume", "negative"]),
                                               max_size=3)),
              st.one_of(st.none(), json_values)),
)


@given(rule_docs)
@FUZZ
def test_rules_load_or_raise_a_rules_error(text):
    try:
        topics, dictionary = load_rules(text)
    except RulesError as exc:
        assert str(exc)
    else:
        assert all(isinstance(w, str) for w in dictionary)


# --- rule queries: beyond parsing (tests/monitoring/test_query.py), matching never fails -----------
SEG = Segmenter(["小鹿零食", "鹿角脆"])


@given(st.text(alphabet=st.sampled_from(list('ab 小鹿角脆零食()"-*ANDORT“”\t')), max_size=25), st.text(max_size=40))
@FUZZ
def test_a_parsed_query_matches_any_text_without_failing(query, text):
    try:
        node = parse(query)
    except QueryError as err:
        assert err.expected and 1 <= err.position <= len(query) + 1
        return
    assert all(terms(node))
    assert Matcher(query, SEG).matches(text) in (True, False)


@given(st.lists(st.text("小鹿角脆零食ab", min_size=1, max_size=4), min_size=1, max_size=4))
@FUZZ
def test_an_or_of_quoted_terms_matches_text_made_of_them(words):
    query = " OR ".join(f'"{w}"' for w in words)
    assert Matcher(query, SEG).matches(" ".join(words))


# --- the desk's KB CSV upload: any file gives a report or a form error, never a 500 -----------------
@pytest.mark.django_db
@given(body=st.one_of(
    st.binary(max_size=300),
    st.builds(lambda rows: "\ufeffid,question,answer,valid_until\n".encode() + "\n".join(rows).encode("utf-8"),
              st.lists(st.text(max_size=30), max_size=5)),
    st.just(b'id,question,answer\n1,"' + b"x" * 140_000 + b"\n"),
))
@FUZZ_VIEW
def test_the_kb_csv_upload_never_answers_500(client, cast, body):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(cast["owner"])
    limit = csv.field_size_limit(131_072)  # as in a desk process that never loaded the importers
    try:
        answer = client.post("/knowledge/import/", {"file": SimpleUploadedFile("kb.csv", body, "text/csv")})
    finally:
        csv.field_size_limit(limit)
    assert answer.status_code == 200
