# SPDX-License-Identifier: MIT
"""nn4n 1.1's ``nn4n.structure`` module: the mask generators of
:mod:`nn4n.mask` under their old module name, with nn4n's deprecation
warning."""

import warnings

from .mask import MultiArea, MultiAreaEI, RandomInput, MultiIO  # noqa: F401

__all__ = ["MultiArea", "MultiAreaEI", "RandomInput", "MultiIO"]

warnings.warn("The `structure` module is deprecated and will be removed in future versions. "
              "Use the `mask` module instead, which inherits everything from `structure`.",
              UserWarning, stacklevel=2)
