"""Reference values for DescentNN's losses and layers, computed by PyTorch.

Run:  /work/venv/bin/python scripts/generate_nn_fixtures.py
Writes Tests/DescentNNTests/Fixtures/losses.json and layers.json.

Inputs are drawn as float32 (so Swift reads them exactly) and every reference is
computed in float64 from those values, so the fixtures hold the true values of the
float32 inputs; the Swift tests compare their float32 results to 1e-5.
"""
import json
import os

import numpy as np
import torch
import torch.nn.functional as F

torch.manual_seed(0)
rng = np.random.default_rng(0)
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "Tests", "DescentNNTests", "Fixtures")


def f32(shape, scale=1.0):
    return (rng.standard_normal(shape) * scale).astype(np.float32)


def flat(t):
    return [float(v) for v in np.asarray(t.detach().double()).reshape(-1)]


def loss_case(name, loss, reduction, inputs, fn, **extra):
    """inputs: dict name -> np.float32 array; fn(tensors) -> loss tensor. Gradient of sum(out * probe) w.r.t. 'input'."""
    tensors = {k: torch.tensor(v.astype(np.float64), requires_grad=(k == "input")) for k, v in inputs.items()}
    out = fn(tensors)
    probe = np.ones(out.shape, dtype=np.float32) if reduction != "none" else f32(out.shape)
    (out * torch.tensor(probe.astype(np.float64))).sum().backward()
    case = {"name": name, "loss": loss, "reduction": reduction,
            "shape": list(inputs["input"].shape), "probe": flat(torch.tensor(probe)),
            "value": flat(out), "gradient": flat(tensors["input"].grad)}
    for k, v in inputs.items():
        case[k] = [float(x) for x in v.reshape(-1)]
    case.update(extra)
    return case


