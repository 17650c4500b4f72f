# SPDX-License-Identifier: MIT
"""An nn4n (PyTorch) training loop, unchanged: torch optimiser, torch loss,
loss.backward() — forward and BPTT run in libnn4n.

    python examples/python/torch_training_loop.py
"""
import torch

from nn4n.model import CTRNN

x = torch.sin(torch.linspace(0, 10, 501)).reshape(1, -1, 1)
inputs, labels = x[:, :-1], x[:, 1:]
rnn = CTRNN(dims=[1, 20, 1])
optimizer = torch.optim.Adam(rnn.parameters(), lr=0.01)
for epoch in range(200):
    outputs, states = rnn(inputs)
    loss = torch.nn.MSELoss()(outputs, labels)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if epoch % 50 == 0:
        print(f"epoch {epoch} loss {loss.item():.5f}")
