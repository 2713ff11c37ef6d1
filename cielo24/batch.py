"""Many media, safely: ``cielo24.transcribe_many`` (and ``cielo24 transcribe``).

A batch gives each media one job and never a second one: each media has a stable identity
(its URL, or its size and the sha256 of its content) and a deterministic external id derived
from it and the fidelity. The batch's state file (cielo24.batch_state) is looked at first; a
media it has no job for is created at the service with that external id, which the service
refuses when it has a job of that external id already: that job is then looked up (job_list
by external id) and resumed from where it is. After creating, the jobs of the external id are
listed: should there be two (two workers at once, a service that did not refuse), the
earliest created wins and the others are deleted before any media is added (see
docs/batch.md).

The unit of work, :func:`submit_media`, is a picklable function of a picklable :class:`Work`;
it runs on any ``concurrent.futures.Executor`` (threads by default, or e.g. a Dask client's
executor; a worker in another process takes its credentials from the environment). It finds
or creates the job, adds the media and asks for the transcription. The process that runs the
batch follows every submitted job with one ``job_list`` call per poll interval, whatever the
number of jobs, and writes the captions (to a temporary name, then renamed).
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import stat as stat_module
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, TextIO, TypeVar, Union
from urllib.parse import urlsplit

from cielo24 import progress as shown
from cielo24.api.job_api import JobApi
from cielo24.api_client import ApiClient
from cielo24.batch_state import (
    ASKED,
    CREATED,
    DONE,
    MEDIA_ADDED,
    NEW,
    STATE_FILE,
    BatchState,
    Record,
)
from cielo24.captions import CAPTION_EXTENSIONS
from cielo24.configuration import Configuration
from cielo24.enums import (
    CaptionFormat,
    CaptionFormatName,
    FidelityName,
    JobStatus,
    Priority,
    RequestPriorityName,
)
from cielo24.exceptions import (
    ApiConnectionError,
    ApiException,
    ApiValueError,
    ItemNotFoundError,
    TooManyRequestsException,
    UnexpectedResponseError,
)
from cielo24.media_source import MediaSource, is_url, media_name
from cielo24.model.job_info_response import JobInfoResponse
from cielo24.model.new_job_body import NewJobBody
from cielo24.model.perform_transcription_body import PerformTranscriptionBody
from cielo24.retry import _retry_after  # pyright: ignore[reportPrivateUsage]  # one parser of Retry-After
from cielo24.upload import MAX_MEDIA_BYTES
from cielo24.waiter import MAX_POLL_INTERVAL, TIMEOUT, poll_intervals

T = TypeVar("T")

#: Why a media failed (MediaResult.failure).
BAD_INPUT, MEDIA_FAILURE, TIMED_OUT, SERVICE, CONNECTION, INTERRUPTED, ERROR = (
    "bad_input",
    "media_failure",
    "timeout",
    "service",
    "connection",
    "interrupted",
    "error",
)
_WAITING = frozenset({JobStatus.AUTHORIZING, JobStatus.PENDING})
#: Bytes read at a time when hashing a file.
_HASH_BLOCK = 1024 * 1024


@dataclass(frozen=True)
class MediaItem:
    """One media of a batch: a path or an http(s) URL, and what its job is called."""

    media: str
    job_name: str | None = None
    external_id: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class JobSettings:
    """How every job of a batch is transcribed (picklable, no secret)."""

    fidelity: FidelityName
    priority: RequestPriorityName = Priority.STANDARD
    options: Mapping[str, Any] | None = None
    callback_url: str | None = None
    turnaround_hours: int | None = None
    authorize: bool = False
    new_job: bool = False


@dataclass(frozen=True)
class Work:
    """What :func:`submit_media` is given for one media: picklable, without credentials.

    ``identity``, ``job_id`` and ``stage`` come from the state file when it knows the media;
    ``client_key`` names the running batch, whose client and progress display a worker in
    the same process uses (elsewhere a client is made from the environment).
    """

    item: MediaItem
    settings: JobSettings
    client_key: str
    identity: str | None = None
    stat: str | None = None
    external_id: str | None = None
    job_id: str | None = None
    stage: str = NEW


@dataclass(frozen=True)
class Submitted:
    """What :func:`submit_media` found or did for one media."""

    media: str
    identity: str | None
    stat: str | None
    external_id: str | None
    job_id: str | None
    stage: str
    status: str | None = None
    creation_date: datetime | None = None
    error: str | None = None
    failure: str | None = None
    recorded: bool = False  # the state file has it already (a worker in this process)


@dataclass
class MediaResult:
    """What became of one media: its job, external id, status, caption files by format, and
    the error that stopped it (``failure`` says what kind: ``bad_input``, ``media_failure``,
    ``timeout``, ``service``, ``connection``, ``interrupted`` or ``error``)."""

    media: str
    job_id: str | None = None
    external_id: str | None = None
    status: str | None = None
    captions: dict[str, str] = field(default_factory=dict[str, str])
    error: str | None = None
    failure: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


class BatchResult:
    """The outcome of a batch, one :class:`MediaResult` per media in the order given."""

    def __init__(self, media: list[MediaResult], state_path: str) -> None:
        self.media = media
        self.state_path = state_path

    @property
    def ok(self) -> bool:
        """Whether every media succeeded."""
        return all(result.ok for result in self.media)

    @property
    def failed(self) -> list[MediaResult]:
        return [result for result in self.media if not result.ok]

    @property
    def in_flight(self) -> list[MediaResult]:
        """Media with a job that is not done (after an interruption, or without waiting)."""
        return [
            r
            for r in self.media
            if r.job_id and not r.captions and r.failure in (None, INTERRUPTED)
        ]

    def to_dicts(self) -> list[dict[str, Any]]:
        return [asdict(result) for result in self.media]

    def write_report(self, path: str | os.PathLike[str]) -> Path:
        """Write the report: JSON for a ``.json`` path, else CSV (``captions`` as
        ``FORMAT=path`` joined by ``;``); written whole or not at all."""
        target = Path(path)
        rows = self.to_dicts()
        partial = target.with_name(target.name + ".part")
        with open(partial, "w", newline="", encoding="utf-8") as out:
            if target.suffix.lower() == ".json":
                json.dump(rows, out, indent=2)
            else:
                writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else ["media"])
                writer.writeheader()
                for row in rows:
                    row["captions"] = ";".join(f"{k}={v}" for k, v in row["captions"].items())
                    writer.writerow(row)
        os.replace(partial, target)
        return target

    def __iter__(self) -> Iterator[MediaResult]:
        return iter(self.media)

    def __len__(self) -> int:
        return len(self.media)

    def __repr__(self) -> str:
        return f"BatchResult({len(self.media)} media, {len(self.failed)} failed)"


class BatchInterrupted(KeyboardInterrupt):
    """Ctrl-C stopped the batch; ``result`` holds every job recorded so far (``in_flight``
    lists the unfinished ones). Running the same batch again resumes it."""

    def __init__(self, result: BatchResult) -> None:
        jobs = ", ".join(f"{r.media}: job {r.job_id}" for r in result.in_flight) or "none"
        super().__init__(f"batch interrupted; jobs in flight: {jobs}")
        self.result = result


MediaInput = Union[str, "os.PathLike[str]", MediaItem]


# --- checking the inputs -----------------------------------------------------------------


def read_media_list(path: str | os.PathLike[str]) -> list[MediaItem]:
    """The media listed in a file: one path or URL per line (blank lines and ``#`` comments
    skipped), or a CSV (``.csv``) with a ``media`` column and optional ``job_name``,
    ``external_id`` and ``language`` columns.

    Raises:
        ApiValueError: a CSV without a ``media`` column.
    """
    with open(path, encoding="utf-8", newline="") as lines:
        if not os.fspath(path).lower().endswith(".csv"):
            return [
                MediaItem(line.strip())
                for line in lines
                if line.strip() and not line.lstrip().startswith("#")
            ]
        reader = csv.DictReader(lines)
        if "media" not in (reader.fieldnames or []):
            raise ApiValueError(f"{os.fspath(path)}: a CSV media list needs a 'media' column")
        return [
            MediaItem(
                row["media"].strip(),
                job_name=row.get("job_name") or None,
                external_id=row.get("external_id") or None,
                language=row.get("language") or None,
            )
            for row in reader
            if (row.get("media") or "").strip()
        ]


def check_media(media: str) -> str | None:
    """Why ``media`` cannot be transcribed, or None: an http(s) URL needs a host; a path must
    be a readable regular file of 1 byte to 10 GB."""
    if is_url(media):
        return None if urlsplit(media).hostname else "the URL has no host"
    try:
        info = os.stat(media)
    except OSError as exc:
        return exc.strerror or str(exc)
    if not stat_module.S_ISREG(info.st_mode):
        return "not a regular file"
    if info.st_size == 0:
        return "the file is empty"
    if info.st_size > MAX_MEDIA_BYTES:
        return "the file is over 10 GB"
    try:
        with open(media, "rb"):
            pass
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


def check_output_dir(directory: str | os.PathLike[str]) -> Path:
    """The output directory, made if missing and checked to be writable.

    Raises:
        ApiValueError: it cannot be made or written to (naming it).
    """
    path = Path(directory)
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as exc:
        raise ApiValueError(
            f"output directory {os.fspath(directory)!r} is not writable: {exc.strerror or exc}"
        ) from None
    return path


# --- identity ------------------------------------------------------------------------------


def file_stat(path: str) -> str:
    """``<size>:<mtime_ns>``: tells whether a file hashed before may have changed."""
    info = os.stat(path)
    return f"{info.st_size}:{info.st_mtime_ns}"


def media_identity(media: str) -> str:
    """A URL's identity is ``url:<url>``; a file's is ``file:<size>:<sha256 of content>``,
    read in 1 MiB blocks (memory stays flat, at disk speed)."""
    if is_url(media):
        return f"url:{media}"
    digest = hashlib.sha256()
    buffer = bytearray(min(_HASH_BLOCK, os.stat(media).st_size) or 1)
    view = memoryview(buffer)
    total = 0
    with open(media, "rb", buffering=0) as file:
        while True:
            count = file.readinto(buffer)
            if not count:
                break
            digest.update(view[:count])
            total += count
    return f"file:{total}:{digest.hexdigest()}"


def external_id_for(identity: str, fidelity: str) -> str:
    """The external id a batch gives the job of a media: the same for the same media and
    fidelity, wherever and whenever it runs."""
    return "c24b-" + hashlib.sha256(f"{identity}\n{fidelity}".encode()).hexdigest()[:32]


# --- one process's shared pieces -------------------------------------------------------------


class Gate:
    """Slows the whole process when the service says 429: every call waits until the pause
    that any call was asked for is over (its Retry-After, else 1 s doubling to 60 s)."""

    ATTEMPTS = 8

    def __init__(self, stop: threading.Event | None = None) -> None:
        self.stop = stop or threading.Event()
        self._until = 0.0
        self._lock = threading.Lock()

    def call(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """``function(*args, **kwargs)``, after any pause, again after a 429 (the service
        did not act on a request it answered 429, so sending it again is safe)."""
        backoff = 1.0
        for attempt in range(self.ATTEMPTS):
            with self._lock:
                pause = self._until - time.monotonic()
            if pause > 0 and self.stop.wait(pause):
                raise _Stopped
            try:
                return function(*args, **kwargs)
            except TooManyRequestsException as exc:
                if attempt == self.ATTEMPTS - 1:
                    raise
                asked = _retry_after(exc)
                with self._lock:
                    self._until = max(self._until, time.monotonic() + (asked or backoff))
                backoff = min(backoff * 2, 60.0)
        raise AssertionError("unreachable")


class _Stopped(Exception):
    """The batch was interrupted: in-process work stops at its next step."""


@dataclass
class _Local:
    client: ApiClient
    gate: Gate
    progress: shown.Progress | None = None
    state: BatchState | None = None


_LOCALS: dict[str, _Local] = {}
_LOCALS_LOCK = threading.Lock()


def _local(client_key: str) -> _Local:
    """The batch's client and display in its own process; in another one (a worker), a
    client from the environment (``Configuration.from_env()``), made once per process."""
    with _LOCALS_LOCK:
        local = _LOCALS.get(client_key)
        if local is None:
            local = _LOCALS[client_key] = _Local(ApiClient(Configuration.from_env()), Gate())
        return local


# --- the unit of work ------------------------------------------------------------------------


def submit_media(work: Work) -> Submitted:
    """Find or create the job of one media, add the media and ask for the transcription, as
    far as each is not done yet; errors become the result's (with the job id, if any)."""
    local = _local(work.client_key)
    submitted = _Submission(work, local)
    try:
        return submitted.run()
    except _Stopped:
        return submitted.result(error="interrupted", failure=INTERRUPTED)
    except ApiConnectionError as exc:
        return submitted.result(error=str(exc), failure=CONNECTION)
    except ApiException as exc:
        return submitted.result(error=str(exc), failure=SERVICE)
    except Exception as exc:  # an unreadable file, a bad answer...: reported for this media
        return submitted.result(error=str(exc) or type(exc).__name__, failure=ERROR)


