"""Hashed character n-gram features computed with numpy over a whole batch at once.

Why our own hashing and not sklearn's HashingVectorizer: prediction must run on numpy alone
(fast start, no sklearn at run time), and training and prediction must hash identically.
A batch is concatenated into one code-point array, every n-gram hash is computed with vector
arithmetic, and n-grams that would cross a text boundary are masked out. Features are
sublinear tf (1 + log count) times idf, L2-normalised per text, as in sklearn's tf-idf.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

_SEEDS = (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5)
_MIX1 = np.uint64(0xFF51AFD7ED558CCD)
_MIX2 = np.uint64(0xC4CEB9FE1A85EC53)


@dataclass(frozen=True)
class FeatureSpec:
    """Everything needed to reproduce the feature space; stored in each model's header."""

    ngram_min: int = 1
    ngram_max: int = 3
    n_bits: int = 20

    @property
    def n_features(self) -> int:
        return 1 << self.n_bits


@dataclass
class SparseRows:
    """CSR-like batch: for text i, its features are indices[indptr[i]:indptr[i+1]]."""

    rows: np.ndarray  # row of each entry (int64)
    indices: np.ndarray  # feature index of each entry (int64)
    counts: np.ndarray  # raw count of each entry (float32)
    n_rows: int


def _mix(h: np.ndarray) -> np.ndarray:
    # murmur3 finaliser: spreads the bits so masking to n_bits loses nothing systematic
    h ^= h >> np.uint64(33)
    h *= _MIX1
    h ^= h >> np.uint64(33)
    h *= _MIX2
    h ^= h >> np.uint64(33)
    return h


def ngram_hashes(texts: Sequence[str], n_min: int, n_max: int) -> tuple[np.ndarray, np.ndarray]:
    """(row, 64-bit hash) of every char n-gram, n_min <= n <= n_max, of every text."""
    n = len(texts)
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint64)
    # \x00 separates texts; the normaliser never leaves a NUL inside a text.
    joined = "\x00".join(t.replace("\x00", " ") for t in texts) + "\x00"
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=n)
    row_of = np.repeat(np.arange(n, dtype=np.int64), lengths + 1)
    size = codes.shape[0]
    is_sep = codes == 0
    all_rows, all_hashes = [], []
    with np.errstate(over="ignore"):
        acc = np.zeros(size, dtype=np.uint64)
        bad = np.zeros(size, dtype=bool)
        for k in range(n_max):
            # acc[i] hashes codes[i .. i+k]; extend each window by one char to the right
            nxt = np.zeros(size, dtype=np.uint64)
            nxt[: size - k] = codes[k:]
            acc = acc * np.uint64(0x100000001B3) + nxt + np.uint64(1)
            sep = np.ones(size, dtype=bool)
            sep[: size - k] = is_sep[k:]
            bad |= sep
            if k + 1 >= n_min:
                ok = np.flatnonzero(~bad)
                all_hashes.append(_mix(acc[ok] ^ np.uint64(_SEEDS[k % len(_SEEDS)])))
                all_rows.append(row_of[ok])
    return np.concatenate(all_rows), np.concatenate(all_hashes)


# The last batch's counts, so models over the same texts and feature space (sentiment and
# emotion read the same normalised batch) hash it once. One entry: batches come one at a time.
_last: tuple[list[str], FeatureSpec, SparseRows] | None = None
_last_lock = threading.Lock()


def hash_ngrams(texts: Sequence[str], spec: FeatureSpec) -> SparseRows:
    """Count hashed char n-grams of each text (texts should already be normalised)."""
    global _last
    texts = list(texts)
    last = _last
    if last is not None and last[1] == spec and last[0] == texts:  # mostly identity compares
        return last[2]
    sr = _count(texts, spec)
    with _last_lock:
        _last = (texts, spec, sr)
    return sr


def _count(texts: list[str], spec: FeatureSpec) -> SparseRows:
    # (row, feature) pairs are counted by sorting one integer key per n-gram; a uint32 key
    # (rows x features < 2**32) sorts about twice as fast as int64, so big batches go in slices
    per_slice = max(1, (1 << 32) // spec.n_features)
    if len(texts) > per_slice:
        parts = [_count(texts[i:i + per_slice], spec) for i in range(0, len(texts), per_slice)]
        offsets = np.repeat(np.arange(0, len(texts), per_slice, dtype=np.int64),
                            [p.rows.size for p in parts])
        return SparseRows(np.concatenate([p.rows for p in parts]) + offsets,
                          np.concatenate([p.indices for p in parts]),
                          np.concatenate([p.counts for p in parts]), len(texts))
    rows, hashes = ngram_hashes(texts, spec.ngram_min, spec.ngram_max)
    key = (rows.astype(np.uint32) << np.uint32(spec.n_bits)) | (
        hashes & np.uint64(spec.n_features - 1)).astype(np.uint32)
    key.sort()
    if key.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return SparseRows(empty, empty, np.zeros(0, dtype=np.float32), len(texts))
    first = np.empty(key.size, dtype=bool)
    first[0] = True
    np.not_equal(key[1:], key[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    uniq = key[starts]
    counts = np.diff(np.append(starts, key.size)).astype(np.float32)
    return SparseRows((uniq >> np.uint32(spec.n_bits)).astype(np.int64),
                      (uniq & np.uint32(spec.n_features - 1)).astype(np.int64), counts, len(texts))


def tfidf_values(sr: SparseRows, idf: np.ndarray) -> np.ndarray:
    """Per-entry value: (1 + log tf) * idf, then each row scaled to unit L2 norm."""
    vals = (1.0 + np.log(sr.counts)) * np.take(idf, sr.indices)
    norms = np.sqrt(np.bincount(sr.rows, weights=vals * vals, minlength=sr.n_rows))
    norms[norms == 0] = 1.0
    return (vals / norms[sr.rows]).astype(np.float32)


def document_frequency(sr: SparseRows, n_features: int) -> np.ndarray:
    return np.bincount(sr.indices, minlength=n_features).astype(np.float64)
