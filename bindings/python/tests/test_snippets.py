# SPDX-License-Identifier: MIT
"""nn4n's own documentation snippets, run unchanged (our package is also
called nn4n) or with only the import changed (nn4n ≤ 1.1 scripts:
``nn4n.legacy``). Plots go to matplotlib's Agg backend."""

import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")
matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def test_quickstart_sine_wave_training_with_torch_optimizer():
    # nn4n.org quickstart (nn4n 1.1, time-first data); only the import changed,
    # and 500 epochs shortened to 150 to keep the suite fast.
    inputs = np.sin(np.linspace(0, 10, 1000))
    inputs = torch.from_numpy(inputs).float().unsqueeze(1).unsqueeze(1)
    labels = inputs[1:]
    inputs = inputs[:-1]

    from nn4n.legacy import CTRNN
    np.random.seed(0)
    with pytest.warns(UserWarning, match="deprecated"):
        rnn = CTRNN(input_dim=1, hidden_size=10, output_dim=1)
    optimizer = torch.optim.Adam(rnn.parameters(), lr=0.001)

    losses = []
    for epoch in range(150):
        outputs, states = rnn(inputs)
        loss = torch.nn.MSELoss()(outputs, labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert outputs.shape == (999, 1, 1) and states[0].shape == (999, 1, 10)
    assert losses[-1] < 0.5 * losses[0], (losses[0], losses[-1])


def test_torch_gradients_equal_native_gradients():
    from nn4n.model import CTRNN
    from nn4n.criterion import RNNLoss
    rnn = CTRNN(dims=[2, 12, 3], activation="tanh", precision="float64", seed=4, biases="zero",
                postact_noise=0.05)
    x = torch.randn(5, 20, 2, dtype=torch.float64)
    y_t = torch.randn(5, 20, 3, dtype=torch.float64)
    crit = RNNLoss(rnn, lambda_hid=0.5, lambda_fr=1.0, lambda_fr_sd=0.3)
    seed_state = rnn._noise_rng.bit_generator.state
    out, st = rnn(x)
    total, _ = crit(out, y_t, states=st["h"])
    rnn.zero_grad()
    total.backward()
    torch_grads = {n: p.grad.numpy().copy() for n, p in rnn.named_parameters() if p.grad is not None}
    rnn._noise_rng.bit_generator.state = seed_state  # replay the same noise natively
    grads, terms = rnn.gradients(x.numpy(), y_t.numpy(), criterion=crit)
    assert abs(terms["total"] - float(total)) < 1e-10
    names = {"recurrent_layer.input_layer.weight": "w_in", "recurrent_layer.hidden_layer.weight": "w_rec",
             "readout_layer.weight": "w_out", "recurrent_layer.input_layer.bias": "b_in",
             "recurrent_layer.hidden_layer.bias": "b_rec", "readout_layer.bias": "b_out"}
    for n, g in torch_grads.items():
        np.testing.assert_allclose(g, grads[names[n]], rtol=1e-7, atol=1e-12, err_msg=n)


def test_multi_area_doc_example_and_sparsity_use():
    import torch
    from nn4n.mask import MultiArea
    area_connectivities = np.array([
        [1.0, 0.1, 0.0, 0.0],
        [0.1, 1.0, 0.1, 0.0],
        [0.0, 0.1, 1.0, 0.1],
        [0.0, 0.0, 0.1, 1.0],
    ])
    mask_params = {
        "n_areas": 4,
        "area_connectivities": area_connectivities,
        "input_areas": [0],
        "readout_areas": [2, 3],
        "dims": [1, 100, 1],
    }
    network_mask = MultiArea(**mask_params)
    network_mask.plot_masks()

    from nn4n.model import CTRNN
    rnn = CTRNN(sparsity_masks=network_mask.get_masks())
    layer = rnn.layers[1]
    optimizer = torch.optim.Adam(rnn.parameters(), lr=0.001)
    rnn.plot_layers()
    plt.close("all")
    # nn4n's orientation: input mask (I, N); hidden (pre, post)
    assert network_mask.get_masks()[0].shape == (1, 100)
    w = rnn.effective_weights()["w_rec"]
    assert np.all(w[network_mask.hidden_mask == 0] == 0)
    assert layer.weight.shape == (100, 100)
    assert set(network_mask.get_input_indices()) == set(range(25))


def test_multi_io_doc_example(capsys):
    import numpy as np
    from nn4n.mask import MultiIO
    input_table = np.ones((2, 200))
    readout_table = np.ones((2, 200))
    input_table[0, 0:100] = 0
    input_table[1, 100:150] = 0
    readout_table[0, 100:200] = 0
    mask_params = {
        "dims": [20, 200, 10],
        "input_dims": [5, 15],
        "readout_dims": [5, 5],
        "input_table": input_table,
        "readout_table": readout_table,
    }
    mask = MultiIO(**mask_params)
    mask.print_specs()
    mask.plot_masks()
    plt.close("all")
    assert "input_table_shape" in capsys.readouterr().out
    inp = mask.get_masks()[0]  # (I, N)
    assert inp.shape == (20, 200) and inp[0, :100].sum() == 0 and inp[0, 100:].all()


def test_multi_area_ei_doc_methods_and_ctrnn_usage():
    from nn4n.mask import MultiAreaEI
    from nn4n.model import CTRNN
    multi_area_ei = MultiAreaEI(dims=[2, 60, 2], n_areas=3, area_connectivities=[0.1, 0.05],
                                input_areas=[0], readout_areas=[1])
    sparsity_masks = multi_area_ei.get_sparsity_masks()
    specs = multi_area_ei.get_specs()
    assert specs["exc_pct"] == 0.8 and specs["n_areas"] == 3
    rnn = CTRNN(dims=[2, 60, 2], ei_masks=multi_area_ei.get_masks(), sparsity_masks=sparsity_masks)
    w = rnn.effective_weights()["w_rec"]
    sign = multi_area_ei.get_masks()[1].T  # (post, pre)
    assert np.all(w[sign > 0] >= 0) and np.all(w[sign < 0] <= 0) and np.all(w[sign == 0] == 0)


def test_rnnloss_doc_usage_and_forward_with_init_state():
    from nn4n.model import CTRNN
    from nn4n.criterion import RNNLoss
    ctrnn = CTRNN(dims=[3, 20, 2])
    input_tensor = torch.rand(4, 15, 3)
    init_state = torch.zeros(4, 20)
    output, states = ctrnn.forward(input_tensor, init_state)
    rnn_loss = RNNLoss(ctrnn, lambda_fr=0.1, lambda_hid=0.01)
    total_loss, losses = rnn_loss(pred=output, label=torch.zeros_like(output), states=states["h"])
    assert losses.shape == (3,) and abs(float(total_loss) - float(losses.sum())) < 1e-6
    ctrnn.eval()
    ctrnn.train()


def test_composite_loss_doc_example():
    import torch
    from nn4n.criterion import CompositeLoss
    loss_cfg = {
        'loss_fr_1': {'type': 'fr', 'params': {'metric': 'l2'}, 'lambda': 1.0},
        'loss_mse': {'type': 'mse', 'lambda': 0.5}
    }
    composite_loss = CompositeLoss(loss_cfg)
    loss_input_dict = {
        'loss_fr_1': {'states': torch.rand(10, 100)},
        'loss_mse': {'input': torch.rand(10, 1), 'target': torch.rand(10, 1)}
    }
    total_loss, loss_dict = composite_loss.forward(loss_input_dict)
    assert set(loss_dict) == {"loss_fr_1", "loss_mse"}
    assert abs(float(total_loss) - sum(float(v) for v in loss_dict.values())) < 1e-6


def test_deprecated_arguments_warn_like_nn4n():
    from nn4n.model import CTRNN
    with pytest.warns(UserWarning, match="use_dale is deprecated"):
        CTRNN(dims=[1, 5, 1], use_dale=True)
    with pytest.warns(UserWarning, match="init_state is deprecated"):
        CTRNN(dims=[1, 5, 1], init_state="zero")
    with pytest.warns(UserWarning, match="unrecognized parameter: bogus"):
        CTRNN(dims=[1, 5, 1], bogus=1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        CTRNN(dims=[1, 5, 1], learn_alpha=True)  # nn4n called this unrecognized
