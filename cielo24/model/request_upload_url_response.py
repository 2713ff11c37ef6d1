"""RequestUploadUrlResponse: what request_upload_url returns."""

from cielo24.model_utils import Model


class RequestUploadUrlResponse(Model):
    """A pre-signed URL (valid 12 hours) to PUT the media to; see JobApi.upload_to_url."""

    upload_url: str
