# SPDX-License-Identifier: MIT
"""Exceptions raised by the nn4n binding.

Every failing status returned by ``libnn4n`` raises a subclass of
:class:`Nn4nError`, chosen by the status code, carrying the library's own
message (``nn4n_last_error``) and the status code and name::

    try:
        model.get_array("w_foo")
    except nn4n.errors.UnknownKey as e:
        print(e.status, e.status_name, e.message)

The classes also derive from the closest built-in exception (``ValueError``,
``KeyError``, ``OSError`` …) so that generic ``except ValueError`` code keeps
working.
"""

from ._abi import CONSTANTS, STATUS_NAMES

__all__ = [
    "Nn4nError", "InvalidArgument", "NullPointer", "ShapeError", "InvalidHandle",
    "UnknownKey", "NotFinite", "IOError_", "FormatError", "Cancelled",
    "InternalError", "BufferTooSmall", "StateError", "NumericError", "RangeError",
    "UnknownStatus", "DTypeError", "LibraryNotFound", "AbiMismatch", "ForkError", "error_for_status",
]


def _code(name):
    """The status code NN4N_ERR_<name> of include/nn4n.h (through _abi.py)."""
    return CONSTANTS["ERR_" + name]


class Nn4nError(Exception):
    """Base class of every error the library reports.

    Attributes: ``status`` (int code), ``status_name`` (e.g.
    ``"NN4N_ERR_SHAPE"``), ``function`` (the C function that failed) and
    ``message`` (the library's text).
    """

    status = None
    status_name = None

    def __init__(self, message, status=None, status_name=None, function=None):
        self.message = message
        if status is not None:
            self.status = status
        if status_name is not None:
            self.status_name = status_name
        self.function = function
        text = message
        if function:
            text = f"{function}: {message}" if message else function
        if self.status_name:
            text = f"{text} [{self.status_name}]"
        super().__init__(text)

    def __str__(self):  # KeyError would otherwise repr() the message
        return self.args[0] if self.args else ""


class InvalidArgument(Nn4nError, ValueError):
    """NN4N_ERR_INVALID_ARGUMENT: a value the function does not accept."""
    status = _code("INVALID_ARGUMENT")


class NullPointer(Nn4nError, ValueError):
    """NN4N_ERR_NULL_POINTER: a required pointer was NULL (a binding bug)."""
    status = _code("NULL_POINTER")


class ShapeError(Nn4nError, ValueError):
    """NN4N_ERR_SHAPE, also raised by the binding for wrong array shapes."""
    status = _code("SHAPE")


class InvalidHandle(Nn4nError, ValueError):
    """NN4N_ERR_INVALID_HANDLE: the object was closed, freed or is of another kind."""
    status = _code("INVALID_HANDLE")


class UnknownKey(Nn4nError, KeyError):
    """NN4N_ERR_UNKNOWN_KEY: a setting, array, term or kind name is not known."""
    status = _code("UNKNOWN_KEY")


class NotFinite(Nn4nError, ValueError):
    """NN4N_ERR_NOT_FINITE: a NaN or infinite value was passed in."""
    status = _code("NOT_FINITE")


class IOError_(Nn4nError, OSError):
    """NN4N_ERR_IO: a file could not be opened, read, written or renamed."""
    status = _code("IO")


class FormatError(Nn4nError, ValueError):
    """NN4N_ERR_FORMAT: a file is not a valid nn4n model file."""
    status = _code("FORMAT")


class Cancelled(Nn4nError):
    """NN4N_ERR_CANCELLED: a long call was stopped by a cancel request."""
    status = _code("CANCELLED")


class InternalError(Nn4nError, RuntimeError):
    """NN4N_ERR_INTERNAL: a bug inside the library (a recovered panic)."""
    status = _code("INTERNAL")


class BufferTooSmall(Nn4nError):
    """NN4N_ERR_BUFFER_TOO_SMALL (the binding retries; never seen normally)."""
    status = _code("BUFFER_TOO_SMALL")


class StateError(Nn4nError, RuntimeError):
    """NN4N_ERR_STATE: the object is not ready for the call."""
    status = _code("STATE")


class NumericError(Nn4nError, ArithmeticError):
    """NN4N_ERR_NUMERIC: the computation failed on valid arguments."""
    status = _code("NUMERIC")


class RangeError(InvalidArgument):
    """NN4N_ERR_RANGE: a numeric setting outside its bounds (the message states them).

    A subclass of InvalidArgument, the status such values had before."""
    status = _code("RANGE")


class MemoryLimitError(Nn4nError, MemoryError):
    """NN4N_ERR_MEMORY: the call would allocate more than the memory limit.

    Nothing was allocated; raise the limit with nn4n.set_memory_limit.
    """
    status = _code("MEMORY")


class DTypeError(Nn4nError, TypeError):
    """An array of a type that cannot cross the ABI (strings, objects, complex)."""
    status = _code("SHAPE")


class UnknownStatus(Nn4nError):
    """A status code this binding does not know (newer library?)."""


class LibraryNotFound(Nn4nError, ImportError):
    """libnn4n.so could not be loaded; the message lists every path tried."""


class AbiMismatch(Nn4nError, ImportError):
    """The loaded libnn4n.so has another ABI version than this binding."""


class ForkError(Nn4nError, RuntimeError):
    """NN4N_ERR_FORK: the library was used in a process forked after it was loaded.

    The Go runtime inside libnn4n does not survive fork(); use the
    ``spawn`` or ``forkserver`` start method of multiprocessing.
    """
    status = _code("FORK")


# Alias with the conventional spelling, without shadowing the builtin in
# ``from nn4n.errors import *``.
globals()["IOError"] = IOError_

_BY_STATUS = {cls.status: cls for cls in (
    InvalidArgument, NullPointer, ShapeError, InvalidHandle, UnknownKey, NotFinite,
    IOError_, FormatError, Cancelled, InternalError, BufferTooSmall, StateError,
    NumericError, RangeError, MemoryLimitError, ForkError)}


# Every status of the header has its class (checked at import: a status added
# to nn4n.h without one fails here, and tests/test_abi_table.py runs it).
for _status, _name in STATUS_NAMES.items():
    if _status != 0 and _BY_STATUS.get(_status) is None:
        raise ImportError("nn4n.errors: no exception class for %s (%d)" % (_name, _status))
del _status, _name


def error_for_status(status):
    """The exception class for a status code."""
    return _BY_STATUS.get(int(status), UnknownStatus)
