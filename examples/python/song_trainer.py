# SPDX-License-Identifier: MIT
"""pycog's protocol on a Song et al. (2016) task: the random-dots decision
task with a Dale's-law network (pycog structure), trained by the library in
chunks of validations (Ctrl-C stops cleanly).

    python examples/python/song_trainer.py [max_validations]
"""
import sys

import nn4n
from nn4n.core import Model, Structure
from nn4n.tasks import Task

task = Task("rdm_dense", dt=20)
I, O = int(task.get("inputs")), int(task.get("outputs"))
N = int(task.get("n_units"))
structure = Structure("pycog", I, N, O, seed=1).build()
model = Model.from_structure(structure, seed=1)
model.set("rec_noise", 0.15)
model.set("init", "pycog")
model.reinitialize()
trainer = nn4n.train.Trainer(model, task, nn4n.criterion.SongYangLoss(), seed=2)
max_val = int(sys.argv[1]) if len(sys.argv) > 1 else 20
hist = trainer.fit(max_validations=max_val)
for row in hist[-5:]:
    print(dict(zip(nn4n.train.HISTORY_COLUMNS, row)))
model.save("rdm_dense.npz")
print("saved rdm_dense.npz")
