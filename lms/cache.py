"""Django's Redis cache, with one client object per connection pool instead of one per call.

Django's RedisCacheClient builds a new ``redis.Redis`` for every operation; building one costs
more than the round trip itself (its response-callback table is filled each time: 0.14 ms of
the 0.32 ms a cache read took here). The client is thread-safe and takes its connections from
the pool, so one per pool and process does the same work. ``CACHE_URL=redis://...`` selects it
(lms/settings/base.py).
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class _ReusedClients(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._client(connection_pool=self._get_connection_pool(index))
            self._clients[index] = client
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ReusedClients
