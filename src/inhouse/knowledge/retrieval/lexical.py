"""A learned lexical matcher: which words and characters must match, which may go unmatched,
and which different ones mean the same (还钱 ~ 还款, 提额 ~ 额度提升) — learnt from labelled pairs.

A text is a set of *tokens*: its words (``w:花呗``) and its characters (``c:花``). Characters
catch what segmentation splits differently (借呗额度 / 借呗 额度) and share statistics across
the many rare words of customer questions. For a question's tokens A and a candidate's B the
features are: ``m:t`` for each shared token, ``x:t`` for each token on one side only, and
``p:u|v`` for each pair of unmatched tokens of the same kind across the sides. A logistic
model over them (trained by ``train.py`` on the TRAIN pairs, pruned to the weights that
matter) gives one score, which the re-ranker uses as a feature.

Scoring is sparse-matrix algebra over a whole batch of (question, candidate) pairs, no
Python loop per pair: with binary token matrices Q and D (one row per pair),
S = Q∘D (shared), Q' = Q−S, D' = D−S, the score is
``bias + S·m + (Q'+D')·x + rowsum((Q'·P)∘D')`` where P is the symmetric pair-weight matrix.

Stored as JSON (``models/lexical.json``): tokens and weights, readable and diffable, no pickle.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy import sparse

FORMAT = 2
MODEL_FILE = Path(__file__).resolve().parents[1] / "models" / "lexical.json"


def tokens(words: Iterable[str], chars: str) -> list[str]:
    """A text's tokens: its words and its characters (those of the words kept)."""
    return [f"w:{w}" for w in set(words)] + [f"c:{c}" for c in set(chars) if not c.isspace()]


def _binary(token_lists: Sequence[Sequence[str]], vocab: dict[str, int]) -> sparse.csr_matrix:
    indptr, indices = [0], []
    for toks in token_lists:
        indices.extend(sorted({vocab[t] for t in toks if t in vocab}))
        indptr.append(len(indices))
    return sparse.csr_matrix((np.ones(len(indices), np.float32), np.asarray(indices, np.int32), indptr),
                             shape=(len(token_lists), len(vocab)))


def _parts(q: sparse.csr_matrix, d: sparse.csr_matrix):
    shared = q.multiply(d).tocsr()
    only_q, only_d = (q - shared).tocsr(), (d - shared).tocsr()
    only_q.eliminate_zeros()
    only_d.eliminate_zeros()
    return shared, only_q, only_d


