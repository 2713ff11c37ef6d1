"""Every API class, importable from one place: ``from cielo24.apis import JobApi``."""

from cielo24.api.job_api import JobApi

__all__ = ["JobApi"]
