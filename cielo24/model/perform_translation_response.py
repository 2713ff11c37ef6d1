"""PerformTranslationResponse: what perform_translation returns."""

from cielo24.model_utils import Model


class PerformTranslationResponse(Model):
    """The ids of the translation jobs created, and the service's message about them."""

    translation_job_ids: list[str]
    message: str
