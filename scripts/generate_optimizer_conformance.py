#!/usr/bin/env python3
"""Generates conformance/optimizers-extra.json: optimizer cases beyond the shared file,
computed in float32 by the reference implementations (PyTorch, Optax, schedulefree,
prodigyopt, dadaptation), in the form of conformance/optimizers.json.

Run in a venv with: pip install torch optax schedulefree prodigyopt dadaptation
    python scripts/generate_optimizer_conformance.py > conformance/optimizers-extra.json
With only torch installed, refresh just the large-rate cases (lr 0.05, 30 steps) in place:
    python scripts/generate_optimizer_conformance.py --large-rate-only conformance/optimizers-extra.json
"""
import json
import math
import sys

import numpy as np
import torch

STEPS = 25
SIZE = 8


def data(seed, steps=STEPS, drift=0.0):
    """Random initial point and gradients; `drift` adds a constant direction so that
    distance-estimating optimizers (Prodigy, D-Adaptation) grow their estimate and move far."""
    rng = np.random.default_rng(seed)
    initial = rng.standard_normal(SIZE).astype(np.float32)
    gradients = (rng.standard_normal((steps, SIZE)) + drift).astype(np.float32)
    return initial, gradients


def torch_case(name, source, make, params, seed, schedule=None, scheduler_factory=None, eval_mode=False, steps=STEPS,
               drift=0.0):
    initial, gradients = data(seed, steps, drift)
    p = torch.nn.Parameter(torch.tensor(initial))
    # JSON null means the reference's default; growth_rate's default is infinity (not JSON).
    call = {k: (math.inf if k == "growth_rate" and v is None else v) for k, v in params.items()}
    optimizer = make([p], **call)
    scheduler = scheduler_factory(optimizer) if scheduler_factory else None
    if eval_mode:
        optimizer.train()
    expected = []
    for g in gradients:
        p.grad = torch.tensor(g)
        optimizer.step()
        if scheduler is not None:
            scheduler.step()
        expected.append(p.detach().numpy().astype(float).tolist())
    case = {"name": name, "source": source, "optimizer": make.__name__, "params": params,
            "initial": initial.astype(float).tolist(), "gradients": gradients.astype(float).tolist(),
            "expected": expected}
    if schedule is not None:
        case["lr_schedule"] = schedule
    if eval_mode:
        optimizer.eval()
        case["expected_eval"] = p.detach().numpy().astype(float).tolist()
        case["note"] = ("expected[i] are the training-mode parameters (where gradients are taken) after step i; "
                        "expected_eval are the averaged parameters after the last step")
    return case


def optax_case(name, factory_name, params, seed):
    import jax.numpy as jnp
    import optax
    initial, gradients = data(seed)
    transform = getattr(optax, factory_name)(**params)
    x = jnp.asarray(initial, dtype=jnp.float32)
    state = transform.init(x)
    expected = []
    for g in gradients:
        updates, state = transform.update(jnp.asarray(g, dtype=jnp.float32), state, x)
        x = optax.apply_updates(x, updates)
        expected.append(np.asarray(x, dtype=np.float32).astype(float).tolist())
    return {"name": name, "source": "optax", "optimizer": factory_name, "params": params,
            "initial": initial.astype(float).tolist(), "gradients": gradients.astype(float).tolist(),
            "expected": expected}


def large_rate_cases():
    """PyTorch's optimizers at larger rates and more steps (lr 0.05, 30 steps), where a constant such as
    1 - beta2 computed in float32 instead of double (then rounded once, as PyTorch does) drifts past the
    tolerance: Adam at lr 0.05 was 1.8e-4 off after 9 steps."""
    o = torch.optim
    steps = 30
    return [
        torch_case("adam_lr005_30", "pytorch", o.Adam, {"lr": 0.05}, 201, steps=steps),
        torch_case("adamw_lr005_30", "pytorch", o.AdamW, {"lr": 0.05, "weight_decay": 0.1}, 202, steps=steps),
        torch_case("adam_amsgrad_lr005_30", "pytorch", o.Adam,
                   {"lr": 0.05, "betas": [0.8, 0.99], "amsgrad": True, "weight_decay": 0.01}, 203, steps=steps),
        torch_case("adamax_lr005_30", "pytorch", o.Adamax, {"lr": 0.05, "betas": [0.8, 0.99]}, 204, steps=steps),
        torch_case("nadam_lr005_30", "pytorch", o.NAdam, {"lr": 0.05, "betas": [0.8, 0.99]}, 205, steps=steps),
        torch_case("radam_lr005_30", "pytorch", o.RAdam, {"lr": 0.05, "betas": [0.8, 0.99]}, 206, steps=steps),
        torch_case("rmsprop_lr005_30", "pytorch", o.RMSprop, {"lr": 0.05, "alpha": 0.9}, 207, steps=steps),
        torch_case("rmsprop_centered_lr005_30", "pytorch", o.RMSprop,
                   {"lr": 0.05, "alpha": 0.95, "momentum": 0.7, "centered": True}, 208, steps=steps),
        torch_case("adadelta_lr005_30", "pytorch", o.Adadelta, {"lr": 0.05, "rho": 0.8}, 209, steps=steps),
        torch_case("adagrad_lr005_30", "pytorch", o.Adagrad, {"lr": 0.05, "lr_decay": 0.01}, 210, steps=steps),
        torch_case("sgd_lr005_30", "pytorch", o.SGD, {"lr": 0.05, "momentum": 0.9, "dampening": 0.1}, 211, steps=steps),
    ]