@dataclass
class Lexical:
    tokens: list[str] = field(default_factory=list)
    match: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))
    unmatched: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))
    pairs: sparse.csr_matrix = field(default_factory=lambda: sparse.csr_matrix((0, 0), dtype=np.float32))
    bias: float = 0.0
    meta: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.vocab = {t: i for i, t in enumerate(self.tokens)}
        # Tokens are sorted, so characters ("c:") come before words ("w:"); pairs never mix them.
        self.n_chars = sum(t.startswith("c:") for t in self.tokens)
        # The pair weights as sorted keys (lo * V + hi) for a vectorised look-up.
        upper = sparse.triu(self.pairs).tocoo()
        keys = upper.row.astype(np.int64) * max(len(self.tokens), 1) + upper.col
        order = np.argsort(keys)
        self.pair_keys, self.pair_weights = keys[order], upper.data[order].astype(np.float32)

    def matrix(self, token_lists: Sequence[Sequence[str]]) -> sparse.csr_matrix:
        """Binary (texts x known tokens) matrix; unknown tokens carry no weight anyway."""
        return _binary(token_lists, self.vocab)

    def score_rows(self, q: sparse.csr_matrix, d: sparse.csr_matrix) -> np.ndarray:
        """Scores of row-aligned pairs: row i of ``q`` against row i of ``d``."""
        if not self.tokens:
            return np.zeros(q.shape[0], np.float32)
        shared, only_q, only_d = _parts(q, d)
        s = shared @ self.match + (only_q + only_d) @ self.unmatched
        for cols in (slice(0, self.n_chars), slice(self.n_chars, len(self.tokens))):
            s += self._pair_sums(only_q[:, cols], only_d[:, cols], cols.start)
        return (s + self.bias).astype(np.float32)

    def _pair_sums(self, a: sparse.csr_matrix, b: sparse.csr_matrix, offset: int) -> np.ndarray:
        """For each row r: the sum of P[u, v] over u in a[r], v in b[r] (every cross pair
        enumerated at once with numpy, looked up by binary search in the sorted keys)."""
        n = a.shape[0]
        na, nb = np.diff(a.indptr), np.diff(b.indptr)
        cnt = na * nb
        total = int(cnt.sum())
        if not total or not len(self.pair_keys):
            return np.zeros(n, np.float32)
        row = np.repeat(np.arange(n), cnt)
        k = np.arange(total) - np.repeat(np.cumsum(cnt) - cnt, cnt)
        nb_r = nb[row]
        u = a.indices[a.indptr[row] + k // nb_r].astype(np.int64) + offset
        v = b.indices[b.indptr[row] + k % nb_r].astype(np.int64) + offset
        key = np.minimum(u, v) * len(self.tokens) + np.maximum(u, v)
        pos = np.minimum(np.searchsorted(self.pair_keys, key), len(self.pair_keys) - 1)
        w = np.where(self.pair_keys[pos] == key, self.pair_weights[pos], 0)
        return np.bincount(row, weights=w, minlength=n).astype(np.float32)

    def score_texts(self, a: Sequence[Sequence[str]], b: Sequence[Sequence[str]]) -> np.ndarray:
        return self.score_rows(self.matrix(a), self.matrix(b))

    # -- the file -------------------------------------------------------------------------

    def _body(self) -> dict:
        coo = sparse.triu(self.pairs).tocoo()
        return {"tokens": self.tokens,
                "match": [round(float(w), 3) for w in self.match],
                "unmatched": [round(float(w), 3) for w in self.unmatched],
                "pairs": [[int(i), int(j), round(float(w), 3)] for i, j, w in zip(coo.row, coo.col, coo.data, strict=True)],
                "bias": round(float(self.bias), 4)}

    @staticmethod
    def _checksum(body: dict) -> str:
        blob = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(blob.encode()).hexdigest()[:16]

    @classmethod
    def load(cls, path: Path | None = None) -> Lexical:
        path = path or MODEL_FILE
        if not path.exists():
            return cls(meta={"source": "none"})  # scores 0: the re-ranker relies on the rest
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise ValueError(f"{path}: format {data.get('format')!r}, expected {FORMAT}; "
                             "rebuild it with `inhouse kb train`")
        body = {k: data[k] for k in ("tokens", "match", "unmatched", "pairs", "bias")}
        if data.get("checksum") != cls._checksum(body):
            raise ValueError(f"{path}: checksum mismatch; rebuild it with `inhouse kb train`")
        return cls.from_body(body, data.get("meta", {}))

    @classmethod
    def from_body(cls, body: dict, meta: dict) -> Lexical:
        n = len(body["tokens"])
        p = np.asarray(body["pairs"], np.float64).reshape(-1, 3)
        i, j, w = p[:, 0].astype(np.int32), p[:, 1].astype(np.int32), p[:, 2].astype(np.float32)
        off = i != j  # the matrix is stored as its upper triangle; mirror it
        pairs = sparse.csr_matrix((np.concatenate([w, w[off]]), (np.concatenate([i, j[off]]),
                                   np.concatenate([j, i[off]]))), shape=(n, n), dtype=np.float32)
        return cls(body["tokens"], np.asarray(body["match"], np.float32),
                   np.asarray(body["unmatched"], np.float32), pairs, float(body["bias"]), meta)

    def save(self, path: Path | None = None) -> Path:
        path = path or MODEL_FILE
        body = self._body()
        data = {"format": FORMAT, "meta": self.meta, "checksum": self._checksum(body), **body}
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, separators=(",", ":"))
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
        return path


HARD_NEGATIVES = 6
Group = tuple[Sequence[str], Sequence[tuple[Sequence[str], int]]]


