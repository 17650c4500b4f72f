# SPDX-License-Identifier: MIT
"""Training loops that run in the library.

* :func:`fit` — optimiser steps on a fixed batch or on batches drawn from a
  callable (e.g. a neurogym dataset), in chunks, with a progress bar (tqdm
  when installed) and clean Ctrl-C: the running chunk is cancelled inside
  the library (``nn4n_model_cancel``) and the updates made so far stay.
* :class:`Trainer` — pycog's protocol (fresh minibatches, validation every
  ``valid_every`` trials, the task's stop rule, best parameters kept) on a
  :class:`nn4n.tasks.Task`, run in chunks of validations.
"""

import threading
import time

import numpy as np

from . import core, errors
from .core import HISTORY_COLUMNS

__all__ = ["fit", "Trainer", "HISTORY_COLUMNS"]


def _progress(total, enabled, desc):
    if not enabled:
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return _TextBar(total, desc)
    return tqdm(total=total, desc=desc, leave=True)


class _TextBar:
    """A minimal progress display when tqdm is not installed (stderr)."""

    def __init__(self, total, desc):
        self.total, self.n, self.desc, self._last = total, 0, desc, 0.0
        self.postfix = ""

    def update(self, k):
        import sys
        self.n += k
        now = time.time()
        if now - self._last > 0.5 or self.n >= self.total:
            self._last = now
            sys.stderr.write(f"\r{self.desc}: {self.n}/{self.total} {self.postfix}")
            sys.stderr.flush()

    def set_postfix_str(self, s):
        self.postfix = s

    def close(self):
        import sys
        sys.stderr.write("\n")


def _run_cancellable(native, fn):
    """Run fn() in a worker thread; Ctrl-C in the main thread cancels it."""
    box = {}

    def work():
        try:
            box["result"] = fn()
        except BaseException as e:  # re-raised in the caller's thread
            box["error"] = e

    t = threading.Thread(target=work, daemon=True)
    t.start()
    try:
        while t.is_alive():
            t.join(0.05)
    except KeyboardInterrupt:
        native.cancel()
        t.join()
        box["interrupted"] = True
    return box


def fit(model, data, target=None, criterion=None, optimizer=None, n_updates=1000, chunk=50, mask=None,
        labels=None, progress=True, callback=None, updates_per_batch=1):
    """Train ``model`` (a CTRNN or a core.Model) with a library objective and optimiser.

    ``data`` is either an input array (then ``target``/``mask``/``labels``
    complete the batch, and ``chunk`` updates run per library call) or a
    callable returning a batch dict with keys ``inputs`` and any of
    ``targets``, ``mask``, ``labels`` (a new batch for every
    ``updates_per_batch`` updates). Returns a dict: ``loss`` (one total per
    update or chunk), ``terms`` (the last terms), ``updates``, ``seconds``,
    ``interrupted``.
    """
    from .criterion import _objective_of, _training_mask
    from .optim import _optimizer_of
    net = model
    native = model.native if hasattr(model, "native") else model
    if hasattr(model, "_sync"):
        model._sync()
    obj = _objective_of(criterion, model if hasattr(model, "native") else None)
    opt = _optimizer_of(optimizer, model if hasattr(model, "native") else None)
    _warn_unclipped(data, opt)
    bar = _progress(n_updates, progress, "nn4n fit")
    losses, terms, done = [], {}, 0
    interrupted = False
    t0 = time.time()
    try:
        while done < n_updates:
            if callable(data):
                batch = data()
                u, tg, mk, lb = (batch.get("inputs"), batch.get("targets"), batch.get("mask"),
                                 batch.get("labels"))
                k = min(updates_per_batch, n_updates - done)
            else:
                u, tg, mk, lb = data, target, mask, labels
                if hasattr(net, "_batch_arrays"):
                    u, tg, mk, lb = net._batch_arrays(u, tg, mk, lb)
                k = min(chunk, n_updates - done)
            if u is not None and np.ndim(u) == 3 and (mk is not None or getattr(criterion, "class_weights", None)
                                                      is not None):
                mk = _training_mask(criterion, mk, native.dims[2], np.shape(u)[:2], has_labels=lb is not None)
            box = _run_cancellable(native, lambda: native.train(obj, opt, u, tg, mk, lb, n_updates=k))
            if "error" in box:
                err = box["error"]
                if isinstance(err, errors.Cancelled):
                    interrupted = True
                    terms = native.terms()
                    break
                raise err
            if box.get("interrupted"):
                interrupted = True
                break
            n, terms = box["result"]
            done += n
            losses.append(_total(terms))
            if bar is not None:
                bar.update(n)
                bar.set_postfix_str(f"loss={losses[-1]:.4g}")
            if callback is not None and callback(done, terms) is False:
                break
    except KeyboardInterrupt:
        interrupted = True
    finally:
        if bar is not None:
            bar.close()
        if hasattr(model, "_pull_if_needed"):
            model._pull_if_needed()
    return {"loss": np.asarray(losses), "terms": terms, "updates": done, "seconds": time.time() - t0,
            "interrupted": interrupted}


