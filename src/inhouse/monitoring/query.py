"""The listening-rule language: parse a query, then match it against Chinese text.

Grammar (keywords in capitals; juxtaposition means AND)::

    query  := or
    or     := and ("OR" and)*
    and    := unary (["AND"] unary)*
    unary  := "NOT" unary | "-" atom | atom
    atom   := "(" or ")" | '"' phrase '"' | word | "*"

Matching rule (docs/monitoring.md): text and terms are normalised (NFKC, lower case); the text
is segmented with the workspace dictionary kept whole. A term matches where its characters
occur in the text and no *other* dictionary word swallows the occurrence: an occurrence on
token boundaries always counts (鹿角脆 in 鹿角脆/片); one inside or across tokens counts unless a
general-dictionary word that is not one of the workspace's words covers it and reaches beyond
it (小米 is not found in 小米粥, 华为 not in 中华/为). A phrase is matched the same way on its
words joined without spaces. ``*`` matches everything. Pure Python, no Django.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from inhouse.monitoring.segment import Token, normalize

KEYWORDS = ("AND", "OR", "NOT")
_SPECIAL = '()"'


class QueryError(ValueError):
    """A query that cannot be parsed: says where (1-based character) and what was expected."""

    def __init__(self, position: int, expected: str, found: str):
        self.position = position
        self.expected = expected
        self.found = found
        super().__init__(f"position {position}: expected {expected}, found {found}")


class SegmenterLike(Protocol):
    def tokenize(self, text: str) -> list[Token]: ...
    def is_other_word(self, word: str) -> bool: ...


# --- syntax tree -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Term:
    text: str  # normalised, non-empty
    phrase: bool = False


@dataclass(frozen=True)
class All:
    pass


@dataclass(frozen=True)
class Not:
    child: Node


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


Node = Term | All | Not | And | Or


# --- lexer -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Tok:
    kind: str  # word, phrase, lparen, rparen, and, or, not, minus, star, end
    text: str
    pos: int  # 1-based


def _lex(source: str) -> list[_Tok]:
    toks: list[_Tok] = []
    i, n = 0, len(source)
    while i < n:
        ch = source[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            toks.append(_Tok("lparen" if ch == "(" else "rparen", ch, i + 1))
            i += 1
        elif ch == '"' or ch == "“" or ch == "”":
            close = _find_quote(source, i + 1)
            if close < 0:
                raise QueryError(i + 1, "a closing quote for the phrase opened here", "end of query")
            toks.append(_Tok("phrase", source[i + 1 : close], i + 1))
            i = close + 1
        elif ch == "-" and i + 1 < n and not source[i + 1].isspace() and (
            i == 0 or source[i - 1].isspace() or source[i - 1] == "("
        ):  # '-' opening a token excludes; inside a word ('wi-fi') it is a character
            toks.append(_Tok("minus", ch, i + 1))
            i += 1
        else:
            j = i
            while j < n and not source[j].isspace() and source[j] not in _SPECIAL + "“”":
                j += 1
            word = source[i:j]
            kind = word.lower() if word in KEYWORDS else ("star" if word == "*" else "word")
            toks.append(_Tok(kind, word, i + 1))
            i = j
    toks.append(_Tok("end", "", n + 1))
    return toks


def _find_quote(source: str, start: int) -> int:
    for k in range(start, len(source)):
        if source[k] in '"”':
            return k
    return -1


# --- parser ------------------------------------------------------------------------------------
_ATOM_START = ("word", "phrase", "lparen", "star", "not", "minus")
_EXPECT_ATOM = "a word, a quoted phrase, '(', '*', 'NOT' or '-'"


def _describe(tok: _Tok) -> str:
    if tok.kind == "end":
        return "end of query"
    return f"'{tok.text}'" if tok.kind != "phrase" else f'"{tok.text}"'


class _Parser:
    def __init__(self, source: str):
        self.toks = _lex(source)
        self.i = 0

    def peek(self) -> _Tok:
        return self.toks[self.i]

    def take(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def parse(self) -> Node:
        if self.peek().kind == "end":
            raise QueryError(1, _EXPECT_ATOM, "an empty query (use * to take every item)")
        node = self.or_()
        tok = self.peek()
        if tok.kind != "end":
            raise QueryError(tok.pos, "'AND', 'OR' or end of query", _describe(tok))
        return node

    def or_(self) -> Node:
        children = [self.and_()]
        while self.peek().kind == "or":
            self.take()
            children.append(self.and_())
        return children[0] if len(children) == 1 else Or(tuple(children))

    def and_(self) -> Node:
        children = [self.unary()]
        while True:
            kind = self.peek().kind
            if kind == "and":
                self.take()
            elif kind not in _ATOM_START:
                break
            children.append(self.unary())
        return children[0] if len(children) == 1 else And(tuple(children))

    def unary(self) -> Node:
        tok = self.peek()
        if tok.kind == "not":
            self.take()
            return Not(self.unary())
        if tok.kind == "minus":
            self.take()
            return Not(self.atom())
        return self.atom()

    def atom(self) -> Node:
        tok = self.take()
        if tok.kind == "lparen":
            node = self.or_()
            close = self.take()
            if close.kind != "rparen":
                raise QueryError(close.pos, f"')' to close the '(' at position {tok.pos}",
                                 _describe(close))
            return node
        if tok.kind == "star":
            return All()
        if tok.kind in ("word", "phrase"):
            text = normalize("".join(tok.text.split()))
            if not text:
                raise QueryError(tok.pos, "a phrase with at least one character", '""')
            return Term(text, phrase=tok.kind == "phrase")
        raise QueryError(tok.pos, _EXPECT_ATOM, _describe(tok))


def parse(source: str) -> Node:
    """Parse ``source``; raise QueryError naming the position and what was expected."""
    if not isinstance(source, str):
        raise QueryError(1, "a query string", type(source).__name__)
    return _Parser(source).parse()


def terms(node: Node) -> list[str]:
    """Every literal in the query (positive or negative), in order of appearance."""
    if isinstance(node, Term):
        return [node.text]
    if isinstance(node, Not):
        return terms(node.child)
    if isinstance(node, And | Or):
        return [t for child in node.children for t in terms(child)]
    return []


# --- matching ----------------------------------------------------------------------------------
def occurs(term: str, text: str, tokens: list[Token], seg: SegmenterLike) -> bool:
    """True when ``term`` occurs in ``text`` (both normalised) under the matching rule above."""
    start = text.find(term)
    while start >= 0:
        end = start + len(term)
        if not any(
            (ts < start or te > end) and seg.is_other_word(w)
            for w, ts, te in tokens
            if ts < end and te > start
        ):
            return True
        start = text.find(term, start + 1)
    return False


@dataclass
class Matcher:
    """A parsed query bound to a segmenter; ``matches(text)`` segments only when needed."""

    query: str
    segmenter: SegmenterLike
    tree: Node = field(init=False)

    def __post_init__(self) -> None:
        self.tree = parse(self.query)
        self.literals = tuple(dict.fromkeys(terms(self.tree)))
        self.takes_all = isinstance(self.tree, All)
        # Most texts hold none of the literals: one regex scan answers them without evaluating
        # the tree (whose answer for "nothing present" is fixed, e.g. True for '-广告').
        self._any = re.compile("|".join(map(re.escape, self.literals))) if self.literals else None
        self._if_absent = _eval(self.tree, lambda _t: False)

    def matches(self, text: str) -> bool:
        return self.matches_normalized(normalize(text or ""))

    def matches_normalized(self, norm: str) -> bool:
        """``matches`` for text already passed through ``segment.normalize``."""
        if self.takes_all:
            return True
        if self._any is None or self._any.search(norm) is None:
            return self._if_absent
        present = {t for t in self.literals if t in norm}
        cache: dict[str, bool] = {}
        tokens: list[Token] | None = None

        def has(term: str) -> bool:
            nonlocal tokens
            if term not in present:
                return False  # the common case: no segmentation at all
            if term not in cache:
                if tokens is None:
                    tokens = self.segmenter.tokenize(norm)
                cache[term] = occurs(term, norm, tokens, self.segmenter)
            return cache[term]

        return _eval(self.tree, has)


def _eval(node: Node, has: Callable[[str], bool]) -> bool:
    if isinstance(node, Term):
        return has(node.text)
    if isinstance(node, All):
        return True
    if isinstance(node, Not):
        return not _eval(node.child, has)
    if isinstance(node, And):
        return all(_eval(c, has) for c in node.children)
    return any(_eval(c, has) for c in node.children)
