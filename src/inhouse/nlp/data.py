"""Readers for the labelled sets in the shared data folder (see ../shared/data/README.md).

Only train and dev splits exist there; the held-out part is elsewhere and is never read.
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]

# SMP2020-EWECT labels, as published; also the emotion model's classes.
EMOTIONS = ("angry", "fear", "happy", "neutral", "sad", "surprise")


def default_data_dir() -> Path:
    """INHOUSE_SHARED_DATA, else ../shared/data beside the repository."""
    env = os.environ.get("INHOUSE_SHARED_DATA")
    return Path(env) if env else REPO_ROOT.parent / "shared" / "data"


def _need(path: Path) -> Path:
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found: point --data or INHOUSE_SHARED_DATA at the "
                                "shared data folder (see its README.md)")
    return path


def weibo2018(data: Path, split: str) -> tuple[list[str], list[int]]:
    """Weibo posts, label 1 positive / 0 negative."""
    with _need(data / "weibo2018_sentiment" / f"{split}.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return [r["text"] for r in rows], [int(r["label"]) for r in rows]


def waimai(data: Path, split: str) -> tuple[list[str], list[int]]:
    """Food-delivery reviews, label 1 positive / 0 negative."""
    with _need(data / "waimai_10k" / f"{split}.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return [r["review"] for r in rows], [int(r["label"]) for r in rows]


def smp2020(data: Path, split: str) -> tuple[list[str], list[str]]:
    """SMP2020-EWECT posts (both domains) with their six emotion labels."""
    texts, labels = [], []
    with _need(data / "smp2020_ewect" / f"{split}.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            texts.append(row["content"])
            labels.append(row["label"])
    return texts, labels
