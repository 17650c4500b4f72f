"""Training on neurogym datasets (``pip install neurogym``).

neurogym's ``Dataset`` returns time-first ``(inputs (T, B, I), labels (T, B))``
with integer labels (0 = fixate, k = choice k). :func:`batches` turns it
into the batch-first batches :func:`nn4n.train.fit` takes, and
:class:`~nn4n.criterion.CrossEntropyLoss` trains the linear head as logits
against the labels (softmax cross-entropy, every step counts, as in
neurogym's examples). :func:`accuracy` is neurogym's/nn-brain's trial
accuracy: the choice (argmax at a trial's last step) equals the ground truth.
"""

import numpy as np

__all__ = ["batches", "accuracy", "dims"]


def dims(dataset_or_env):
    """(n_inputs, n_outputs) of a neurogym Dataset or env."""
    env = getattr(dataset_or_env, "env", dataset_or_env)
    return int(env.observation_space.shape[0]), int(env.action_space.n)


def batches(dataset):
    """A callable for ``fit``: each call draws ``dataset()`` and converts it."""
    def draw():
        x, y = dataset()
        x = np.ascontiguousarray(np.swapaxes(np.asarray(x, dtype=np.float64), 0, 1))
        y = np.ascontiguousarray(np.swapaxes(np.asarray(y, dtype=np.float64), 0, 1))
        return {"inputs": x, "labels": y}
    return draw


def accuracy(model, env, n_trials=500, seed=None):
    """Fraction of trials whose choice (argmax of the output at the last step) is right.

    ``model`` is a CTRNN (evaluated without noise) or a core.Model. Trials are
    drawn from ``env`` (a neurogym env) with ``env.new_trial()``.
    """
    native = model.native if hasattr(model, "native") else model
    if hasattr(model, "_sync"):
        model._sync()
    was = native.get("training")
    native.set("training", 0.0)
    try:
        base = getattr(env, "unwrapped", env)
        if seed is not None and hasattr(base, "seed"):
            base.seed(seed)
        correct = 0
        for _ in range(int(n_trials)):
            base.new_trial()
            ob, gt = base.ob, base.gt
            y, _, _ = native.forward(np.asarray(ob, dtype=np.float64)[None], rates=False)
            correct += int(np.argmax(y[0, -1]) == gt[-1])
        return correct / float(n_trials)
    finally:
        native.set("training", was)
