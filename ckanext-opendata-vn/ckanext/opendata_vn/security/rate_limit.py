"""Fixed-window counters for rate limits (feedback submissions and votes, failed logins).

One counter per window: `window_key` names it, `count_hits` increments it. Counters
live in Redis; while Redis cannot be reached they are kept in the web worker's own
memory (a warning is logged), so limits keep working but each worker process counts on
its own until Redis is back.

Addresses and account names are personal data: only a keyed hash (HMAC with the site's
SECRET_KEY, `address_hash`) is stored or used in a key, never the value itself.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import threading

import ckan.plugins.toolkit as tk

log = logging.getLogger(__name__)


def address_hash(address: str | None) -> str:
    if not address:
        return ""
    key = (tk.config.get("SECRET_KEY") or tk.config.get("beaker.session.secret") or "").encode()
    return hmac.new(key, address.encode(), hashlib.sha256).hexdigest()[:32]


def window_key(name: str, seconds: int, now: int, digest: str) -> str:
    """The counter of `digest` for `name` in the window of `seconds` that holds `now`."""
    site = tk.config.get("ckan.site_id") or "default"
    return f"{site}:opendata_vn:{name}:{seconds}:{now // seconds}:{digest}"


def count_hits(keys: list[tuple[str, int]], now: int) -> list[int]:
    """Increment each (key, window seconds) counter: in Redis, else in this process."""
    import redis as redis_lib
    from ckan.lib.redis import connect_to_redis
    try:
        pipe = connect_to_redis().pipeline()
        for key, seconds in keys:
            pipe.incr(key)
            pipe.expire(key, seconds + 5)
        return pipe.execute()[0::2]
    except (redis_lib.exceptions.ConnectionError, redis_lib.exceptions.TimeoutError) as e:
        log.warning("Redis unreachable (%s): rate limits counted in this process", e)
        return _count_locally(keys, now)


_local: dict[str, tuple[int, int]] = {}  # key -> (expires at, count)
_local_lock = threading.Lock()


def _count_locally(keys: list[tuple[str, int]], now: int) -> list[int]:
    with _local_lock:
        for key in [k for k, (expires, _n) in _local.items() if expires < now]:
            del _local[key]
        counts = []
        for key, seconds in keys:
            expires, n = _local.get(key, (now + seconds + 5, 0))
            _local[key] = (expires, n + 1)
            counts.append(n + 1)
        return counts


def reset(key: str) -> None:
    import redis as redis_lib
    from ckan.lib.redis import connect_to_redis
    with _local_lock:
        _local.pop(key, None)
    try:
        connect_to_redis().delete(key)
    except (redis_lib.exceptions.ConnectionError, redis_lib.exceptions.TimeoutError) as e:
        log.warning("Redis unreachable (%s): counter %s not reset there", e, key)


def counters(keys: list[str]) -> list[int]:
    """Current values of counters `count_hits` keeps (Redis, else this process's own)."""
    import redis as redis_lib
    from ckan.lib.redis import connect_to_redis
    try:
        return [int(v or 0) for v in connect_to_redis().mget(keys)] if keys else []
    except (redis_lib.exceptions.ConnectionError, redis_lib.exceptions.TimeoutError) as e:
        log.warning("Redis unreachable (%s): counters read from this process", e)
        with _local_lock:
            return [_local.get(k, (0, 0))[1] for k in keys]