class _Submission:
    def __init__(self, work: Work, local: _Local) -> None:
        self.work = work
        self.local = local
        self.jobs = JobApi(local.client)
        self.key = work.item.media
        self.identity = work.identity
        self.stat = work.stat
        self.external_id = work.item.external_id or work.external_id
        self.job_id = work.job_id
        self.stage = work.stage
        self.info: JobInfoResponse | None = None
        #: Whether this run asked for the transcription (the poller then sees what comes next).
        self.asked = False

    def result(self, *, error: str | None = None, failure: str | None = None) -> Submitted:
        info = self.info
        return Submitted(
            self.key,
            self.identity,
            self.stat,
            self.external_id,
            self.job_id,
            self.stage,
            status=None if info is None or self.asked else info.job_status,
            creation_date=None if info is None else info.creation_date,
            error=error,
            failure=failure,
            recorded=self.local.state is not None,
        )

    def show(self, phase: str, status: str | None = None) -> None:
        if self.local.progress is not None:
            self.local.progress.update(self.key, phase, job_id=self.job_id, status=status)

    def record(self, stage: str) -> None:
        """Reach ``stage``: in the state file at once when the batch runs in this process."""
        self.stage = stage
        if self.local.state is not None:
            self.local.state.put(
                Record(self.key, self.identity, self.stat, self.external_id, self.job_id, stage)
            )

    def call(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        if self.local.gate.stop.is_set():
            raise _Stopped
        return self.local.gate.call(function, *args, **kwargs)

    def run(self) -> Submitted:
        media = self.work.item.media
        self.show(shown.CHECKING)
        if self.identity is None:
            self.stat = None if is_url(media) else file_stat(media)
            self.identity = media_identity(media)
        if self.external_id is None:
            self.external_id = external_id_for(self.identity, self.work.settings.fidelity)
        if self.job_id is not None:
            self.info = self._job_info(self.job_id)
        if self.info is None:
            self.show(shown.CREATING)
            self.info = self._create()
        self.job_id = self.info.job_id
        if self.stage == NEW:
            self.record(CREATED)
        if self.info.job_status in _WAITING:
            self._continue()
            self.asked = True
        self.show(shown.WAITING, None if self.asked else self.info.job_status)
        return self.result()

    def _job_info(self, job_id: str) -> JobInfoResponse | None:
        try:
            return self.call(self.jobs.job_info, job_id)
        except ItemNotFoundError:  # deleted since: looked for by external id instead
            self.stage = NEW
            return None

    def _find(self) -> JobInfoResponse | None:
        """The job of this external id at the service: the earliest created (ties by id)."""
        listed = self.call(self.jobs.job_list, external_id=self.external_id).active_jobs or []
        return _winner(listed)

    def _create(self) -> JobInfoResponse:
        """The media's job: a new one, unless the service has one of this external id.

        The service refuses a second job of an external id (without is_duplicate): the job
        it has is then looked up and followed. Should two be made all the same (two workers
        at once, a service that does not refuse), the jobs of the external id are listed
        after creating: the earliest created is followed, and this one, still without
        media, is deleted.
        """
        item, settings = self.work.item, self.work.settings
        body = NewJobBody(
            job_name=item.job_name or media_name(item.media),
            language=item.language,
            external_id=self.external_id,
            is_duplicate=True if settings.new_job else None,
        )
        try:
            job_id = self.call(self.jobs.new_job, body).job_id
        except ApiException:  # e.g. refused as a second job of this external id
            found = None if settings.new_job else self._find()
            if found is None:
                raise
            return found
        if not job_id:  # the service sent JobId null
            raise UnexpectedResponseError(200, "OK", "new_job answered without a JobId")
        self.job_id = job_id
        self.record(CREATED)
        self.show(shown.CREATING)
        if settings.new_job:
            return self.call(self.jobs.job_info, job_id)
        winner = self._find()
        if winner is None or winner.job_id == job_id:
            return winner or self.call(self.jobs.job_info, job_id)
        self.call(self.jobs.delete_job, job_id)  # no media yet: it costs nothing
        self.job_id = winner.job_id
        return winner

    def _continue(self) -> None:
        """Add the media if the job has none, ask for the transcription if not yet asked."""
        info = self.info
        assert info is not None and self.job_id is not None
        settings = self.work.settings
        if self.stage not in (MEDIA_ADDED, ASKED) and not info.media_length_seconds:
            with MediaSource(self.work.item.media) as source:
                if source.url is None and self.local.progress is not None:
                    self.local.progress.update(self.key, shown.UPLOADING, job_id=self.job_id)
                try:
                    self.call(
                        source.add_to,
                        self.jobs,
                        self.job_id,
                        self._upload_progress(),
                        is_duplicate=True if settings.new_job else None,
                    )
                except ApiException:
                    if not self._moved_on(media=True):
                        raise
            self.record(MEDIA_ADDED)
        if self.stage != ASKED:
            body = PerformTranscriptionBody(
                job_id=self.job_id,
                transcription_fidelity=settings.fidelity,
                priority=settings.priority,
                callback_url=settings.callback_url,
                options=dict(settings.options) if settings.options is not None else None,
                turnaround_hours=settings.turnaround_hours,
            )
            try:
                self.call(self.jobs.perform_transcription, body)
            except ApiException:
                if not self._moved_on(media=False):
                    raise
            self.record(ASKED)
        if settings.authorize:
            self.call(self.jobs.authorize_job, self.job_id)

    def _moved_on(self, *, media: bool) -> bool:
        """After a refusal on a resumed job: whether the job has its media (``media``) or is
        past waiting (the earlier run did it before it was stopped)."""
        assert self.job_id is not None
        self.info = self.call(self.jobs.job_info, self.job_id)
        if media:
            return bool(self.info.media_length_seconds)
        return self.info.job_status not in _WAITING

    def _upload_progress(self) -> Callable[[int, int], None]:
        progress, stop = self.local.progress, self.local.gate.stop

        def sent(count: int, total: int) -> None:
            if stop.is_set():
                raise _Stopped  # abandons the upload; the job is kept and resumed next time
            if progress is not None:
                progress.uploaded(self.key, count, total)

        return sent


def _winner(jobs: Iterable[JobInfoResponse]) -> JobInfoResponse | None:
    """The job every worker follows: the earliest created, ties broken by job id."""
    return min(
        jobs,
        key=lambda job: (job.creation_date or datetime.max, job.job_id or ""),
        default=None,
    )


# --- the batch ---------------------------------------------------------------------------------


def transcribe_many(
    media: Iterable[MediaInput],
    *,
    fidelity: FidelityName,
    caption_formats: Sequence[CaptionFormatName] = (CaptionFormat.SRT,),
    output_dir: str | os.PathLike[str] = ".",
    parallel: int = 8,
    state: str | os.PathLike[str] | None = None,
    executor: Executor | None = None,
    priority: RequestPriorityName = Priority.STANDARD,
    options: Mapping[str, Any] | None = None,
    callback_url: str | None = None,
    turnaround_hours: int | None = None,
    authorize: bool = False,
    new_job: bool = False,
    skip_bad: bool = False,
    wait_for_jobs: bool = True,
    timeout: float | None = TIMEOUT,
    poll_interval: float = 1.0,
    max_poll_interval: float = MAX_POLL_INTERVAL,
    report: str | os.PathLike[str] | None = None,
    progress: bool | None = None,
    progress_mode: str | None = None,
    progress_stream: TextIO | None = None,
    configuration: Configuration | None = None,
    api_client: ApiClient | None = None,
) -> BatchResult:
    """Transcribe many media, one job each, resumable after any crash.

    Args:
        media: paths, http(s) URLs, or MediaItem (with a job name, external id, language);
            see read_media_list for a file of them.
        fidelity, priority, options, callback_url, turnaround_hours, authorize: as
            cielo24.transcribe, for every job.
        caption_formats: the formats written for each media, as
            ``<output_dir>/<media name>.<extension>`` (the external id is added to the name
            when two media have the same name).
        parallel: media submitted (uploaded) at a time.
        state: the state file (SQLite); ``<output_dir>/.cielo24-batch.sqlite`` by default.
        executor: where the submissions run (threads of this process by default), e.g.
            ``dask_client.get_executor()``; workers elsewhere read credentials from the
            environment.
        new_job: make a new job for each media this state file has none for, even when the
            service has one for it (sent with ``is_duplicate=true``).
        skip_bad: report and skip media that fail the checks instead of refusing the batch.
        wait_for_jobs: wait for the jobs and write the captions; False returns once they are
            submitted.
        timeout: seconds to wait for the jobs in all (None: no limit).
        poll_interval, max_poll_interval: the first pause between two looks at the jobs,
            and the longest (they double: 1 s, 2 s, 4 s ... up to 60 s by default).
        report: also write the report there (JSON for ``.json``, else CSV).
        progress: show progress (None: only in a notebook; see cielo24.progress).
        progress_mode: a cielo24.progress mode instead (``terminal``, ``plain``, ``json``...).
        progress_stream: where progress is written (stderr by default).
        configuration, api_client: as cielo24.transcribe.

    Returns:
        A BatchResult: per media its job id, external id, status, caption paths and error.

    Raises:
        ApiValueError: a bad input, format or output directory (nothing was sent); bad
            inputs are all named.
        BatchInterrupted: Ctrl-C; every job recorded so far is in its ``result``.
    """
    from cielo24.workflows import _client  # pyright: ignore[reportPrivateUsage]

    if configuration is not None and api_client is not None:
        raise ApiValueError("give configuration or api_client, not both")
    if isinstance(parallel, bool) or not isinstance(parallel, int) or parallel < 1:  # pyright: ignore[reportUnnecessaryIsInstance]
        raise ApiValueError(f"parallel must be a whole number of 1 or more, got {parallel!r}")
    formats = _checked_formats(caption_formats)
    settings = JobSettings(
        fidelity, priority, options, callback_url, turnaround_hours, authorize, new_job
    )
    PerformTranscriptionBody(  # checks the settings now
        job_id="-",
        transcription_fidelity=fidelity,
        priority=priority,
        callback_url=callback_url,
        options=dict(options) if options is not None else None,
        turnaround_hours=turnaround_hours,
    )
    items: dict[str, MediaItem] = {}
    for given in media:
        item = _item(given)
        items.setdefault(item.media, item)  # a media listed twice is one media
    bad = {name: why for name in items if (why := check_media(name))}
    if bad and not skip_bad:
        listed = "; ".join(f"{name}: {why}" for name, why in bad.items())
        raise ApiValueError(f"{len(bad)} bad media, nothing was sent: {listed}")
    out = check_output_dir(output_dir)
    client, owns_client = _client(configuration, api_client)
    mode = progress_mode or shown.choose_mode(progress, progress_stream)
    batch = _Batch(
        list(items.values()),
        bad,
        settings,
        formats,
        out,
        BatchState(state if state is not None else out / STATE_FILE),
        client,
        shown.Progress(len(items), mode, progress_stream),
        parallel,
        executor,
    )
    try:
        result = batch.run(wait_for_jobs, timeout, poll_interval, max_poll_interval)
    except BatchInterrupted as interrupted:
        if report is not None:  # the jobs made so far, each with its id
            interrupted.result.write_report(report)
        raise
    finally:
        batch.close()
        if owns_client:
            client.close()
    if report is not None:
        result.write_report(report)
    return result


def _item(media: MediaInput) -> MediaItem:
    if isinstance(media, MediaItem):
        return media
    return MediaItem(os.fspath(media))


def _checked_formats(formats: Sequence[str]) -> tuple[str, ...]:
    from cielo24.workflows import _caption_formats  # pyright: ignore[reportPrivateUsage]

    return _caption_formats(formats)


class _Batch:
    def __init__(
        self,
        items: list[MediaItem],
        bad: dict[str, str],
        settings: JobSettings,
        formats: tuple[str, ...],
        output_dir: Path,
        state: BatchState,
        client: ApiClient,
        progress: shown.Progress,
        parallel: int,
        executor: Executor | None,
    ) -> None:
        self.items = items
        self.bad = bad
        self.settings = settings
        self.formats = formats
        self.output_dir = output_dir
        self.state = state
        self.progress = progress
        self.parallel = parallel
        self.key = uuid.uuid4().hex
        self.local = _Local(client, Gate(), progress, state)
        _LOCALS[self.key] = self.local
        self.jobs = JobApi(client)
        self.own_executor = executor is None
        self.executor = executor or ThreadPoolExecutor(parallel, "cielo24-batch")
        self.fetcher = ThreadPoolExecutor(min(parallel, 8), "cielo24-captions")
        stems = Counter(self._stem(item.media) for item in items)
        self.shared_stems = {stem for stem, count in stems.items() if count > 1}
        self.results = {item.media: MediaResult(item.media) for item in items}
        self.watched: dict[str, tuple[str, datetime | None]] = {}  # media -> (job, created)

    @staticmethod
    def _stem(media: str) -> str:
        return Path(media_name(media)).stem or "media"

    def close(self) -> None:
        self.progress.close()
        if self.own_executor:
            self.executor.shutdown(wait=True, cancel_futures=True)
        self.fetcher.shutdown(wait=True, cancel_futures=True)
        self.state.close()
        _LOCALS.pop(self.key, None)

    def run(
        self, wait_for_jobs: bool, timeout: float | None, first_poll: float, max_poll: float
    ) -> BatchResult:
        submitting: dict[Future[Submitted], str] = {}
        fetching: dict[Future[dict[str, str]], str] = {}
        todo = iter(self._works())
        deadline = None if timeout is None else time.monotonic() + timeout
        intervals = poll_intervals(first_poll, max_poll)
        next_poll = float("inf")  # no look until a job waits
        more = True
        try:
            while True:
                while more and len(submitting) < self.parallel:
                    work = next(todo, None)
                    if work is None:
                        more = False
                    else:
                        submitting[self.executor.submit(submit_media, work)] = work.item.media
                if not (more or submitting or fetching or self.watched):
                    break
                pause = max(0.0, next_poll - time.monotonic()) if self.watched else None
                pending: list[Future[Any]] = [*submitting, *fetching]
                done: set[Future[Any]] = set()
                if pending:
                    done = wait(pending, pause, FIRST_COMPLETED).done
                else:  # only jobs to wait for: until the next look
                    time.sleep(pause or 0)
                for future in [f for f in submitting if f in done]:
                    del submitting[future]
                    if self._submitted(future.result(), wait_for_jobs, fetching):
                        intervals = poll_intervals(first_poll, max_poll)  # 1 s, 2 s ... again
                        next_poll = min(next_poll, time.monotonic() + next(intervals))
                for fetched in [f for f in fetching if f in done]:
                    self._fetched(fetching.pop(fetched), fetched)
                if self.watched and time.monotonic() >= next_poll:
                    self._poll(fetching)
                    next_poll = time.monotonic() + next(intervals)
                if self.watched and deadline is not None and time.monotonic() >= deadline:
                    self._time_out(timeout)
        except KeyboardInterrupt:
            self.local.gate.stop.set()
            for future in submitting:
                future.cancel()
            flying: list[Future[Any]] = [*submitting, *fetching]
            finished, _ = wait(flying, 30)
            for future in submitting:
                if future in finished and not future.cancelled():
                    self._submitted(future.result(), False, fetching)
            raise BatchInterrupted(self._result()) from None
        return self._result()

    def _result(self) -> BatchResult:
        return BatchResult(list(self.results.values()), self.state.path)

    def _works(self) -> Iterator[Work]:
        """The Work of each media not done yet; media done are reported from the state."""
        for item in self.items:
            result = self.results[item.media]
            if item.media in self.bad:
                result.error, result.failure = self.bad[item.media], BAD_INPUT
                self.progress.update(item.media, shown.SKIPPED, error=result.error)
                continue
            record = self.state.get(item.media)
            if record is not None and record.stat and record.stat != file_stat(item.media):
                record = None  # the file changed since: a new media
            if record is not None and record.stage == DONE and self._still_there(record):
                result.job_id, result.external_id = record.job_id, record.external_id
                result.status, result.captions = record.status, record.files
                self.progress.update(item.media, shown.DONE, job_id=record.job_id)
                continue
            self.progress.update(item.media, shown.CHECKING)
            if record is None or record.job_id is None:
                yield Work(item, self.settings, self.key)
            else:
                stage = ASKED if record.stage == DONE else record.stage
                yield Work(
                    item,
                    self.settings,
                    self.key,
                    record.identity,
                    record.stat,
                    record.external_id,
                    record.job_id,
                    stage,
                )

    def _still_there(self, record: Record) -> bool:
        return set(record.files) == set(self.formats) and all(
            os.path.exists(path) for path in record.files.values()
        )

    def _submitted(
        self, done: Submitted, wait_for_jobs: bool, fetching: dict[Future[dict[str, str]], str]
    ) -> bool:
        """Record a submission; whether its job joined the jobs waited for."""
        result = self.results[done.media]
        result.job_id, result.external_id, result.status = (
            done.job_id,
            done.external_id,
            done.status,
        )
        record = Record(
            done.media,
            done.identity,
            done.stat,
            done.external_id,
            done.job_id,
            done.stage,
            done.status,
        )
        if done.error is not None:
            self._fail(record, done.error, done.failure or ERROR)
            return False
        if not done.recorded:
            self.state.put(record)
        if done.status == JobStatus.MEDIA_FAILURE:
            self._fail(record, f"job {done.job_id} failed: Media Failure", MEDIA_FAILURE)
            return False
        if not wait_for_jobs:
            self.progress.update(done.media, shown.DONE, status=done.status)
            return False
        assert done.job_id is not None
        if done.status == JobStatus.COMPLETE:
            self._fetch(done.media, done.job_id, fetching)
            return False
        self.watched[done.media] = (done.job_id, done.creation_date)
        return True

    def _fail(self, record: Record, error: str, failure: str) -> None:
        result = self.results[record.media]
        result.error, result.failure = error, failure
        record.error = error  # the stage stays: a run again resumes from there
        self.state.put(record)
        self.progress.update(record.media, shown.FAILED, job_id=record.job_id, error=error)

    def _poll(self, fetching: dict[Future[dict[str, str]], str]) -> None:
        """One look at every job waited for: one job_list of the jobs created since the
        earliest of them, as the service dated it (a job missing from it is looked at
        alone)."""
        dates = [date for _, date in self.watched.values() if date is not None]
        since = {"creation_date_from": min(dates)} if dates else {}
        listed = self.local.gate.call(self.jobs.job_list, **since).active_jobs or []
        by_id = {job.job_id: job for job in listed}
        for media, (job_id, _) in list(self.watched.items()):
            info = by_id.get(job_id)
            if info is None:
                info = by_id[job_id] = self.local.gate.call(self.jobs.job_info, job_id)
            self.results[media].status = info.job_status
            if info.job_status == JobStatus.COMPLETE:
                del self.watched[media]
                self._fetch(media, job_id, fetching)
            elif info.job_status == JobStatus.MEDIA_FAILURE:
                del self.watched[media]
                record = self._record(media, ASKED)
                self._fail(record, f"job {job_id} failed: Media Failure", MEDIA_FAILURE)
            else:
                self.progress.update(media, shown.WAITING, status=info.job_status)

    def _record(self, media: str, stage: str) -> Record:
        result = self.results[media]
        record = self.state.get(media) or Record(media)
        record.job_id, record.external_id = result.job_id, result.external_id
        record.stage, record.status = stage, result.status
        return record

    def _time_out(self, timeout: float | None) -> None:
        for media, (job_id, _) in list(self.watched.items()):
            del self.watched[media]
            status = self.results[media].status
            error = f"job {job_id} is still {status!r} after {timeout:g} s"
            self._fail(self._record(media, ASKED), error, TIMED_OUT)

    def _fetch(self, media: str, job_id: str, fetching: dict[Future[dict[str, str]], str]) -> None:
        self.results[media].status = JobStatus.COMPLETE
        self.progress.update(media, shown.FETCHING, job_id=job_id, status=JobStatus.COMPLETE)
        stem = self._stem(media)
        if stem in self.shared_stems:
            stem = f"{stem}-{self.results[media].external_id}"
        fetching[self.fetcher.submit(self._write_captions, job_id, stem)] = media

    def _write_captions(self, job_id: str, stem: str) -> dict[str, str]:
        """Each caption file, streamed to ``<name>.part`` and renamed when whole."""
        files: dict[str, str] = {}
        for caption_format in self.formats:
            extension = CAPTION_EXTENSIONS.get(caption_format, caption_format.lower())
            path = str(self.output_dir / f"{stem}.{extension}")
            self.local.gate.call(self.jobs.get_caption, job_id, caption_format, destination=path)
            files[caption_format] = path
        return files

    def _fetched(self, media: str, future: Future[dict[str, str]]) -> None:
        record = self._record(media, DONE)
        try:
            files = future.result()
        except (ApiException, ApiConnectionError, OSError) as exc:
            failure = SERVICE if isinstance(exc, ApiException) else ERROR
            self._fail(record, f"captions of job {record.job_id}: {exc}", failure)
            return
        self.results[media].captions = record.files = files
        self.state.put(record)
        self.progress.update(media, shown.DONE, status=JobStatus.COMPLETE)
