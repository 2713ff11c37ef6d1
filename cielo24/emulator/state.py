"""The service's memory: API tokens, jobs and the log of requests, behind one lock."""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

AUTHORIZING = "Authorizing"
PENDING = "Pending"
IN_PROCESS = "In Process"


def new_id() -> str:
    """A fresh identifier in the service's format: 32 lowercase hex digits."""
    return uuid.uuid4().hex


def _now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class Job:
    """One job as the service holds it; ``task_ids`` lists every TaskId answered for it."""

    job_id: str = field(default_factory=new_id)
    job_name: str | None = None
    language: str = "en"
    external_id: str | None = None
    username: str | None = None
    requestor: str | None = None
    reference: str | None = None
    expected_speakers: int | None = None
    status: str = PENDING
    media_url: str | None = None
    media_size: int | None = None
    media_sha256: str | None = None
    media_content_type: str | None = None
    fidelity: str | None = None
    priority: str | None = None
    callback_url: str | None = None
    options: dict[str, Any] | None = None
    target_language: str | None = None
    turnaround_hours: int | None = None
    created: datetime = field(default_factory=_now)
    task_ids: list[str] = field(default_factory=list)

    @property
    def has_media(self) -> bool:
        """Whether media was added, by URL or by upload."""
        return self.media_url is not None or self.media_size is not None

    def new_task(self) -> str:
        """Issue a TaskId for an action on this job and remember it."""
        task_id = new_id()
        self.task_ids.append(task_id)
        return task_id


@dataclass
class RequestRecord:
    """One request as it arrived on the wire; complete before its answer is sent.

    ``query`` holds every value of every query name; ``params`` the merged parameters the
    handler saw (body over query); ``headers`` has lower-case names; ``body_size`` counts the
    body bytes read.
    """

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    params: dict[str, str] = field(default_factory=dict)
    body_size: int = 0


class State:
    """Everything the emulated service remembers; hold ``lock`` to read or change it."""

    def __init__(self, *, customer_authorization: bool, hash_uploads: bool) -> None:
        self.lock = threading.Lock()
        self.customer_authorization = customer_authorization
        self.hash_uploads = hash_uploads
        self.tokens: set[str] = set()
        self.jobs: dict[str, Job] = {}
        self.requests: list[RequestRecord] = []

    @property
    def new_job_status(self) -> str:
        """The status a new job starts in: held for authorization, or pending."""
        return AUTHORIZING if self.customer_authorization else PENDING

    def record(self, request: RequestRecord) -> None:
        """Append a request to the log."""
        with self.lock:
            self.requests.append(request)

    def knows_token(self, token: str) -> bool:
        """Whether ``token`` is an API token the service accepts."""
        with self.lock:
            return token in self.tokens
