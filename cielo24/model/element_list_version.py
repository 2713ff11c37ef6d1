"""ElementListVersion: one item of list_element_lists."""

from cielo24.model_utils import Model


class ElementListVersion(Model):
    """A version of a job's element list: its interim work product name and its ``version``
    (an ISO 8601 string, passed back as is to get_element_list's elementlist_version)."""

    iwp_name: str
    version: str
