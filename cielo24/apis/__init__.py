"""Every API class, importable from one place: ``from cielo24.apis import JobApi``."""

from cielo24.api.account_api import AccountApi
from cielo24.api.job_api import JobApi

__all__ = ["AccountApi", "JobApi"]
