"""Model files: a JSON header beside an .npz of plain arrays, checksummed and written atomically.

``<name>.json`` holds the format version, the feature settings, the class names, the
training record and the SHA-256 of ``<name>.npz``; the .npz holds only numeric arrays and
is read with ``allow_pickle=False``, so a tampered file cannot run code, and a damaged one
fails with a message that says which file and how to rebuild it.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
from pathlib import Path
from typing import Any

FORMAT_VERSION = 1
MODELS_DIR = Path(__file__).resolve().parent / "models"
MAX_FILE_BYTES = 2 * 1024 * 1024
REBUILD_HINT = "rebuild it with `inhouse nlp train all` (see docs/nlp.md)"


class ModelFileError(RuntimeError):
    """A model file is missing, damaged, of another format version, or too large."""


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; model files are package data, world-readable
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_model(name: str, header: dict[str, Any], arrays: dict[str, Any],
               directory: Path = MODELS_DIR) -> Path:
    """Write ``name.npz`` then ``name.json`` (the header names the npz's checksum)."""
    import numpy as np

    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    blob = buf.getvalue()
    if len(blob) > MAX_FILE_BYTES:
        raise ModelFileError(f"{name}.npz would be {len(blob)} bytes, over the 2 MB limit; "
                             "lower n_bits or prune more weights")
    full = {**header, "format_version": FORMAT_VERSION, "name": name,
            "npz_sha256": hashlib.sha256(blob).hexdigest(), "npz_bytes": len(blob)}
    _atomic_write(directory / f"{name}.npz", blob)
    _atomic_write(directory / f"{name}.json",
                  (json.dumps(full, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode())
    return directory / f"{name}.npz"


def load_model(name: str, directory: Path = MODELS_DIR) -> tuple[dict[str, Any], dict[str, Any]]:
    """Read and verify one model; returns (header, arrays)."""
    import numpy as np

    head_path, npz_path = directory / f"{name}.json", directory / f"{name}.npz"
    try:
        header = json.loads(head_path.read_text(encoding="utf-8"))
        blob = npz_path.read_bytes()
    except FileNotFoundError as exc:
        raise ModelFileError(f"model file missing: {exc.filename}; {REBUILD_HINT}") from exc
    except json.JSONDecodeError as exc:
        raise ModelFileError(f"{head_path}: not valid JSON (line {exc.lineno}); {REBUILD_HINT}") from exc
    if header.get("format_version") != FORMAT_VERSION:
        raise ModelFileError(f"{head_path}: format version {header.get('format_version')!r}, "
                             f"this code reads {FORMAT_VERSION}; {REBUILD_HINT}")
    digest = hashlib.sha256(blob).hexdigest()
    if digest != header.get("npz_sha256"):
        raise ModelFileError(f"{npz_path}: checksum mismatch (file {digest[:12]}…, header "
                             f"{str(header.get('npz_sha256'))[:12]}…): the file is damaged or "
                             f"was replaced; {REBUILD_HINT}")
    with np.load(io.BytesIO(blob), allow_pickle=False) as npz:
        arrays = {key: npz[key] for key in npz.files}
    return header, arrays
