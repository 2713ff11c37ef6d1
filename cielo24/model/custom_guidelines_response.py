"""CustomGuidelinesResponse: what add_custom_guidelines returns."""

from cielo24.model_utils import Model


class CustomGuidelinesResponse(Model):
    """What the service stored, e.g. ``{"CUSTOM_GUIDELINES_STORED": {...}}``.

    The shape is not documented further, so every key is kept as sent: use item access or
    ``to_dict()``.
    """
