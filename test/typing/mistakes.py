"""Known mistakes that mypy and pyright must each report, on exactly these lines (never run).

Each mistake ends with ``# expect:`` and the error code mypy and the rule pyright give for it
(``a|b`` when either is right, e.g. a call of an overloaded method). check_mistakes.py runs
both checkers on this file and fails unless each reports exactly the marked lines, so the
package's types cannot quietly decay into ``Any``. The normal ``mypy cielo24 test/typing`` and
``pyright`` runs leave this file out (pyproject.toml).
"""

from __future__ import annotations

import cielo24
from cielo24.api.job_api import JobApi
from cielo24.models import JobInfoResponse, NewJobBody, PerformTranscriptionBody


# fmt: off
def mistakes(jobs: JobApi, info: JobInfoResponse, job_id: str) -> None:
    print(info.job_statuss)  # expect: mypy[attr-defined] pyright[reportAttributeAccessIssue]
    wrong: int = info.job_status  # expect: mypy[assignment] pyright[reportAssignmentType]
    body = PerformTranscriptionBody(job_id=job_id, transcription_fidelity="MECHANICL")  # expect: mypy[arg-type] pyright[reportArgumentType]
    jobs.get_caption(job_id, "SRTT")  # expect: mypy[arg-type|call-overload] pyright[reportArgumentType|reportCallIssue]
    jobs.job_info(42)  # expect: mypy[arg-type|call-overload] pyright[reportArgumentType|reportCallIssue]
    NewJobBody(expected_speakers="two")  # expect: mypy[arg-type] pyright[reportArgumentType]
    PerformTranscriptionBody(job_id=job_id)  # expect: mypy[call-arg] pyright[reportCallIssue]
    cielo24.transcribe("talk.mp4", fidelity="PREMIUN")  # expect: mypy[arg-type] pyright[reportArgumentType]
    jobs.job_info(job_id, async_req=True)  # expect: mypy[arg-type] pyright[reportArgumentType]
    print(wrong, body)
