# SPDX-License-Identifier: MIT
"""soak.py MINUTES DIR: mixed load from Python for MINUTES: create, forward,
train, save, load and free models (and trip the error paths) in a loop,
sampling this process's RSS and open file descriptors every few seconds.
Fails if, after the first quarter (warm-up), RSS or the fd count drifts by
more than 2 % (RSS) or at all (fds) between the second quarter's mean and
the last quarter's."""
import os
import sys
import time

import numpy as np

from nn4n import errors
from nn4n.core import Model, Objective, Optimizer

minutes, d = float(sys.argv[1]), sys.argv[2]
os.makedirs(d, exist_ok=True)


def rss_kb():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return -1


def fds():
    return len(os.listdir("/proc/self/fd"))


rng = np.random.default_rng(0)
u = rng.standard_normal((8, 50, 3))
tgt = rng.standard_normal((8, 50, 2))
obj, opt = Objective("rnnloss"), Optimizer("adam")
keep = Model(3, 64, 2, seed=1)
t_end = time.time() + 60 * minutes
samples, it, next_sample = [], 0, 0.0
while time.time() < t_end:
    m = Model(3, 32 + it % 64, 2, seed=it)
    m.forward(u)
    m.train(obj, opt, u, tgt) if it % 2 else m.gradient(obj, u, tgt)
    p = os.path.join(d, "m%d.npz" % (it % 4))
    m.save(p)
    Model.load(p).close()
    keep.forward(u)
    for bad in (lambda: Model.load(os.path.join(d, "absent.npz")), lambda: m.forward(np.zeros((2, 5, 9))),
                lambda: Model(1, 1 << 20, 1)):
        try:
            bad()
        except errors.Nn4nError:
            pass
    m.close()
    it += 1
    now = time.time()
    if now >= next_sample:
        samples.append((now, rss_kb(), fds()))
        next_sample = now + max(1.0, 60 * minutes / 200)
k = len(samples)
q2 = samples[k // 4: k // 2]
q4 = samples[3 * k // 4:]
r2, r4 = np.mean([s[1] for s in q2]), np.mean([s[1] for s in q4])
f2, f4 = max(s[2] for s in q2), max(s[2] for s in q4)
drift = (r4 - r2) / r2
with open(os.path.join(d, "samples.tsv"), "w") as f:
    for s in samples:
        f.write("%.1f\t%d\t%d\n" % s)
print("soak-python: %d iterations in %.1f min, %d samples; RSS %.0f -> %.0f KiB (%+.2f %%), fds %d -> %d"
      % (it, minutes, k, r2, r4, 100 * drift, f2, f4))
sys.exit(0 if abs(drift) <= 0.02 and f4 <= f2 and k >= 8 else 1)
