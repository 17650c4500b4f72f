# SPDX-License-Identifier: MIT
"""Multi-area E/I masks (nn4n's generators) and a Dale's-law network built from them.

    python examples/python/masks.py      # writes masks.png
"""
import matplotlib
matplotlib.use("Agg")
import numpy as np

from nn4n.mask import MultiAreaEI
from nn4n.model import CTRNN

conn = np.array([[1.0, 0.1, 0.0], [0.1, 1.0, 0.1], [0.0, 0.1, 1.0]])
ei = MultiAreaEI(dims=[2, 120, 2], n_areas=3, area_connectivities=conn, input_areas=[0],
                 readout_areas=[2], exc_pct=0.8, inh_readout=False, seed=1)
ei.print_specs()
print("input units", ei.get_input_indices()[:10], "... readout units", ei.get_readout_indices()[:10], "...")
# nn4n orientation (pre, post) by default; the weights are (post, pre)
print("mask shapes (pre, post):", [m.shape for m in ei.get_masks()])
print("mask shapes (post, pre):", [m.shape for m in ei.get_masks(orientation="post_pre")])
rnn = CTRNN(dims=[2, 120, 2], ei_masks=ei.get_masks(), sparsity_masks=ei.get_sparsity_masks(), seed=1)
w = rnn.effective_weights()["w_rec"]
print("excitatory columns >= 0:", bool((w[:, ei.excitatory_neurons] >= 0).all()),
      " inhibitory columns <= 0:", bool((w[:, ei.inhibitory_neurons] <= 0).all()))
figs = ei.plot_masks(show=False)
figs[1].savefig("masks.png")
print("wrote masks.png")