def losses():
    cases = []
    for reduction in ["mean", "sum", "none"]:
        x, y = f32((4, 3)), f32((4, 3))
        cases.append(loss_case("mse", "meanSquaredError", reduction, {"input": x, "target": y},
                               lambda t: F.mse_loss(t["input"], t["target"], reduction=reduction)))
        cases.append(loss_case("l1", "l1Loss", reduction, {"input": x, "target": y},
                               lambda t: F.l1_loss(t["input"], t["target"], reduction=reduction)))
        for delta in [1.0, 0.5]:
            x2, y2 = f32((5, 2), 1.5), f32((5, 2))
            cases.append(loss_case(f"huber delta {delta}", "huberLoss", reduction, {"input": x2, "target": y2},
                                   lambda t: F.huber_loss(t["input"], t["target"], reduction=reduction, delta=delta),
                                   parameter=delta))
        for beta in [1.0, 0.5, 0.0]:
            x2, y2 = f32((5, 2), 1.5), f32((5, 2))
            cases.append(loss_case(f"smooth l1 beta {beta}", "smoothL1Loss", reduction, {"input": x2, "target": y2},
                                   lambda t: F.smooth_l1_loss(t["input"], t["target"], reduction=reduction, beta=beta),
                                   parameter=beta))
        # Binary cross-entropy with logits, including large logits.
        logits = f32((4, 3), 3.0)
        logits[0, 0], logits[1, 1], logits[2, 2] = 30.0, -30.0, 0.0
        targets = rng.uniform(0, 1, (4, 3)).astype(np.float32)
        targets[0, :] = [1, 0, 1]
        weight = rng.uniform(0.5, 2, (3,)).astype(np.float32)
        pos = rng.uniform(0.5, 3, (3,)).astype(np.float32)
        cases.append(loss_case("bce logits", "binaryCrossEntropyWithLogits", reduction, {"input": logits, "target": targets},
                               lambda t: F.binary_cross_entropy_with_logits(t["input"], t["target"], reduction=reduction)))
        cases.append(loss_case("bce logits weight", "binaryCrossEntropyWithLogits", reduction,
                               {"input": logits, "target": targets, "weight": weight},
                               lambda t: F.binary_cross_entropy_with_logits(t["input"], t["target"], weight=t["weight"], reduction=reduction)))
        cases.append(loss_case("bce logits pos_weight", "binaryCrossEntropyWithLogits", reduction,
                               {"input": logits, "target": targets, "weight": weight, "positiveWeight": pos},
                               lambda t: F.binary_cross_entropy_with_logits(t["input"], t["target"], weight=t["weight"],
                                                                            pos_weight=t["positiveWeight"], reduction=reduction)))
        # Softmax cross-entropy on class indices.
        logits = f32((6, 4), 2.0)
        labels = np.array([0, 3, 1, 1, 2, 3], dtype=np.float32)
        class_weights = np.array([0.5, 2.0, 1.0, 3.0], dtype=np.float32)
        for smoothing in [0.0, 0.2]:
            cases.append(loss_case(f"cross entropy smoothing {smoothing}", "crossEntropy", reduction,
                                   {"input": logits, "target": labels},
                                   lambda t: F.cross_entropy(t["input"], t["target"].long(), reduction=reduction,
                                                             label_smoothing=smoothing), parameter=smoothing))
            cases.append(loss_case(f"cross entropy weighted smoothing {smoothing}", "crossEntropy", reduction,
                                   {"input": logits, "target": labels, "weight": class_weights},
                                   lambda t: F.cross_entropy(t["input"], t["target"].long(), weight=t["weight"],
                                                             reduction=reduction, label_smoothing=smoothing), parameter=smoothing))
        log_probabilities = np.asarray(F.log_softmax(torch.tensor(logits), dim=1)).astype(np.float32)
        cases.append(loss_case("nll", "negativeLogLikelihood", reduction, {"input": log_probabilities, "target": labels},
                               lambda t: F.nll_loss(t["input"], t["target"].long(), reduction=reduction)))
        cases.append(loss_case("nll weighted", "negativeLogLikelihood", reduction,
                               {"input": log_probabilities, "target": labels, "weight": class_weights},
                               lambda t: F.nll_loss(t["input"], t["target"].long(), weight=t["weight"], reduction=reduction)))
    return {"about": "PyTorch " + torch.__version__ + " losses in float64 on float32 inputs. Each case: loss (Swift function), "
            "reduction, shape of input, input/target (flattened row-major; targets of cross-entropy and NLL are class indices), "
            "optional weight, positiveWeight, parameter (delta, beta or label smoothing), value (flattened), and gradient: "
            "d/d input of sum(value * probe). Generated by scripts/generate_nn_fixtures.py.",
            "cases": cases}


def tensor_entry(t):
    return {"shape": list(t.shape), "values": flat(t)}


