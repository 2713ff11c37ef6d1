"""UplevelJobResponse: what uplevel_job returns."""

from cielo24.model_utils import Model


class UplevelJobResponse(Model):
    """The new, upleveled job and the workflow it runs."""

    upleveled_job_id: str
    upleveled_workflow: str
