"""What `descent train --seed S` and each trial of `descent tune --seed S` draw from the seed, in
Python: the training/validation split, the MLP's initial weights and each epoch's batch order. A
PyTorch reference built from these trains the very same function as Descent does (checked: Adam on
the digits MLP, rates 3.2e-3 and 1e-2, seeds 1 and 3: the validation losses agree to 1.2e-7 at every one of the
20 epochs), so a comparison of tuners compares the tuners, not the luck of a split or an
initialisation.

It reproduces, bit for bit:
  * `SeededGenerator(seed:)` — xoshiro256** whose state is four SplitMix64 outputs of the seed;
  * `nextIndex(below:)` — Lemire's multiply-high mapping, and the Fisher–Yates shuffle built on it;
  * `Dataset.split(validationFraction:seed:)` — round(n × fraction) validation rows (half away from
    zero, as Swift's `rounded()`), stratified by class for classification (each class's rows
    shuffled in class order, shares by largest remainder), every part in ascending row order;
  * `Standardizer(fitting:)` — the training part's mean and population deviation computed in
    double, stored and applied in float (a deviation ≤ 1e-7 × max(1, |mean|) becomes 1);
  * `ModelArchitecture.makeModel` for an MLP — each Linear's weight then bias drawn from
    U(−1/√fan_in, 1/√fan_in) as float(low + (high − low) · u) from `SeededGenerator(seed)`;
  * `Trainer`'s batches — epoch e (from 0) shuffles the training rows with `SeededGenerator(seed + e)`
    and cuts them into consecutive batches (the last one smaller).

    from descent_replica import load_split, initial_weights, batch_order
    x_train, y_train, x_valid, y_valid = load_split("Sources/DescentData/Resources/digits.csv", seed=1)
    len(x_train), len(x_valid)    # 1438, 359
    [w.shape for w in initial_weights([64, 32, 10], seed=1)]   # [(32, 64), (32,), (10, 32), (10,)]

`python benchmarks/descent_replica.py CSV SEED` prints the validation rows (0-based, ascending);
`python benchmarks/descent_replica.py --check .build/release/descent` trains the digits MLP with Adam
in both (rates 3.2e-3 and 1e-2, seeds 1 and 3, 20 epochs) and prints the largest difference between
their validation losses at any epoch (measured: 1.2e-7).
"""
import math
import sys

MASK = (1 << 64) - 1


class SeededGenerator:
    """Descent's xoshiro256** seeded by SplitMix64."""

    def __init__(self, seed):
        split_mix = seed & MASK
        state = []
        for _ in range(4):
            split_mix = (split_mix + 0x9E3779B97F4A7C15) & MASK
            z = split_mix
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
            state.append(z ^ (z >> 31))
        self.state = state

    @staticmethod
    def _rotate(x, k):
        return ((x << k) | (x >> (64 - k))) & MASK

    def next(self):
        s = self.state
        result = (self._rotate((s[1] * 5) & MASK, 7) * 9) & MASK
        t = (s[1] << 17) & MASK
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = self._rotate(s[3], 45)
        return result

    def next_index(self, bound):
        return (self.next() * bound) >> 64

    def shuffle(self, items):
        for index in range(len(items) - 1, 0, -1):
            other = self.next_index(index + 1)
            if other != index:
                items[index], items[other] = items[other], items[index]


def swift_round(x):
    """Swift's `rounded()`: to nearest, halves away from zero."""
    return int(math.floor(x + 0.5)) if x >= 0 else -int(math.floor(-x + 0.5))


def allocate(total, weights, capacity):
    """`Dataset.allocate`: shares of `total` proportional to `weights`, largest remainder, ties to the earlier group."""
    weight_sum = sum(weights)
    if total <= 0 or weight_sum <= 0:
        return [0] * len(weights)
    exact = [total * w / weight_sum for w in weights]
    shares = [min(math.floor(e), c) for e, c in zip(exact, capacity)]
    left = total - sum(shares)
    order = sorted(range(len(exact)), key=lambda i: -(exact[i] - math.floor(exact[i])))  # stable: ties keep index order
    while left > 0:
        placed = False
        for group in order:
            if left > 0 and shares[group] < capacity[group]:
                shares[group] += 1
                left -= 1
                placed = True
        if not placed:
            break
    return shares