def refresh_large_rate_cases(path):
    """Replaces (or adds) the large-rate cases in the file at `path`, leaving the others as they are."""
    with open(path) as file:
        document = json.load(file)
    fresh = large_rate_cases()
    names = {case["name"] for case in fresh}
    document["cases"] = [case for case in document["cases"] if case["name"] not in names] + fresh
    with open(path, "w") as file:
        file.write(json.dumps(document) + "\n")


def main():
    import dadaptation
    import prodigyopt
    import schedulefree
    from torch.optim import lr_scheduler as S
    cases = []
    o = torch.optim
    cases.append(torch_case("sgd_maximize_wd", "pytorch", o.SGD,
                            {"lr": 0.05, "momentum": 0.9, "weight_decay": 0.01, "maximize": True}, 101))
    cases.append(torch_case("adam_maximize", "pytorch", o.Adam, {"lr": 0.01, "maximize": True}, 102))
    cases.append(torch_case("adamw_amsgrad", "pytorch", o.AdamW,
                            {"lr": 0.02, "betas": [0.85, 0.995], "weight_decay": 0.05, "amsgrad": True}, 103))
    cases.append(torch_case("nadam_decoupled_wd", "pytorch", o.NAdam,
                            {"lr": 0.01, "weight_decay": 0.02, "decoupled_weight_decay": True, "momentum_decay": 0.01}, 104))
    cases.append(torch_case("nadam_l2_wd", "pytorch", o.NAdam, {"lr": 0.01, "weight_decay": 0.02}, 105))
    cases.append(torch_case("radam_decoupled_wd", "pytorch", o.RAdam,
                            {"lr": 0.01, "weight_decay": 0.02, "decoupled_weight_decay": True}, 106, steps=30))
    cases.append(torch_case("adamax_wd", "pytorch", o.Adamax, {"lr": 0.02, "weight_decay": 0.01}, 107))
    cases.append(torch_case("rmsprop_wd_momentum", "pytorch", o.RMSprop,
                            {"lr": 0.01, "alpha": 0.95, "momentum": 0.8, "weight_decay": 0.01}, 108))
    cases.append(torch_case("adagrad_wd", "pytorch", o.Adagrad, {"lr": 0.1, "weight_decay": 0.01}, 109))
    cases.append(torch_case("adadelta_wd", "pytorch", o.Adadelta, {"lr": 0.5, "rho": 0.95, "weight_decay": 0.01}, 110))
    cases.append(torch_case("adam_step_schedule", "pytorch", o.Adam, {"lr": 0.02}, 111,
                            schedule={"schedule": "StepLR", "params": {"step_size": 5, "gamma": 0.5}},
                            scheduler_factory=lambda opt: S.StepLR(opt, step_size=5, gamma=0.5)))
    cases.append(torch_case("adam_onecycle", "pytorch", o.Adam, {"lr": 0.01}, 112,
                            schedule={"schedule": "OneCycleLR", "params": {"max_lr": 0.01, "total_steps": 25}},
                            scheduler_factory=lambda opt: S.OneCycleLR(opt, max_lr=0.01, total_steps=25)))
    cases.append(torch_case("schedulefree_sgd_r_wd", "schedulefree", schedulefree.SGDScheduleFree,
                            {"lr": 0.05, "momentum": 0.8, "warmup_steps": 0, "r": 0.5, "weight_lr_power": 1.0,
                             "weight_decay": 0.01}, 113, eval_mode=True))
    cases.append(torch_case("schedulefree_adamw_r", "schedulefree", schedulefree.AdamWScheduleFree,
                            {"lr": 0.02, "betas": [0.95, 0.99], "eps": 1e-8, "warmup_steps": 3, "r": 1.0,
                             "weight_lr_power": 2.0, "weight_decay": 0.0}, 114, eval_mode=True))
    cases.append(torch_case("prodigy_bias_correction_safeguard", "prodigyopt", prodigyopt.Prodigy,
                            {"lr": 1.0, "betas": [0.9, 0.99], "beta3": None, "d0": 1e-4, "d_coef": 0.5,
                             "growth_rate": 1.5, "weight_decay": 0.01, "decouple": True,
                             "use_bias_correction": True, "safeguard_warmup": True, "eps": 1e-8}, 115, steps=30))
    cases.append(torch_case("prodigy_coupled_wd", "prodigyopt", prodigyopt.Prodigy,
                            {"lr": 0.5, "betas": [0.9, 0.999], "beta3": 0.98, "d0": 1e-5, "d_coef": 1.0,
                             "growth_rate": None, "weight_decay": 0.01, "decouple": False,
                             "use_bias_correction": False, "safeguard_warmup": False, "eps": 1e-8}, 116, steps=30))
    cases.append(torch_case("dadapt_sgd", "dadaptation", dadaptation.DAdaptSGD, {"lr": 1.0}, 117))
    cases.append(torch_case("dadapt_sgd_momentum_wd", "dadaptation", dadaptation.DAdaptSGD,
                            {"lr": 0.5, "momentum": 0.9, "weight_decay": 0.01, "d0": 1e-4, "growth_rate": 2.0}, 118))
    cases.append(torch_case("dadapt_adam", "dadaptation", dadaptation.DAdaptAdam, {"lr": 1.0}, 119))
    cases.append(torch_case("dadapt_adam_decoupled_bias_correction", "dadaptation", dadaptation.DAdaptAdam,
                            {"lr": 1.0, "betas": [0.9, 0.99], "eps": 1e-8, "weight_decay": 0.01, "decouple": True,
                             "use_bias_correction": True, "d0": 1e-5, "growth_rate": 3.0}, 120))
    cases.append(torch_case("dadapt_adam_l2_wd", "dadaptation", dadaptation.DAdaptAdam,
                            {"lr": 1.0, "weight_decay": 0.01}, 121))
    cases.append(torch_case("prodigy_drift", "prodigyopt", prodigyopt.Prodigy,
                            {"lr": 1.0, "d0": 1e-3, "weight_decay": 0.01, "growth_rate": 1.2}, 128, steps=40, drift=1.0))
    cases.append(torch_case("dadapt_sgd_drift", "dadaptation", dadaptation.DAdaptSGD,
                            {"lr": 1.0, "momentum": 0.5, "d0": 1e-3, "growth_rate": 1.2}, 129, steps=40, drift=1.0))
    cases.append(torch_case("dadapt_adam_drift", "dadaptation", dadaptation.DAdaptAdam,
                            {"lr": 1.0, "d0": 1e-3, "weight_decay": 0.01, "decouple": True, "growth_rate": 1.2}, 130, steps=40, drift=1.0))
    cases.append(optax_case("lion", "lion", {"learning_rate": 0.01, "b1": 0.9, "b2": 0.99, "weight_decay": 0.01}, 122))
    cases.append(optax_case("lion_defaults", "lion", {"learning_rate": 0.003}, 123))
    cases.append(optax_case("lamb", "lamb", {"learning_rate": 0.01, "b1": 0.9, "b2": 0.999, "eps": 1e-6,
                                             "weight_decay": 0.01}, 124))
    cases.append(optax_case("lamb_eps_root", "lamb", {"learning_rate": 0.02, "eps_root": 1e-8}, 125))
    cases.append(optax_case("lars", "lars", {"learning_rate": 0.5, "weight_decay": 0.001, "trust_coefficient": 0.01,
                                             "momentum": 0.9}, 126))
    cases.append(optax_case("lars_nesterov_eps", "lars", {"learning_rate": 0.5, "weight_decay": 0.01, "eps": 0.1,
                                                          "trust_coefficient": 0.02, "momentum": 0.8,
                                                          "nesterov": True}, 127))
    cases.extend(large_rate_cases())
    about = ("Extra optimizer conformance cases, in the form of optimizers.json (read its 'about'). "
             "Generated by scripts/generate_optimizer_conformance.py with the real references in float32. "
             "Optax cases use Optax's parameter names (learning_rate, b1, b2); a null parameter means "
             "the reference's own default (Prodigy growth_rate null: infinity, beta3 null: sqrt(beta2)).")
    import optax, importlib.metadata as md
    generated_by = "torch %s, optax %s, schedulefree %s, prodigyopt %s, dadaptation %s" % (
        torch.__version__, optax.__version__, md.version("schedulefree"), md.version("prodigyopt"),
        md.version("dadaptation"))
    return {"about": about, "generated_by": generated_by, "cases": cases}


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--large-rate-only":
        refresh_large_rate_cases(sys.argv[2])
        sys.exit(0)
    import contextlib
    with contextlib.redirect_stdout(sys.stderr):  # the references print notices
        document = main()
    sys.stdout.write(json.dumps(document) + "\n")
