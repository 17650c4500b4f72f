# SPDX-License-Identifier: MIT
"""Base class of every object that owns a library handle."""

import weakref

from . import _lib


def _free(free_fn, handle):
    # Runs from close(), garbage collection or interpreter exit. Never raise
    # from a finalizer; in a forked child leave the handle alone.
    if _lib._forked:
        return
    try:
        free_fn(handle)
    except Exception:
        pass


class Handle:
    """Owns one handle of a library object.

    ``close()`` frees it (idempotent); the object is also a context manager
    and is freed by ``weakref.finalize`` when garbage-collected. After
    ``close()`` every method raises :class:`nn4n.errors.InvalidHandle` with
    the library's message: the stale handle is passed on, and the library
    never reuses a handle value, so it reports it as freed.
    """

    _free_name = None  # e.g. "nn4n_model_free"

    def _own(self, handle):
        self._h = int(handle)
        self._closed = False
        self._finalizer = weakref.finalize(self, _free, getattr(_lib.lib, self._free_name), self._h)

    @property
    def handle(self):
        """The raw uint64 handle (for use with the C API directly)."""
        return self._h

    @property
    def closed(self):
        return self._closed

    def close(self):
        """Free the library object now. Safe to call more than once."""
        if getattr(self, "_finalizer", None) is not None and self._finalizer.alive:
            self._finalizer()
        self._closed = True

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False
