"""Counting requests per key in a window, in the shared cache: floods from one address or one
contact are refused without a third-party service. A fixed window per key (``limit`` hits per
``seconds``); the key is hashed, so no address or phone number is stored in clear."""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache


def allow(scope: str, key: str, limit: int, seconds: int) -> bool:
    """Count one hit of ``key`` in ``scope``; False once the window's ``limit`` is passed."""
    if not key:
        return True
    window = int(time.time() // seconds)
    digest = hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()[:32]
    name = f"ratelimit:{scope}:{digest}:{window}"
    try:
        hits = cache.incr(name)  # the common case: the window is open (one read and one write)
    except ValueError:  # the first hit of the window
        if cache.add(name, 1, seconds + 1):
            return True
        hits = cache.incr(name)  # another process opened it first
    return hits <= limit
