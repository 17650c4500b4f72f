# SPDX-License-Identifier: MIT
"""nn4n quickstart on the library: build a CTRNN, run it, train it natively.

    python examples/python/quickstart.py
"""
import numpy as np

import nn4n
from nn4n.model import CTRNN
from nn4n.criterion import RNNLoss

# predict the next value of a sine wave (batch-first: (B, T, I))
t = np.linspace(0, 10, 1001)
x = np.sin(t)[None, :-1, None]
y = np.sin(t)[None, 1:, None]

rnn = CTRNN(dims=[1, 50, 1], activation="relu", dt=10, tau=100, seed=0, precision="float64")
output, states = rnn(x)
print("output", output.shape, "hidden rates", states["h"].shape)

hist = rnn.fit(x, y, criterion=RNNLoss(rnn, lambda_fr=1e-3), optimizer=nn4n.optim.Adam(lr=1e-2),
               n_updates=500, chunk=50)
print(f"loss {hist['loss'][0]:.4f} -> {hist['loss'][-1]:.4f} in {hist['seconds']:.1f} s")
rnn.print_layer()