def layers():
    result = {"about": "PyTorch " + torch.__version__ + " layer references in float64 on float32 inputs and parameters: "
              "each entry has shape and flattened row-major values. Generated by scripts/generate_nn_fixtures.py."}
    # conv2d + pools: input, weight, bias, outputs and gradients of sum(out * probe).
    x = torch.tensor(f32((2, 3, 7, 6)).astype(np.float64), requires_grad=True)
    w = torch.tensor(f32((4, 3, 3, 3)).astype(np.float64), requires_grad=True)
    b = torch.tensor(f32((4,)).astype(np.float64), requires_grad=True)
    out = F.conv2d(x, w, b, stride=2, padding=1)
    probe = torch.tensor(f32(tuple(out.shape)).astype(np.float64))
    (out * probe).sum().backward()
    result["conv2d"] = {"stride": 2, "padding": 1, "input": tensor_entry(x), "weight": tensor_entry(w), "bias": tensor_entry(b),
                        "probe": tensor_entry(probe), "output": tensor_entry(out), "inputGradient": tensor_entry(x.grad),
                        "weightGradient": tensor_entry(w.grad), "biasGradient": tensor_entry(b.grad)}
    pools = {}
    for name, fn in [("max k3 s2 p1", lambda t: F.max_pool2d(t, 3, 2, 1)), ("avg k3 s2 p1", lambda t: F.avg_pool2d(t, 3, 2, 1)),
                     ("avg k3 s2 p1 exclude pad", lambda t: F.avg_pool2d(t, 3, 2, 1, count_include_pad=False)),
                     ("max k2", lambda t: F.max_pool2d(t, 2)), ("avg k2 s1", lambda t: F.avg_pool2d(t, 2, 1))]:
        xi = x.detach().clone().requires_grad_(True)
        out = fn(xi)
        probe = torch.tensor(f32(tuple(out.shape)).astype(np.float64))
        (out * probe).sum().backward()
        pools[name] = {"probe": tensor_entry(probe), "output": tensor_entry(out), "inputGradient": tensor_entry(xi.grad)}
    result["pooling"] = {"input": tensor_entry(x), "cases": pools}
    # LayerNorm over the last two axes with affine parameters.
    x = torch.tensor(f32((3, 2, 4)).astype(np.float64), requires_grad=True)
    ln = torch.nn.LayerNorm([2, 4]).double()
    with torch.no_grad():
        ln.weight.copy_(torch.tensor(f32((2, 4)).astype(np.float64)))
        ln.bias.copy_(torch.tensor(f32((2, 4)).astype(np.float64)))
    out = ln(x)
    probe = torch.tensor(f32((3, 2, 4)).astype(np.float64))
    (out * probe).sum().backward()
    result["layerNorm"] = {"input": tensor_entry(x), "weight": tensor_entry(ln.weight), "bias": tensor_entry(ln.bias),
                           "probe": tensor_entry(probe), "output": tensor_entry(out), "inputGradient": tensor_entry(x.grad),
                           "weightGradient": tensor_entry(ln.weight.grad), "biasGradient": tensor_entry(ln.bias.grad)}
    # BatchNorm2d: two training steps (running statistics), then an evaluation step.
    bn = torch.nn.BatchNorm2d(3).double()
    with torch.no_grad():
        bn.weight.copy_(torch.tensor(f32((3,)).astype(np.float64)))
        bn.bias.copy_(torch.tensor(f32((3,)).astype(np.float64)))
    first = torch.tensor(f32((4, 3, 2, 3), 2.0).astype(np.float64) + 1, requires_grad=True)
    second = torch.tensor(f32((4, 3, 2, 3)).astype(np.float64))
    probe = torch.tensor(f32((4, 3, 2, 3)).astype(np.float64))
    bn.train()
    out1 = bn(first)
    (out1 * probe).sum().backward()
    out2 = bn(second)
    bn.eval()
    evaluation = torch.tensor(f32((2, 3, 2, 3)).astype(np.float64))
    out3 = bn(evaluation)
    result["batchNorm2d"] = {"weight": tensor_entry(bn.weight), "bias": tensor_entry(bn.bias),
                             "first": tensor_entry(first), "second": tensor_entry(second), "evaluation": tensor_entry(evaluation),
                             "probe": tensor_entry(probe), "firstOutput": tensor_entry(out1), "firstInputGradient": tensor_entry(first.grad),
                             "weightGradient": tensor_entry(bn.weight.grad), "biasGradient": tensor_entry(bn.bias.grad),
                             "secondOutput": tensor_entry(out2), "evaluationOutput": tensor_entry(out3),
                             "runningMean": tensor_entry(bn.running_mean), "runningVariance": tensor_entry(bn.running_var)}
    # BatchNorm1d on [N, C] input, one step.
    bn1 = torch.nn.BatchNorm1d(5).double()
    x = torch.tensor(f32((6, 5)).astype(np.float64))
    out = bn1(x)
    result["batchNorm1d"] = {"input": tensor_entry(x), "output": tensor_entry(out),
                             "runningMean": tensor_entry(bn1.running_mean), "runningVariance": tensor_entry(bn1.running_var)}
    # Activations on a fixed grid.
    grid = torch.tensor(np.linspace(-4, 4, 17, dtype=np.float32).astype(np.float64))
    result["activations"] = {"input": tensor_entry(grid), "relu": tensor_entry(F.relu(grid)),
                             "leakyRelu0.1": tensor_entry(F.leaky_relu(grid, 0.1)), "gelu": tensor_entry(F.gelu(grid)),
                             "tanh": tensor_entry(torch.tanh(grid)), "sigmoid": tensor_entry(torch.sigmoid(grid)),
                             "softplus": tensor_entry(F.softplus(grid))}
    # A small Sequential's state_dict names (for parameter discovery).
    model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.BatchNorm1d(8), torch.nn.Linear(8, 3))
    result["sequentialStateNames"] = list(model.state_dict().keys())
    return result


