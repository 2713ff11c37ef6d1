"""AccountSettings: what get_settings returns."""

from cielo24.model_utils import Model


class AccountSettings(Model):
    """The account's settings, as the service reports them.

    The service documents no fixed shape, so every setting is kept under its own key: read
    them with item access (``settings["default_job_notes"]``) or ``to_dict()``.
    """
