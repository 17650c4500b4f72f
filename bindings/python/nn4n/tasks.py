"""Song et al. (2016) tasks as seeded batch generators (run in the library).

>>> task = nn4n.tasks.Task("rdm_dense", dt=20)
>>> batch = task.sample(20, seed=1)   # input, target, mask (B×T×·), conditions
"""

from .core import Task

NAMES = ("rdm_dense", "rdm_nodale", "rdm_fixed", "rdm_varstim", "rdm_rt", "mante", "mante_areas",
         "multisensory", "romo", "sinewave")

__all__ = ["Task", "NAMES"]
