"""Trace every claim of a generated draft to the sources it was given.

A model may only say what the workspace holds. The draft cites sources by the labels the
prompt gave them (``[S1]``, ``[S2]``...). A sentence is a *claim* when it states a checkable
fact: a number with or without a unit, a date or time, a price, a percentage, a product or
brand name from the workspace's dictionary, a code such as a batch number, or a quotation.
Each fact must appear in a source the sentence cites (or, for an uncited sentence, in any
source); a claim with a fact found in no source is *untraced*: the desk highlights it and
refuses one-click approval.

Plain words (greetings, apologies, promises to look into something) carry no checkable fact
and pass; that is deliberate: the check is about invented facts, not style.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

CITE = re.compile(r"\[(S\d+)\]")
# A sentence ends at Chinese or Latin end punctuation or a line break; the citation markers
# that follow the punctuation belong to the sentence before.
SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]*(?:\s*\[S\d+\])*")

_DIGITS = str.maketrans("０１２３４５６７８９．％", "0123456789.%")
_CN = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
       "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10_000}
# A Chinese numeral counts as a number only before a unit ("三天", "十五元", "两万人") and never
# as a lone 一 or after 第: 一起, 一定, 第一时间 are words, not quantities.
UNITS = "天个月年日号时小分秒元块角件袋盒箱包瓶罐克斤吨人次批名家条位倍成折%"
CN_NUMBER = re.compile(rf"(?<!第)(?:[零一二两三四五六七八九十百千万]{{2,}}|[二两三四五六七八九十])(?=[{UNITS}])")
NUMBER = re.compile(r"\d+(?:\.\d+)?")
CODE = re.compile(r"[A-Za-z]+[-_]?\d[A-Za-z0-9_-]*|\d+[A-Za-z][A-Za-z0-9_-]*", re.ASCII)
QUOTE = re.compile(r"[“\"「『]([^”\"」』]{2,40})[”\"」』]")


def cn_to_int(text: str) -> int | None:
    """Small Chinese numerals (三, 十五, 二百零八, 两万) to an int; None when not a number."""
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _CN:
            digit = _CN[ch]
        elif ch in _CN_UNITS:
            unit = _CN_UNITS[ch]
            if unit == 10_000:
                total = (total + section + (digit or 0)) * unit
                section = 0
            else:
                section += (1 if digit is None else digit) * unit
            digit = None
        else:
            return None
    return total + section + (digit or 0)


def normalise(text: str) -> str:
    """Full-width digits to ASCII, small Chinese numerals to digits, spaces out."""
    text = text.translate(_DIGITS)
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)  # 17,413 and 17413 are the same number

    def digits(match: re.Match) -> str:
        value = cn_to_int(match.group(0))
        return str(value) if value is not None else match.group(0)

    return re.sub(r"\s+", "", CN_NUMBER.sub(digits, text)).lower()


@dataclass(frozen=True)
class Source:
    label: str  # "S1"
    kind: str  # "kb" | "item" | "statement" | "fact"
    ref: str  # the entry's or item's id
    text: str


@dataclass
class Claim:
    text: str
    start: int  # offsets in the draft, for highlighting
    end: int
    cites: list[str]
    facts: list[str]
    missing: list[str] = field(default_factory=list)  # facts found in no allowed source
    unknown_cites: list[str] = field(default_factory=list)  # labels the prompt never gave

    @property
    def traced(self) -> bool:
        return not self.missing and not self.unknown_cites


@dataclass
class Trace:
    claims: list[Claim]
    cited: list[str]  # every source label the draft cites, in order of first use

    @property
    def untraced(self) -> list[Claim]:
        return [c for c in self.claims if not c.traced]

    @property
    def ok(self) -> bool:
        return not self.untraced

    def as_dict(self) -> dict:
        return {"cited": self.cited,
                "untraced": [{"text": c.text, "start": c.start, "end": c.end,
                              "missing": c.missing, "unknown_cites": c.unknown_cites}
                             for c in self.untraced]}


def facts_in(sentence: str, names: Iterable[str] = ()) -> list[str]:
    """The checkable facts a sentence states, normalised (see the module docstring)."""
    bare = CITE.sub("", sentence)
    norm = normalise(bare)
    found: list[str] = []
    found += [q for q in (normalise(m) for m in QUOTE.findall(bare)) if q]
    found += [c.lower() for c in CODE.findall(norm)]
    coded = " ".join(found)
    found += [n for n in NUMBER.findall(norm) if n not in coded]
    found += [normalise(n) for n in names if n and normalise(n) in norm]
    seen: set[str] = set()
    return [f for f in found if not (f in seen or seen.add(f))]


def _found(fact: str, text: str) -> bool:
    if NUMBER.fullmatch(fact):  # 12 must not be "found" inside 120 or 12.9
        return re.search(rf"(?<![\d.]){re.escape(fact)}(?!\.?\d)", text) is not None
    return fact in text


def trace(draft: str, sources: Sequence[Source], names: Iterable[str] = ()) -> Trace:
    """Check every claim of ``draft`` against ``sources`` (see the module docstring)."""
    by_label: Mapping[str, Source] = {s.label: s for s in sources}
    normalised = {s.label: normalise(s.text) for s in sources}
    names = [n for n in names if n]
    claims: list[Claim] = []
    cited: list[str] = []
    for match in SENTENCE.finditer(draft):
        sentence = match.group(0).strip()
        if not sentence:
            continue
        cites = CITE.findall(sentence)
        for label in cites:
            if label not in cited:
                cited.append(label)
        facts = facts_in(sentence, names)
        if not facts and not cites:
            continue
        known = [c for c in cites if c in by_label]
        pool = [normalised[c] for c in known] if known else list(normalised.values())
        missing = [f for f in facts if not any(_found(f, text) for text in pool)]
        start = match.start() + (len(match.group(0)) - len(match.group(0).lstrip()))
        claims.append(Claim(sentence, start, start + len(sentence), cites, facts, missing,
                            [c for c in cites if c not in by_label]))
    return Trace(claims, cited)
