"""ListRelatedJobsResponse: what list_related_jobs returns."""

from cielo24.model.related_job import RelatedJob
from cielo24.model_utils import Model


class ListRelatedJobsResponse(Model):
    """The leading job of a family of jobs and the jobs related to it."""

    leading_job: RelatedJob
    related_jobs: list[RelatedJob]
