# SPDX-License-Identifier: MIT
"""Song et al. (2016) tasks as seeded batch generators (run in the library).

>>> task = nn4n.tasks.Task("rdm_dense", dt=20)
>>> batch = task.sample(20, seed=1)   # input, target, mask (B×T×·), conditions

A name "multi:<name>,<name>[,...]" makes a multitask (Yang et al. 2019):
two or more choice tasks behind one rule input each (after the widest
task's inputs, baseline + 1 on the trial's steps), each trial a trial of
one task. Read a trial's task from its rule inputs; ``sample_conditions``
refuses a multitask (its conditions table does not name the task).
"""

from .core import Task

NAMES = ("rdm_dense", "rdm_nodale", "rdm_fixed", "rdm_varstim", "rdm_rt", "mante", "mante_areas",
         "multisensory", "romo", "sinewave")

__all__ = ["Task", "NAMES"]
