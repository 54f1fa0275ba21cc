"""jieba with its dictionary loaded lazily: only the words a text can actually contain.

jieba's ``Tokenizer.initialize`` unmarshals its whole prefix dictionary (~500k entries) —
about 0.9 s of CPU before the first word is cut, the largest part of `inhouse kb suggest`'s
start-up. But while cutting a sentence jieba only ever looks up its substrings, so every
multi-character word it can find starts with one of the sentence's character *bigrams*. Here
the prefix dictionary is stored once, on disk, in buckets keyed by a word's first two
characters (single characters in one bucket, loaded at once); before a sentence is cut the
buckets of its bigrams are loaded. Questions to a customer-service desk use a few thousand
bigrams, so a run loads a few percent of the dictionary.

This is the one jieba dictionary of a process: `inhouse.nlp.segment` cuts with it, the
knowledge base's retrieval does, and monitoring asks it how common a word is (``frequency``).
Before, each kept its own copy (a full ``jieba.Tokenizer``, this one, and a table read from
``dict.txt``), about 1.5 s of start-up and some 100 MB in a worker that used all three.

The result is jieba's own segmentation, word for word (the same ``FREQ`` entries, the same
``total``, jieba's own DAG, route and HMM code; `tests/nlp/test_lazydict.py` checks it).

The bucket file is built once from jieba's ``dict.txt`` (about 2 s) and kept in the user's
cache folder (``INHOUSE_CACHE_DIR``, else ``$XDG_CACHE_HOME/inhouse``, else
``~/.cache/inhouse``; a temporary folder when that is not writable). It is plain text plus an
offset table — nothing is unpickled or unmarshalled — with a header naming its format and
the source dictionary's size and modification time; a file that does not match is rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from operator import add
from pathlib import Path

import numpy as np

FORMAT = 1
BUCKETS = 1 << 18  # ~260k buckets: a few thousand bigrams touch a few percent of the file
_SINGLES = BUCKETS  # the extra last bucket: every one-character entry
_MAGIC = b"inhouse-jieba-buckets\n"


def _bucket(bigram: str) -> int:
    # Not hash(): str hashes are salted per process; the file must read the same in every one.
    return (ord(bigram[0]) * 1_000_003 + ord(bigram[1])) % BUCKETS


def cache_dir() -> Path:
    if os.environ.get("INHOUSE_CACHE_DIR"):
        return Path(os.environ["INHOUSE_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "inhouse"


def _source() -> tuple[str, dict]:
    import jieba

    path = jieba.DEFAULT_DICT or jieba.get_dict_file().name
    path = os.path.abspath(path if os.path.isabs(path) else os.path.join(os.path.dirname(jieba.__file__), path))
    st = os.stat(path)
    return path, {"format": FORMAT, "buckets": BUCKETS, "jieba": jieba.__version__,
                  "dict_size": st.st_size, "dict_mtime": int(st.st_mtime)}


def _file_name(ident: dict) -> str:
    key = hashlib.sha256(json.dumps(ident, sort_keys=True).encode()).hexdigest()[:12]
    return f"jieba-buckets-{key}.bin"


def build(path: Path) -> Path:
    """Write the bucket file for jieba's default dictionary at ``path`` (atomically)."""
    import jieba

    _, ident = _source()
    freq, total = jieba.Tokenizer.gen_pfdict(jieba.get_dict_file())
    groups: list[list[str]] = [[] for _ in range(BUCKETS + 1)]
    for word, f in freq.items():
        groups[_SINGLES if len(word) == 1 else _bucket(word)].append(f"{word}\x00{f}")
    blobs = [("\x00".join(g)).encode("utf-8") for g in groups]
    offsets = np.zeros(BUCKETS + 2, np.int64)
    np.cumsum([len(b) for b in blobs], out=offsets[1:])
    header = json.dumps({**ident, "total": total}).encode() + b"\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as fh:
        fh.write(_MAGIC + header + offsets.astype("<i8").tobytes())
        for b in blobs:
            fh.write(b)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)
    return path


class Buckets:
    """The bucket file in memory: an offset table and the text of every bucket."""

    def __init__(self, data: bytes, ident: dict) -> None:
        if not data.startswith(_MAGIC):
            raise ValueError("not a bucket file")
        end = data.index(b"\n", len(_MAGIC))
        header = json.loads(data[len(_MAGIC):end])
        if {k: header.get(k) for k in ident} != ident:
            raise ValueError("built from another dictionary or format")
        self.total = int(header["total"])
        start = end + 1
        self.offsets = np.frombuffer(data, "<i8", BUCKETS + 2, start)
        if len(data) != start + 8 * (BUCKETS + 2) + int(self.offsets[-1]):
            raise ValueError("truncated")
        self.base = start + 8 * (BUCKETS + 2)
        self.data = data

    def entries(self, bucket: int) -> dict[str, int]:
        a, b = int(self.offsets[bucket]), int(self.offsets[bucket + 1])
        if a == b:
            return {}
        parts = self.data[self.base + a:self.base + b].decode("utf-8").split("\x00")
        return dict(zip(parts[::2], map(int, parts[1::2]), strict=True))

    @classmethod
    def load(cls) -> Buckets:
        _, ident = _source()
        for folder in (cache_dir(), Path(tempfile.gettempdir()) / "inhouse"):
            path = folder / _file_name(ident)
            try:
                return cls(path.read_bytes(), ident)
            except (OSError, ValueError):
                pass
            try:
                return cls(build(path).read_bytes(), ident)
            except OSError:
                continue  # not writable: try the next folder
        raise OSError("no writable cache folder for jieba's dictionary buckets; set INHOUSE_CACHE_DIR")


_lock = threading.Lock()
_tokenizer = None


def tokenizer():
    """A jieba ``Tokenizer`` whose dictionary fills itself as sentences come (process-wide)."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                _tokenizer = _make()
    return _tokenizer


def frequency(word: str) -> int:
    """jieba's dictionary count of ``word``: 0 for a word it does not list (or lists only as the
    prefix of longer ones). Loads the one bucket the word lives in."""
    tk = tokenizer()
    if len(word) > 1:
        tk.load({word[:2]})
    return tk.FREQ.get(word, 0)


def _make():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    buckets = Buckets.load()

    class LazyTokenizer(jieba.Tokenizer):
        def __init__(self) -> None:
            super().__init__()
            self.FREQ = buckets.entries(_SINGLES)
            self.total = buckets.total
            self.initialized = True
            self._loaded: set[int] = set()
            self._seen: set[str] = set()  # bigrams whose bucket is loaded
            self._load_lock = threading.Lock()

        def load(self, bigrams: set[str]) -> None:
            """Make sure every entry starting with one of ``bigrams`` is in ``FREQ``."""
            new = bigrams - self._seen
            if new:
                with self._load_lock:
                    for b in sorted({_bucket(g) for g in new} - self._loaded):
                        self.FREQ.update(buckets.entries(b))
                        self._loaded.add(b)
                    self._seen |= new

        def get_DAG(self, sentence: str):  # noqa: N802 — jieba's name
            # Everything jieba looks up for this sentence (DAG, route, HMM buffers) is one of
            # its substrings, so the buckets of its bigrams hold every entry it can need.
            self.load(set(map(add, sentence, sentence[1:])))
            return super().get_DAG(sentence)

    return LazyTokenizer()
