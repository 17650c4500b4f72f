# SPDX-License-Identifier: MIT
"""Gradients as numpy arrays for your own optimiser, effective weights,
float32/float64, and .npz files that plain numpy reads.

    python examples/python/gradients_and_files.py
"""
import numpy as np

from nn4n.criterion import RNNLoss
from nn4n.model import CTRNN

rng = np.random.default_rng(0)
x, target = rng.random((8, 40, 2)), rng.random((8, 40, 1))
rnn = CTRNN(dims=[2, 30, 1], precision="float64", seed=0)
crit = RNNLoss(rnn, lambda_hid=1e-2, lambda_fr=1e-3)
for step in range(100):  # plain gradient descent written by hand
    grads, terms = rnn.gradients(x, target, criterion=crit)
    for key in ("w_in", "w_rec", "w_out"):
        rnn.native.set_array(key, rnn.native.get_array(key) - 0.5 * grads[key])
    if step % 25 == 0:
        print(step, {k: round(v, 5) for k, v in terms.items()})
print("effective W_rec", rnn.effective_weights()["w_rec"].shape)
rnn.save("model.npz")
z = np.load("model.npz")
print("numpy.load sees:", sorted(z.files)[:8], "...")
again = CTRNN.from_file("model.npz")
rnn.eval(), again.eval()
print("reloaded model gives identical outputs:", np.array_equal(rnn(x)[0], again(x)[0]))
