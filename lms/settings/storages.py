"""The S3-compatible storages (django-storages) that LMS_STORAGE=s3 selects; plain data, no Django."""


def s3_storages(
    *,
    bucket: str,
    endpoint_url: str | None = None,
    region: str | None = None,
    url_seconds: int = 300,
    encrypt: bool = True,
) -> dict[str, dict]:
    """``default`` (media) and ``private`` in one bucket under two prefixes.

    Every object is private (no ACL: the bucket's owner only) and never overwritten in place;
    a link to one is signed (SigV4) and expires after ``url_seconds``. ``encrypt`` asks the store
    to encrypt objects at rest (SSE-S3; MinIO and most S3-compatible stores accept it).
    """
    options = {
        "bucket_name": bucket,
        "endpoint_url": endpoint_url or None,
        "region_name": region or None,
        "signature_version": "s3v4",
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": url_seconds,
        "file_overwrite": False,
        "object_parameters": {"ServerSideEncryption": "AES256"} if encrypt else {},
    }
    backend = "storages.backends.s3.S3Storage"
    return {
        "default": {"BACKEND": backend, "OPTIONS": {**options, "location": "media"}},
        "private": {"BACKEND": backend, "OPTIONS": {**options, "location": "private"}},
    }
