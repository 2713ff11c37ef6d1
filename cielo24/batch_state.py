"""A batch's state file: one SQLite row per media, saying which job is its and how far it got.

Every change is committed at once (SQLite's journal makes each write whole or absent), so a
batch killed at any moment finds, when run again, every job it had recorded. The service is
asked too (by external id), for jobs created after the last write; the file is a cache of
what the service knows, never the only record.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from dataclasses import dataclass, field

#: The name of the state file in the output directory, unless another is given.
STATE_FILE = ".cielo24-batch.sqlite"

#: How far a media got; each stage is recorded once reached.
NEW, CREATED, MEDIA_ADDED, ASKED, DONE, FAILED = (
    "new",
    "created",
    "media_added",
    "asked",
    "done",
    "failed",
)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS media (
    media TEXT PRIMARY KEY,
    identity TEXT,
    stat TEXT,
    external_id TEXT,
    job_id TEXT,
    stage TEXT NOT NULL,
    status TEXT,
    files TEXT NOT NULL DEFAULT '{}',
    error TEXT
)
"""


@dataclass
class Record:
    """One media's row: its identity (``url:<url>`` or ``file:<size>:<sha256>``), the
    ``<size>:<mtime_ns>`` of the file when it was hashed, external id, job, stage, last
    status, caption files by format, and error."""

    media: str
    identity: str | None = None
    stat: str | None = None
    external_id: str | None = None
    job_id: str | None = None
    stage: str = NEW
    status: str | None = None
    files: dict[str, str] = field(default_factory=dict[str, str])
    error: str | None = None


class BatchState:
    """The state file at ``path`` (made when missing); usable from several threads."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(_SCHEMA)

    def get(self, media: str) -> Record | None:
        """The row of ``media``, or None."""
        with self._lock:
            row = self._db.execute(
                "SELECT media, identity, stat, external_id, job_id, stage, status, files, error "
                "FROM media WHERE media = ?",
                (media,),
            ).fetchone()
        if row is None:
            return None
        return Record(
            row[0], row[1], row[2], row[3], row[4], row[5], row[6], json.loads(row[7]), row[8]
        )

    def put(self, record: Record) -> None:
        """Write ``record`` (replacing its media's row), committed before returning."""
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO media VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    record.media,
                    record.identity,
                    record.stat,
                    record.external_id,
                    record.job_id,
                    record.stage,
                    record.status,
                    json.dumps(record.files),
                    record.error,
                ),
            )

    def close(self) -> None:
        with self._lock:
            self._db.close()
