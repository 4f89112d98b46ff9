"""The Redis cache backend (CACHE_URL=redis://...): Django's, with its clients reused."""

from django.core.cache import caches

REDIS = {"BACKEND": "lms.cache.RedisCache", "LOCATION": "redis://127.0.0.1:6379/12"}


def test_redis_cache_works_and_reuses_one_client_per_pool(settings):
    settings.CACHES = {"default": REDIS}
    cache = caches["default"]
    cache.set("lms-test:a", {"n": 1}, timeout=30)
    cache.add("lms-test:b", 0, timeout=30)
    cache.incr("lms-test:b")
    assert cache.get_many(["lms-test:a", "lms-test:b", "lms-test:none"]) == {
        "lms-test:a": {"n": 1},
        "lms-test:b": 1,
    }
    cache.delete_many(["lms-test:a", "lms-test:b"])
    assert cache.get("lms-test:a") is None
    client = cache._cache
    assert client.get_client() is client.get_client()
    assert client.get_client(write=True) is client.get_client(write=True)


def test_cache_url_selects_it(tmp_path):
    import os
    import subprocess
    import sys

    code = "import django; django.setup(); from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.dev",
        "CACHE_URL": "redis://127.0.0.1:6379/1",
        "LMS_DATA_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "lms.cache.RedisCache"