def embeddings():
    """nn.Embedding and a TabularInput-like layer (dense inputs, then embedded codes, concatenated), with gradients."""
    rng_local = np.random.default_rng(20)

    def g32(shape):
        return rng_local.standard_normal(shape).astype(np.float32)

    result = {"about": "PyTorch " + torch.__version__ + " nn.Embedding references in float64 on float32 weights: outputs and "
              "gradients of sum(out * probe). Generated by scripts/generate_nn_fixtures.py."}
    embedding = torch.nn.Embedding(7, 3).double()
    with torch.no_grad():
        embedding.weight.copy_(torch.tensor(g32((7, 3)).astype(np.float64)))
    indices = torch.tensor([[1, 4, 4, 0], [6, 1, 2, 4]])   # repeats: the gradient adds into row 4 three times
    out = embedding(indices)
    probe = torch.tensor(g32(tuple(out.shape)).astype(np.float64))
    (out * probe).sum().backward()
    result["embedding"] = {"weight": tensor_entry(embedding.weight), "indices": tensor_entry(indices.double()),
                           "probe": tensor_entry(probe), "output": tensor_entry(out),
                           "weightGradient": tensor_entry(embedding.weight.grad)}
    # fastai's TabularModel input: cat([dense, emb0(codes[:, 0]), emb1(codes[:, 1])], dim=1).
    dense = torch.tensor(g32((3, 2)).astype(np.float64), requires_grad=True)
    tables = [torch.nn.Embedding(5, 2).double(), torch.nn.Embedding(4, 3).double()]
    with torch.no_grad():
        for table in tables:
            table.weight.copy_(torch.tensor(g32(tuple(table.weight.shape)).astype(np.float64)))
    codes = torch.tensor([[3, 0], [1, 3], [3, 2]])
    out = torch.cat([dense] + [table(codes[:, i]) for i, table in enumerate(tables)], dim=1)
    probe = torch.tensor(g32(tuple(out.shape)).astype(np.float64))
    (out * probe).sum().backward()
    result["tabularInput"] = {"dense": tensor_entry(dense), "codes": tensor_entry(codes.double()),
                              "tables": [tensor_entry(t.weight) for t in tables], "probe": tensor_entry(probe),
                              "output": tensor_entry(out), "denseGradient": tensor_entry(dense.grad),
                              "tableGradients": [tensor_entry(t.weight.grad) for t in tables]}
    return result


def main():
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "embeddings.json"), "w") as handle:
        json.dump(embeddings(), handle)
    with open(os.path.join(OUT, "losses.json"), "w") as handle:
        json.dump(losses(), handle)
    with open(os.path.join(OUT, "layers.json"), "w") as handle:
        json.dump(layers(), handle)
    # Doc-comment examples.
    logits = torch.tensor([[2.0, 0, 0], [0, 0, 0]])
    print("crossEntropy doc:", F.cross_entropy(logits, torch.tensor([0, 2])).item(),
          F.cross_entropy(logits, torch.tensor([0, 2]), label_smoothing=0.1).item())
    print("gelu(-1), gelu(2):", F.gelu(torch.tensor([-1.0, 2.0])).tolist())


if __name__ == "__main__":
    main()
