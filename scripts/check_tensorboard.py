#!/usr/bin/env python3
"""Loads the event files that `descent train --tensorboard DIR` wrote with TensorBoard's own reader.

Usage:
    python scripts/check_tensorboard.py DIR [--expect-epochs N] [--expect-steps N]

Prints each scalar tag with its number of points and its first and last (step, value), and checks
what any run's files must hold: the scalars training/loss, training/learning_rate,
epoch/training_loss and epoch/learning_rate, steps that never go back within a tag, finite learning
rates, and (with --expect-epochs / --expect-steps) the number of points. Exits 1 on a failed check.

Needs the `tensorboard` package (pip install tensorboard; no TensorFlow needed). The Swift tests
check the framing and CRCs themselves; this script is the check against the real reader.
"""
import argparse
import math
import sys

from tensorboard.backend.event_processing.event_accumulator import EventAccumulator


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory")
    parser.add_argument("--expect-epochs", type=int)
    parser.add_argument("--expect-steps", type=int)
    arguments = parser.parse_args()

    # size_guidance 0: keep every point (the default samples 10,000 per tag).
    accumulator = EventAccumulator(arguments.directory, size_guidance={"scalars": 0})
    accumulator.Reload()
    tags = accumulator.Tags()["scalars"]
    failures = []
    print(f"{arguments.directory}: {len(tags)} scalar tags")
    for tag in sorted(tags):
        events = accumulator.Scalars(tag)
        first, last = events[0], events[-1]
        print(f"  {tag:28s} {len(events):6d} points  first (step {first.step}, {first.value:.6g})"
              f"  last (step {last.step}, {last.value:.6g})")
        steps = [event.step for event in events]
        if any(later < earlier for earlier, later in zip(steps, steps[1:])):
            failures.append(f"{tag}: the steps go back")
        if tag.endswith("learning_rate") and not all(math.isfinite(event.value) for event in events):
            failures.append(f"{tag}: a rate that is not finite")
    for required in ["training/loss", "training/learning_rate", "epoch/training_loss", "epoch/learning_rate"]:
        if required not in tags:
            failures.append(f"no scalar {required}")
    if arguments.expect_epochs is not None and "epoch/training_loss" in tags:
        count = len(accumulator.Scalars("epoch/training_loss"))
        if count != arguments.expect_epochs:
            failures.append(f"epoch/training_loss has {count} points, expected {arguments.expect_epochs}")
    if arguments.expect_steps is not None and "training/loss" in tags:
        count = len(accumulator.Scalars("training/loss"))
        if count != arguments.expect_steps:
            failures.append(f"training/loss has {count} points, expected {arguments.expect_steps}")
    for failure in failures:
        print(f"FAILED: {failure}")
    print("ok" if not failures else f"{len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
