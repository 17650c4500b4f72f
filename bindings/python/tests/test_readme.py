# SPDX-License-Identifier: MIT
"""The README's first training example (bindings/python/README.md, "A first
network that learns"), run as written: it must learn (final loss < 10 % of
the untrained network's, output not constant)."""

import pathlib
import re

import numpy as np

README = pathlib.Path(__file__).resolve().parents[1] / "README.md"


def readme_example():
    text = README.read_text()
    m = re.search(r"## A first network that learns\s*```python\n(.*?)```", text, re.S)
    assert m, "bindings/python/README.md has no 'A first network that learns' example"
    return m.group(1)


def test_readme_example_learns():
    code = readme_example()
    env = {}
    exec(compile(code, str(README), "exec"), env)
    from nn4n.criterion import RNNLoss
    from nn4n.model import CTRNN

    rnn, x, output, states = env["rnn"], env["x"], env["output"], env["states"]
    assert output.shape == (16, 50, 1) and states["h"].shape == (16, 50, 80)
    target = 0.5 * x
    trained, _ = RNNLoss(rnn)(output, target, states=states["h"])
    # The same network untrained: the README's constructor line, run again.
    ctor = re.search(r"^(ei\s*=.*?)\n(rnn\s*=.*?\n(?:\s+.*\n)*)", code, re.M)
    assert ctor, "the README example builds ei and rnn"
    fresh = {}
    exec(ctor.group(1) + "\n" + ctor.group(2), env | fresh, fresh)
    rnn0 = fresh["rnn"]
    assert isinstance(rnn0, CTRNN)
    out0, st0 = rnn0(x)
    initial, _ = RNNLoss(rnn0)(out0, target, states=st0["h"])
    initial, trained = float(initial), float(trained)
    print(f"README example: loss {initial:.4g} -> {trained:.4g}, output std {np.std(output):.3g}")
    assert trained < 0.1 * initial, f"the README example does not learn: loss {initial:.4g} -> {trained:.4g}"
    assert float(np.std(output)) > 0.05, f"the output is constant: std {np.std(output):.4g}"
    assert env["hist"]["updates"] == 400
