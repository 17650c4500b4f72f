# SPDX-License-Identifier: MIT
"""nn4n ≤ 1.1 conventions: ``from nn4n.legacy import CTRNN``.

The same CTRNN with ``batch_first=False`` by default, so that scripts written
for nn4n 1.0/1.1 (inputs (T, B, I), ``outputs, states = rnn(x)`` with
``states[0]`` the rates, ``init_state`` as a constructor option) run with
only their import changed.
"""

from . import model as _model

__all__ = ["CTRNN"]


class CTRNN(_model.CTRNN):
    def __init__(self, **kwargs):
        kwargs.setdefault("batch_first", False)
        super().__init__(**kwargs)