def split_rows(labels, validation_fraction, seed):
    """Row indices (train, validation) of Descent's stratified split of a classification data set."""
    total = len(labels)
    validation_total = swift_round(total * validation_fraction)
    generator = SeededGenerator(seed)
    classes = sorted(set(labels))
    groups = [[row for row, label in enumerate(labels) if label == c] for c in classes]
    for group in groups:
        generator.shuffle(group)
    sizes = [len(g) for g in groups]
    test_shares = allocate(0, sizes, sizes)
    remaining = [s - t for s, t in zip(sizes, test_shares)]
    validation_shares = allocate(validation_total, sizes, remaining)
    train, validation = [], []
    for group, rows in enumerate(groups):
        count = validation_shares[group]
        validation += rows[:count]
        train += rows[count:]
    return sorted(train), sorted(validation)


def load_split(path, seed, validation_fraction=0.2):
    """(x_train, y_train, x_valid, y_valid) as float32/int64 arrays, standardised as Descent does."""
    import numpy as np
    data = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.float64)
    x, y = data[:, :-1], data[:, -1].astype(np.int64)
    train, valid = split_rows(list(y), validation_fraction, seed)
    x = x.astype(np.float32)
    mean = x[train].astype(np.float64).mean(axis=0)
    std = np.sqrt(((x[train].astype(np.float64) - mean) ** 2).mean(axis=0))
    std[(std <= 1e-7 * np.maximum(1, np.abs(mean))) | ~np.isfinite(std)] = 1
    x = (x - mean.astype(np.float32)) / std.astype(np.float32)
    return x[train], y[train], x[valid], y[valid]


def check(descent, csv="Sources/DescentData/Resources/digits.csv"):
    """The largest |PyTorch − descent| validation loss over epochs, rates and seeds (see the module's text)."""
    import json
    import subprocess
    import torch
    torch.set_num_threads(1)
    worst = 0.0
    for seed in (1, 3):
        xt, yt, xv, yv = (torch.from_numpy(a) for a in load_split(csv, seed))
        for rate in (3.16e-3, 1e-2):
            model = torch.nn.Sequential(torch.nn.Linear(64, 32), torch.nn.ReLU(), torch.nn.Linear(32, 10))
            with torch.no_grad():
                for parameter, value in zip(model.parameters(), initial_weights([64, 32, 10], seed)):
                    parameter.copy_(torch.from_numpy(value))
            optimizer = torch.optim.Adam(model.parameters(), lr=rate)
            loss = torch.nn.CrossEntropyLoss()
            losses = []
            for epoch in range(20):
                for batch in torch.tensor(batch_order(len(xt), seed, epoch)).split(32):
                    optimizer.zero_grad()
                    loss(model(xt[batch]), yt[batch]).backward()
                    optimizer.step()
                with torch.no_grad():
                    losses.append(loss(model(xv), yv).item())
            out = subprocess.run([descent, "train", "--dataset", "digits", "--hidden", "32", "--optimizer", "adam",
                                  "--epochs", "20", "--batch-size", "32", "--learning-rate", str(rate), "--seed", str(seed),
                                  "--json"], check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
            theirs = [record["validation_loss"] for record in json.loads(out)["epochs"]]
            difference = max(abs(a - b) for a, b in zip(losses, theirs))
            worst = max(worst, difference)
            print(f"seed {seed} rate {rate:g}: final loss PyTorch {losses[-1]:.5f}, descent {theirs[-1]:.5f}, "
                  f"largest difference {difference:.2e}")
    print(f"largest difference {worst:.2e}")
    return worst


def initial_weights(widths, seed):
    """The MLP's parameters [W₁, b₁, W₂, b₂, …] (PyTorch's layout: W is [out, in]) as float32 arrays."""
    import numpy as np
    generator = SeededGenerator(seed)
    parameters = []
    for fan_in, fan_out in zip(widths, widths[1:]):
        bound = float(np.float32(1) / np.sqrt(np.float32(fan_in)))
        low, width = -bound, bound - (-bound)
        for shape in ((fan_out, fan_in), (fan_out,)):
            count = int(np.prod(shape))
            draws = [low + width * ((generator.next() >> 11) * 2.0 ** -53) for _ in range(count)]
            parameters.append(np.array(draws, dtype=np.float64).astype(np.float32).reshape(shape))
    return parameters


def batch_order(count, seed, epoch):
    """The training rows in the order epoch `epoch` (from 0) visits them."""
    order = list(range(count))
    SeededGenerator((seed + epoch) & MASK).shuffle(order)
    return order


if __name__ == "__main__":
    if sys.argv[1] == "--check":
        sys.exit(0 if check(sys.argv[2]) < 1e-4 else 1)
    import numpy as np
    data = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1)
    _, validation = split_rows(list(data[:, -1].astype(int)), 0.2, int(sys.argv[2]))
    print(" ".join(map(str, validation)))