def fit(pairs: Sequence[tuple[Sequence[str], Sequence[str], int]], groups: Sequence[Group] = (),
        c: float = 0.3, min_count: int = 3, keep: float = 0.03) -> Lexical:
    """Logistic regression over the pair features seen ``min_count``+ times; weights under
    ``keep`` in magnitude are dropped (they change nothing and would bloat the file).

    ``pairs`` are labelled (question, candidate) pairs (pointwise). ``groups`` are a question
    with its retrieved candidates, labelled; each right/wrong candidate pair in a group adds
    a pairwise example: the difference of their feature rows should score positive
    (RankNet with a linear scorer). The bias is fitted on the pointwise rows only.
    """
    from sklearn.linear_model import LogisticRegression  # lazy: training only

    n_point = len(pairs)
    pos_rows, neg_rows = [], []
    flat = list(pairs)
    for q, cands in groups:
        start = len(flat)
        flat.extend((q, b, y) for b, y in cands)
        rights = [start + i for i, (_, y) in enumerate(cands) if y]
        # The hardest wrong candidates (the pool is best-first) teach the most; a few suffice.
        wrongs = [start + i for i, (_, y) in enumerate(cands) if not y][:HARD_NEGATIVES]
        for r in rights:
            pos_rows.extend([r] * len(wrongs))
            neg_rows.extend(wrongs)
    pairs = flat

    counts: dict[str, int] = {}
    for a, b, _ in pairs:
        for t in {*a, *b}:
            counts[t] = counts.get(t, 0) + 1
    names = sorted(t for t, n in counts.items() if n >= min_count)
    vocab = {t: i for i, t in enumerate(names)}
    v = len(names)
    kind = np.asarray([t[0] == "w" for t in names])
    q, d = _binary([a for a, _, _ in pairs], vocab), _binary([b for _, b, _ in pairs], vocab)
    shared, only_q, only_d = _parts(q, d)
    # Pair features: every unmatched question token with every unmatched candidate token of
    # the same kind, keyed by the unordered pair.
    keys, rows = [], []
    for r in range(len(pairs)):
        u = only_q.indices[only_q.indptr[r]:only_q.indptr[r + 1]]
        w = only_d.indices[only_d.indptr[r]:only_d.indptr[r + 1]]
        if not len(u) or not len(w):
            continue
        uu, ww = np.meshgrid(u, w, indexing="ij")
        uu, ww = uu.ravel().astype(np.int64), ww.ravel().astype(np.int64)
        same = kind[uu] == kind[ww]
        lo, hi = np.minimum(uu[same], ww[same]), np.maximum(uu[same], ww[same])
        keys.append(lo * v + hi)
        rows.append(np.full(len(lo), r, np.int64))
    keys_all = np.concatenate(keys) if keys else np.zeros(0, np.int64)
    rows_all = np.concatenate(rows) if rows else np.zeros(0, np.int64)
    uniq, inv, freq = np.unique(keys_all, return_inverse=True, return_counts=True)
    kept = freq[inv] >= min_count
    col_of = np.cumsum(freq >= min_count) - 1
    pair_keys = uniq[freq >= min_count]
    pmat = sparse.csr_matrix((np.ones(int(kept.sum()), np.float32), (rows_all[kept], col_of[inv[kept]])),
                             shape=(len(pairs), len(pair_keys)))
    x = sparse.hstack([shared, only_q + only_d, pmat]).tocsr()
    y = np.asarray([label for *_, label in pairs])
    point = sparse.hstack([x[:n_point], np.ones((n_point, 1), np.float32)]).tocsr()
    blocks, labels = [point], [y[:n_point]]
    if pos_rows:
        diff = x[pos_rows] - x[neg_rows]
        zeros = np.zeros((len(pos_rows), 1), np.float32)
        # Both orders, so the classes balance and no bias is needed for them.
        blocks += [sparse.hstack([diff, zeros]), sparse.hstack([-diff, zeros])]
        labels += [np.ones(len(pos_rows), int), np.zeros(len(pos_rows), int)]
    clf = LogisticRegression(C=c, max_iter=1000, solver="liblinear", fit_intercept=False).fit(
        sparse.vstack(blocks).tocsr(), np.concatenate(labels))
    coef, bias = clf.coef_[0][:-1], float(clf.coef_[0][-1])
    match, unmatched, pw = coef[:v], coef[v:2 * v], coef[2 * v:]
    big = np.abs(pw) >= keep
    pi, pj = pair_keys[big] // v, pair_keys[big] % v
    match = np.where(np.abs(match) >= keep, match, 0)
    unmatched = np.where(np.abs(unmatched) >= keep, unmatched, 0)
    # Keep only tokens that carry a weight somewhere, renumbered.
    used = (match != 0) | (unmatched != 0)
    used[pi] = True
    used[pj] = True
    new_id = np.cumsum(used) - 1
    toks = [t for t, u in zip(names, used, strict=True) if u]
    n = len(toks)
    pv = pw[big].astype(np.float32)
    ni, nj = new_id[pi], new_id[pj]
    off = ni != nj
    pairs_m = sparse.csr_matrix((np.concatenate([pv, pv[off]]), (np.concatenate([ni, nj[off]]),
                                 np.concatenate([nj, ni[off]]))), shape=(n, n), dtype=np.float32)
    model = Lexical(toks, match[used].astype(np.float32), unmatched[used].astype(np.float32),
                    pairs_m, bias,
                    {"pairs": n_point, "ranking_pairs": len(pos_rows), "tokens": v, "pair_features": int(len(pair_keys)),
                     "kept_pairs": int(big.sum()), "C": c, "pruned_below": keep})
    # Round-trip through the stored precision so training scores what ships.
    return Lexical.from_body(model._body(), model.meta)

