"""The knowledge-base index: BM25 over words fused with character n-gram cosine, re-ranked
by a small logistic model whose output is the confidence shown to the desk.

How a question is answered (all of it vectorised over a batch of questions):
1. Every entry contributes one *document* per phrasing (its question and each variant).
2. First stage: for every document, BM25 over segmented words (normalised by the best score
   the question's words could reach, so it is comparable across questions and KB sizes) plus
   the cosine of character 2/3-gram tf-idf vectors (robust to typos and to segmentation
   mistakes), plus the learned lexical matcher's linear part (its weights of shared and
   unshared tokens, one sparse product; its pair weights only in the second stage). The
   best ``POOL`` documents go on.
3. Second stage: a handful of features per (question, document) go through the logistic
   re-ranker (`reranker.py`); an entry's confidence is its best document's.
4. Entries under the threshold are not suggested.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from scipy import sparse

from inhouse.knowledge.retrieval.lexical import Lexical, tokens
from inhouse.knowledge.retrieval.reranker import FEATURES, Reranker
from inhouse.knowledge.retrieval.text import Segmenter, char_ngrams, clean_many

K1, B = 1.2, 0.75
POOL = 30  # documents re-ranked per question
# Weight of the lexical matcher's linear part in the first stage (pool selection), chosen by
# recall@30 of the train pools (atec_afqmc 61.8% without it; 0.2 77.4%, 0.3 78.5%, 0.5 78.9%,
# 1.0 78.6%, 2.0 77.8%; lcqmc 99.9% throughout).
FIRST_STAGE_LEXICAL = 0.5
MIN_DOCS = 1000
CHUNK = 512  # questions scored per matrix product (bounds memory: CHUNK x documents)


@dataclass(frozen=True)
class KbEntry:
    id: str
    question: str
    answer: str = ""
    variants: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Suggestion:
    entry_id: str
    score: float  # confidence in [0, 1]: estimated probability that the entry answers it


@dataclass
class _Prepared:
    """Texts turned into what the index reads: cleaned text, words, character grams."""

    clean: list[str]
    words: list[list[str]]
    grams: list[list[str]]
    chars: list[str] = field(default_factory=list)  # the characters of each text, once each
    tokens: list[list[str]] = field(default_factory=list)  # the lexical matcher's tokens


@lru_cache(maxsize=1)
def _default_reranker() -> Reranker:
    return Reranker.load()


@lru_cache(maxsize=1)
def _default_lexical() -> Lexical:
    return Lexical.load()


def _vocab(docs: Iterable[Iterable[str]]) -> dict[str, int]:
    vocab: dict[str, int] = {}
    for doc in docs:
        for t in doc:
            if t not in vocab:
                vocab[t] = len(vocab)
    return vocab


def _counts(docs: Sequence[Sequence[str]], vocab: dict[str, int]) -> sparse.csr_matrix:
    """Term counts of ``docs`` over ``vocab`` (terms outside it are dropped)."""
    # One flat comprehension (no generator per document): this runs for every text.
    get = vocab.get
    ids = np.fromiter((get(t, -1) for doc in docs for t in doc), dtype=np.int64)
    lens = np.fromiter((len(doc) for doc in docs), dtype=np.int64, count=len(docs))
    kept = ids >= 0
    per_doc = np.bincount(np.repeat(np.arange(len(docs)), lens)[kept], minlength=len(docs))
    indptr = np.concatenate([[0], np.cumsum(per_doc)])
    indices = ids[kept]
    data = np.ones(len(indices), dtype=np.float32)
    m = sparse.csr_matrix((data, indices, indptr), shape=(len(docs), len(vocab)))
    m.sum_duplicates()
    return m


def _top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Column indices of each row's ``k`` highest scores, best first (ties: lower index first).

    Exact, and ~15x cheaper than ``np.argpartition`` over thousands of documents: cut each row
    into 4k blocks; the k-th highest block maximum is a score that at least k documents reach,
    so it bounds the k-th best from below, and only the documents at or above it (~50 per
    question for k = 30) need sorting."""
    m, n = scores.shape
    blocks = 4 * k
    if n < 2 * blocks:
        order = np.lexsort((np.broadcast_to(np.arange(n), scores.shape), -scores), axis=1)
        return order[:, :k]
    starts = (np.arange(blocks) * n) // blocks  # no copy of the scores, one pass
    maxima = np.maximum.reduceat(scores, starts, axis=1)
    floor = np.partition(maxima, blocks - k, axis=1)[:, blocks - k]
    r, c = np.nonzero(scores >= floor[:, None])
    order = np.lexsort((c, -scores[r, c], r))
    r, c = r[order], c[order]
    rank = np.arange(len(r)) - np.searchsorted(r, r)
    return c[rank < k].reshape(m, k)


