# SPDX-License-Identifier: MIT
"""nn4n — continuous-time E/I recurrent networks (Song, Yang & Wang 2016),
computed by libnn4n (Go, exact BPTT, OpenBLAS) through ctypes + numpy.

nn4n-compatible API::

    from nn4n.model import CTRNN
    from nn4n.mask import MultiArea, MultiAreaEI, RandomInput, MultiIO
    from nn4n.criterion import RNNLoss, CompositeLoss

Native extras: :mod:`nn4n.core` (the C objects one to one), :mod:`nn4n.optim`
(Adam, SGD), :mod:`nn4n.train` (``fit`` and pycog's ``Trainer``),
:mod:`nn4n.tasks` (Song et al. tasks), :mod:`nn4n.neurogym`,
:mod:`nn4n.interop` (PyTorch nn4n ⇄ this library).

Do not fork a process after importing nn4n (the library contains a Go
runtime): use multiprocessing's "spawn" or "forkserver" start method.
"""

from . import errors
from ._lib import (ABI_VERSION, LIBRARY_PATH, version as library_version, set_num_threads,
                   get_num_threads, blas_info, runtime_stats, set_memory_limit, get_memory_limit)
from . import core, criterion, mask, model, optim, train, tasks
from . import analysis
from .core import KeyInfo, Model, Objective, Optimizer, Structure, Task, Trainer as _CoreTrainer, keys, vjp
from .model import CTRNN

__version__ = library_version()

__all__ = ["CTRNN", "Model", "Objective", "Optimizer", "Structure", "Task", "vjp", "errors", "core",
           "criterion", "mask", "model", "optim", "train", "tasks", "analysis", "library_version",
           "set_num_threads", "get_num_threads", "blas_info", "runtime_stats", "set_memory_limit",
           "get_memory_limit", "ABI_VERSION", "LIBRARY_PATH"]