def _warn_unclipped(data, opt):
    """Warn when ``data`` (e.g. nn4n.neurogym.batches) asks for gradient clipping and ``opt`` has none."""
    want = getattr(data, "recommended_max_norm", None)
    if not want:
        return
    try:
        have = opt.get("max_norm")
    except (errors.Nn4nError, AttributeError):
        return
    if have == 0:
        import warnings

        from .model import _stacklevel
        warnings.warn(f"nn4n.fit: {getattr(data, 'source', 'these batches')}: the optimizer does not clip gradients "
                      f"(max_norm 0) and training on these trials often diverges without it; pass "
                      f"optimizer=nn4n.optim.Adam(lr=..., max_norm={want:g}) (or batches(..., warn=False) "
                      "to silence this)", UserWarning, stacklevel=_stacklevel())


def _total(terms):
    """The total of a terms dict (its first entry: "total", or the criterion's name)."""
    for v in terms.values():
        return v
    return np.nan


class Trainer(core.Trainer):
    """pycog's training protocol: ``Trainer(model, task, objective=None, optimizer=None, **keys)``.

    ``model`` is a CTRNN or a core.Model; ``task`` a :class:`nn4n.tasks.Task`.
    Keys: minibatch, valid_every, n_validation, max_trials, min_error,
    patience, seed. :meth:`fit` runs it to the end in chunks (progress bar,
    Ctrl-C stops between updates and keeps the model usable).
    """

    def __init__(self, model, task, objective=None, optimizer=None, **settings):
        from .criterion import _Criterion
        self._net = model
        native = model.native if hasattr(model, "native") else model
        if hasattr(model, "_sync"):
            model._sync()
        if isinstance(objective, _Criterion):
            objective = objective.objective
        super().__init__(native, task, objective, optimizer, **settings)

    def fit(self, max_validations=None, chunk=1, progress=True):
        """Run until the protocol ends (or max_validations). Returns the history table."""
        native = self._refs[0]
        bar = _progress(max_validations or 0, progress and bool(max_validations), "nn4n trainer")
        runs = 0
        try:
            while True:
                box = _run_cancellable(native, lambda: self.run(chunk))
                if box.get("interrupted"):
                    self.cancel()
                    break
                if "error" in box:
                    if isinstance(box["error"], errors.Cancelled):
                        break
                    raise box["error"]
                runs += chunk
                if bar is not None:
                    bar.update(chunk)
                    h = self.history()
                    if len(h):
                        bar.set_postfix_str(f"perf={h[-1, 4]:.3g}")
                if box["result"] or (max_validations and runs >= max_validations):
                    break
        finally:
            if bar is not None:
                bar.close()
            if hasattr(self._net, "_pull_if_needed"):
                self._net._pull_if_needed()
        return self.history()

    @property
    def reason(self):
        return _reason(self)


def _reason(tr):
    from . import _lib
    return _lib.read_string(_lib.lib.nn4n_trainer_get_str, tr.handle, _lib.cstr("reason"))