class Index:
    """An immutable index over knowledge-base entries; build once, query many times."""

    def __init__(self, entries: Sequence[KbEntry], dictionary: Iterable[str] = (),
                 reranker: Reranker | None = None, threshold: float | None = None,
                 lexical: Lexical | None = None) -> None:
        self.entries = list(entries)
        self.segmenter = Segmenter(dictionary)
        self.reranker = reranker or _default_reranker()
        self.lexical = lexical or _default_lexical()
        self.threshold = self.reranker.threshold if threshold is None else threshold
        texts, owners = [], []
        for i, e in enumerate(self.entries):
            for t in dict.fromkeys([e.question, *e.variants]):
                if t and t.strip():
                    texts.append(t)
                    owners.append(i)
        self.doc_entry = np.asarray(owners, dtype=np.int64)
        docs = self._prepare(texts)
        self.char_vocab = _vocab(docs.chars)
        self.doc_chars = _counts(docs.chars, self.char_vocab)
        self.doc_nchars = np.asarray([len(c) for c in docs.chars], dtype=np.float32)
        self.doc_tokens = self.lexical.matrix(docs.tokens)
        # The lexical matcher's score without its pair terms is linear in the two token sets,
        # so it is scored against every document with one sparse product, as BM25 is:
        # shared·m + (Q + D − 2·shared)·x = Q·diag(m − 2x)·Dᵀ + D·x + Q·x (the last term is
        # the same for all of a question's documents and is left out).
        # Both are stored multiplied by FIRST_STAGE_LEXICAL.
        lx, a = self.lexical, FIRST_STAGE_LEXICAL
        self.lex_t = None
        if lx.tokens and a:
            self.lex_t = (sparse.diags(a * (lx.match - 2 * lx.unmatched)) @ self.doc_tokens.T).tocsr().astype(np.float32)
            self.lex_doc = (a * (self.doc_tokens @ lx.unmatched)).astype(np.float32)
        self.doc_len = np.asarray([len(c.replace(" ", "")) for c in docs.clean], dtype=np.float32)
        # IDF as if the KB had at least MIN_DOCS documents: a new workspace's ten entries
        # would otherwise give every word a tiny, meaningless IDF and every match low
        # confidence. Above MIN_DOCS (all training and evaluation KBs) nothing changes.
        n = max(len(texts), MIN_DOCS)
        # BM25 document weights, precomputed so a question's scores are one sparse product.
        self.word_vocab = _vocab(docs.words)
        tf = _counts(docs.words, self.word_vocab)
        df = np.bincount(tf.indices, minlength=len(self.word_vocab)).astype(np.float64)
        self.word_idf = np.log1p((n - df + 0.5) / (df + 0.5))
        self.oov_idf = math.log1p((n + 0.5) / 0.5)
        # For the re-ranker's two-sided overlap features: which words and characters each
        # document has, and how much IDF weight they carry in all.
        self.doc_words = tf.copy()
        self.doc_words.data[:] = 1
        self.doc_word_idf = self.doc_words @ self.word_idf
        self.doc_nwords = np.diff(self.doc_words.indptr).astype(np.float64)
        cdf = np.bincount(self.doc_chars.indices, minlength=len(self.char_vocab)).astype(np.float64)
        self.char_idf = np.log1p((n - cdf + 0.5) / (cdf + 0.5))
        self.doc_char_idf = self.doc_chars @ self.char_idf
        dl = np.asarray(tf.sum(axis=1)).ravel()
        avgdl = max(dl.mean(), 1.0) if len(dl) else 1.0
        norm = K1 * (1 - B + B * dl / avgdl)
        rows = np.repeat(np.arange(tf.shape[0]), np.diff(tf.indptr))
        tf.data = (self.word_idf[tf.indices] * tf.data * (K1 + 1) / (tf.data + norm[rows])).astype(np.float32)
        self.bm25_t = tf.T.tocsr()
        # Character n-gram tf-idf, rows L2-normalised.
        self.gram_vocab = _vocab(docs.grams)
        gc = _counts(docs.grams, self.gram_vocab)
        gdf = np.bincount(gc.indices, minlength=len(self.gram_vocab)).astype(np.float64)
        self.gram_idf = (np.log((n + 1) / (gdf + 1)) + 1).astype(np.float32)
        self.gram_oov_idf = float(math.log(n + 1) + 1)
        gc.data = gc.data * self.gram_idf[gc.indices]
        gnorm = np.sqrt(np.asarray(gc.multiply(gc).sum(axis=1)).ravel())
        gnorm[gnorm == 0] = 1
        self.gram_t = sparse.diags(1 / gnorm).dot(gc).T.tocsr().astype(np.float32)

    def __len__(self) -> int:
        return len(self.entries)

    def _prepare(self, texts: Sequence[str]) -> _Prepared:
        clean = clean_many(texts)
        words = self.segmenter.cut_many(clean)
        grams = [char_ngrams(c) for c in clean]
        # Characters of the words kept (particles and pronouns out, as for the words).
        chars = ["".join(dict.fromkeys("".join(w))) for w in words]
        toks = [tokens(w, c) for w, c in zip(words, chars, strict=True)]
        return _Prepared(clean, words, grams, [list(c) for c in chars], toks)

    def _question_words(self, prep: _Prepared) -> tuple[sparse.csr_matrix, np.ndarray]:
        """Binary (questions x KB words) matrix, and each question's total word IDF (words
        the KB never saw count with the highest IDF)."""
        qw = _counts(prep.words, self.word_vocab)
        qw.data[:] = 1.0  # a repeated word in a short question is emphasis, not evidence
        n_oov = np.asarray([sum(w not in self.word_vocab for w in set(ws)) for ws in prep.words])
        return qw, qw @ self.word_idf + n_oov * self.oov_idf

    def first_stage(self, prep: _Prepared) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Dense (questions x documents) normalised BM25 and character cosine, and the
        question lengths."""
        qw, q_idf = self._question_words(prep)
        m, n_docs = len(prep.words), self.bm25_t.shape[1]
        bm25 = (qw @ self.bm25_t).toarray() if qw.nnz else np.zeros((m, n_docs), np.float32)
        # Best reachable score: every distinct question word found once in an average document.
        reach = q_idf.astype(np.float32)
        bm25 /= np.maximum(reach, 1e-6)[:, None]  # in place: these are CHUNK x documents
        qg = _counts(prep.grams, self.gram_vocab)
        qg.data = qg.data * self.gram_idf[qg.indices]
        # The question's norm includes grams the KB never saw: unseen words lower similarity.
        oov = [[g for g in gs if g not in self.gram_vocab] for gs in prep.grams]
        oov_sq = np.asarray([sum(n * n for n in Counter(o).values()) for o in oov], np.float32)
        full = np.sqrt(np.asarray(qg.multiply(qg).sum(axis=1)).ravel() + oov_sq * self.gram_oov_idf ** 2)
        cos = (qg @ self.gram_t).toarray() if qg.nnz else np.zeros((m, n_docs), np.float32)
        cos /= np.maximum(full, 1e-6).astype(np.float32)[:, None]
        qlen = np.asarray([len(c.replace(" ", "")) for c in prep.clean], dtype=np.float32)
        return bm25.astype(np.float32, copy=False), cos.astype(np.float32, copy=False), qlen

    def candidates(self, texts: Sequence[str], pool: int = POOL) -> tuple[np.ndarray, np.ndarray]:
        """For each question, the ``pool`` best documents and their feature rows:
        (documents (m x pool), features (m x pool x F)). Used by search and by training."""
        docs_out, feats_out = [], []
        for start in range(0, len(texts), CHUNK):
            prep = self._prepare(texts[start:start + CHUNK])
            bm25, cos, qlen = self.first_stage(prep)
            qt = self.lexical.matrix(prep.tokens)
            fused = bm25 + cos
            pick = fused
            if self.lex_t is not None:  # the pool is chosen with the lexical matcher's help
                pick = (qt @ self.lex_t).toarray() if qt.nnz else np.zeros_like(fused)
                pick += self.lex_doc
                pick += fused
            top = _top_k(pick, min(pool, fused.shape[1]))
            rows = np.arange(len(fused))[:, None]
            f_bm25, f_cos, f_fused = bm25[rows, top], cos[rows, top], fused[rows, top]
            dlen = self.doc_len[top]
            ratio = np.minimum(dlen, qlen[:, None]) / np.maximum(np.maximum(dlen, qlen[:, None]), 1)
            # Pair rows: question i repeated once per candidate, against each candidate.
            q_rows, d_rows = np.repeat(np.arange(len(top)), top.shape[1]), top.ravel()
            qc = _counts(prep.chars, self.char_vocab)
            shared_c = qc[q_rows].multiply(self.doc_chars[d_rows]).tocsr()
            inter = np.asarray(shared_c.sum(axis=1)).ravel()
            q_n = np.asarray([len(c) for c in prep.chars], np.float32)[q_rows]
            uni = (inter / np.maximum(q_n + self.doc_nchars[d_rows] - inter, 1)).reshape(top.shape)
            gap = f_fused - f_fused.max(axis=1, keepdims=True)  # 0 for the best BM25 + cosine, negative below
            lex = self.lexical.score_rows(qt[q_rows], self.doc_tokens[d_rows]).reshape(top.shape)
            lex_gap = lex - lex.max(axis=1, keepdims=True)
            both = self._two_sided(prep, qc, shared_c, q_rows, d_rows).reshape(top.shape + (5,))
            feats = np.concatenate([np.stack([f_bm25, f_cos, uni, ratio, gap, f_bm25 * f_cos, lex, lex_gap],
                                             axis=2), both], axis=2).astype(np.float32)
            docs_out.append(top)
            feats_out.append(feats)
        if not docs_out:
            return np.zeros((0, 0), np.int64), np.zeros((0, 0, len(FEATURES)), np.float32)
        return np.concatenate(docs_out), np.concatenate(feats_out)

    def _two_sided(self, prep: _Prepared, qc: sparse.csr_matrix, shared_c: sparse.csr_matrix,
                   q_rows: np.ndarray, d_rows: np.ndarray) -> np.ndarray:
        """Overlap seen from both sides, per (question, document) row: word Jaccard, its IDF-
        weighted form, the share of the document's word IDF the question covers, and the
        same two IDF measures over characters. BM25 only asks how much of the *question* a
        document covers; a document with important words of its own is usually about
        something else."""
        qw, q_idf = self._question_words(prep)
        shared = qw[q_rows].multiply(self.doc_words[d_rows]).tocsr()
        m_n = np.diff(shared.indptr).astype(np.float64)
        m_idf = shared @ self.word_idf
        q_nw = np.asarray([len(set(w)) for w in prep.words], np.float64)[q_rows]
        d_idf = self.doc_word_idf[d_rows]
        word_j = m_n / np.maximum(q_nw + self.doc_nwords[d_rows] - m_n, 1)
        word_ij = m_idf / np.maximum(q_idf[q_rows] + d_idf - m_idf, 1e-6)
        doc_cov = m_idf / np.maximum(d_idf, 1e-6)
        n_oov = np.asarray([sum(c not in self.char_vocab for c in cs) for cs in prep.chars])
        q_cidf = (qc @ self.char_idf + n_oov * self.oov_idf)[q_rows]
        m_c = shared_c @ self.char_idf
        d_cidf = self.doc_char_idf[d_rows]
        char_ij = m_c / np.maximum(q_cidf + d_cidf - m_c, 1e-6)
        char_cov = m_c / np.maximum(d_cidf, 1e-6)
        return np.stack([word_j, word_ij, doc_cov, char_ij, char_cov], axis=1)

    def rank_many(self, texts: Sequence[str], top: int = 3,
                  apply_threshold: bool = True) -> list[list[Suggestion]]:
        """Best entries first for each question, at most ``top`` of them."""
        if not self.entries or not texts:
            return [[] for _ in texts]
        docs, feats = self.candidates(texts)
        probs = self.reranker.predict(feats, self.doc_entry[docs])
        cut = self.threshold if apply_threshold else -1.0
        out = []
        for row_docs, row_p in zip(docs, probs, strict=True):
            seen: dict[int, float] = {}
            for j in np.argsort(-row_p, kind="stable"):
                e = int(self.doc_entry[row_docs[j]])
                if e not in seen and row_p[j] >= cut:
                    seen[e] = float(row_p[j])
                    if len(seen) >= top:
                        break
            out.append([Suggestion(self.entries[e].id, round(p, 4)) for e, p in seen.items()])
        return out

    def suggest(self, text: str, top: int = 3) -> list[Suggestion]:
        """Entries that answer ``text``, best first; empty when none is confident enough."""
        return self.rank_many([text], top=top)[0]
