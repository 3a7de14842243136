"""Generates conformance/schedules-extra.json: reference values for the schedule kinds and
parameter combinations that shared/conformance/schedules.json does not cover.

Run with a Python that has torch, optax (jax) and keras (jax backend):
    KERAS_BACKEND=jax python scripts/generate_schedule_extras.py > conformance/schedules-extra.json
PyTorch cases record the rate in the param group before each scheduler.step() (and the cycled
momentum / beta1); Optax and Keras cases record schedule(i) in their default float32.
Descent-only schedules (WSD, linear scaling) are computed here from their published formulas with numpy.
"""
import json
import math
import os
import warnings

os.environ.setdefault("KERAS_BACKEND", "jax")
warnings.filterwarnings("ignore")

import numpy as np
import optax
import torch
from torch.optim import lr_scheduler as S

cases = []


def torch_case(name, schedule, params, steps, base_lr=0.1, optimizer="sgd", momentum=False, build=None):
    p = torch.nn.Parameter(torch.zeros(1))
    if optimizer == "sgd":
        opt = torch.optim.SGD([p], lr=base_lr, momentum=0.9)
        opt_desc = {"kind": "sgd", "momentum": 0.9}
    else:
        opt = torch.optim.Adam([p], lr=base_lr, betas=(0.9, 0.999))
        opt_desc = {"kind": "adam", "betas": [0.9, 0.999]}
    sched = build(opt) if build else getattr(S, schedule)(opt, **params)
    lrs, moms = [], []
    for _ in range(steps):
        g = opt.param_groups[0]
        lrs.append(g["lr"])
        moms.append(g["momentum"] if optimizer == "sgd" else g["betas"][0])
        opt.step()
        sched.step()
    case = {"name": name, "source": "pytorch", "schedule": schedule, "base_lr": base_lr, "params": params,
            "steps": steps, "lr": lrs}
    if momentum:
        case["optimizer"] = opt_desc
        case["momentum"] = moms
    cases.append(case)


def sub(opt, spec):
    return getattr(S, spec["schedule"])(opt, **spec["params"])


# PyTorch
torch_case("step_default_gamma", "StepLR", {"step_size": 3}, 12)
torch_case("multistep_repeated", "MultiStepLR", {"milestones": [4, 4, 9], "gamma": 0.5}, 14)
torch_case("constantlr_defaults", "ConstantLR", {}, 8)
torch_case("linearlr_decay", "LinearLR", {"start_factor": 1.0, "end_factor": 0.1, "total_iters": 8}, 12)
torch_case("polynomial_power1", "PolynomialLR", {"total_iters": 10, "power": 1.0}, 14)
torch_case("cosine_two_periods", "CosineAnnealingLR", {"T_max": 7, "eta_min": 0.0}, 30)
torch_case("cosine_restarts_tmult1", "CosineAnnealingWarmRestarts", {"T_0": 6, "T_mult": 1, "eta_min": 0.01}, 25)
torch_case("cosine_restarts_tmult3", "CosineAnnealingWarmRestarts", {"T_0": 3, "T_mult": 3, "eta_min": 0.0}, 60)
torch_case("cyclic_triangular_adam", "CyclicLR",
           {"base_lr": 0.01, "max_lr": 0.2, "step_size_up": 3, "step_size_down": 5, "mode": "triangular"},
           30, optimizer="adam", momentum=True)
torch_case("cyclic_triangular2_momentum", "CyclicLR",
           {"base_lr": 0.002, "max_lr": 0.05, "step_size_up": 2, "mode": "triangular2",
            "base_momentum": 0.85, "max_momentum": 0.95}, 30, momentum=True)
torch_case("cyclic_exp_range_no_momentum", "CyclicLR",
           {"base_lr": 0.001, "max_lr": 0.1, "step_size_up": 4, "step_size_down": 2, "mode": "exp_range",
            "gamma": 0.9, "cycle_momentum": False}, 25)
torch_case("onecycle_linear_two_phase", "OneCycleLR",
           {"max_lr": 0.2, "total_steps": 30, "pct_start": 0.4, "anneal_strategy": "linear"}, 30, momentum=True)
torch_case("onecycle_cos_three_phase_adam", "OneCycleLR",
           {"max_lr": 0.01, "total_steps": 45, "pct_start": 0.2, "three_phase": True, "div_factor": 10.0,
            "final_div_factor": 100.0}, 45, optimizer="adam", momentum=True)
torch_case("onecycle_epochs_no_momentum", "OneCycleLR",
           {"max_lr": 0.05, "epochs": 4, "steps_per_epoch": 7, "cycle_momentum": False}, 28)
torch_case("onecycle_custom_momentum", "OneCycleLR",
           {"max_lr": 0.3, "total_steps": 20, "base_momentum": 0.8, "max_momentum": 0.9}, 20, momentum=True)
seq = [{"schedule": "ConstantLR", "params": {"factor": 0.5, "total_iters": 3}},
       {"schedule": "ExponentialLR", "params": {"gamma": 0.9}},
       {"schedule": "StepLR", "params": {"step_size": 4, "gamma": 0.5}}]
torch_case("sequential_three", "SequentialLR", {"schedulers": seq, "milestones": [3, 10]}, 22,
           build=lambda opt: S.SequentialLR(opt, [sub(opt, s) for s in seq], milestones=[3, 10]))
seq2 = [{"schedule": "LinearLR", "params": {"start_factor": 0.1, "total_iters": 4}},
        {"schedule": "MultiplicativeLR", "params": {"factor": 0.8}}]
torch_case("sequential_linear_multiplicative", "SequentialLR", {"schedulers": seq2, "milestones": [6]}, 14,
           build=lambda opt: S.SequentialLR(opt, [S.LinearLR(opt, start_factor=0.1, total_iters=4),
                                                  S.MultiplicativeLR(opt, lr_lambda=lambda e: 0.8)], milestones=[6]))
seq3 = [{"schedule": "ExponentialLR", "params": {"gamma": 0.7}},
        {"schedule": "MultiplicativeLR", "params": {"factor": 0.9}}]
torch_case("sequential_exponential_multiplicative", "SequentialLR", {"schedulers": seq3, "milestones": [3]}, 10,
           build=lambda opt: S.SequentialLR(opt, [S.ExponentialLR(opt, gamma=0.7),
                                                  S.MultiplicativeLR(opt, lr_lambda=lambda e: 0.9)], milestones=[3]))
chain2 = [{"schedule": "CosineAnnealingLR", "params": {"T_max": 10}},
          {"schedule": "ExponentialLR", "params": {"gamma": 0.95}}]
torch_case("chained_cosine_exponential", "ChainedScheduler", {"schedulers": chain2}, 10,
           build=lambda opt: S.ChainedScheduler([sub(opt, s) for s in chain2]))
chain = [{"schedule": "LinearLR", "params": {"start_factor": 0.2, "total_iters": 4}},
         {"schedule": "StepLR", "params": {"step_size": 5, "gamma": 0.5}}]
torch_case("chained_linear_step", "ChainedScheduler", {"schedulers": chain}, 16,
           build=lambda opt: S.ChainedScheduler([sub(opt, s) for s in chain]))
torch_case("multiplicative_09", "MultiplicativeLR", {"factor": 0.9}, 15,
           build=lambda opt: S.MultiplicativeLR(opt, lr_lambda=lambda e: 0.9))


def plateau_case(name, params, metrics, base_lr=0.1):
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=base_lr)
    sched = S.ReduceLROnPlateau(opt, **params)
    lrs = []
    for m in metrics:
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step(m)
    cases.append({"name": name, "source": "pytorch", "schedule": "ReduceLROnPlateau", "base_lr": base_lr,
                  "params": params, "steps": len(metrics), "lr": lrs, "metrics": metrics,
                  "note": "lr[i] is the rate in force before metric i is reported; the metric is reported after step i"})


rng = np.random.default_rng(3)
flat = [1.0 - 0.05 * i for i in range(8)] + [0.65 + 0.002 * float(x) for x in rng.standard_normal(32)]
plateau_case("plateau_min_abs_min_lr", {"mode": "min", "factor": 0.3, "patience": 1, "threshold": 0.001,
                                        "threshold_mode": "abs", "cooldown": 1, "min_lr": 0.004}, flat)
rising = [0.1 * i for i in range(6)] + [0.5 + 0.001 * float(x) for x in rng.standard_normal(24)]
plateau_case("plateau_max_rel_defaults", {"mode": "max", "patience": 2}, rising)
plateau_case("plateau_eps_skips", {"factor": 0.5, "patience": 0, "min_lr": 0.0, "eps": 0.02},
             [1.0] * 12, base_lr=0.1)


def optax_case(name, fn, params, steps, schedule=None):
    call = dict(params)
    if "boundaries_and_scales" in call:
        call["boundaries_and_scales"] = {int(b): v for b, v in call["boundaries_and_scales"].items()}
    f = getattr(optax, fn)(**call)
    cases.append({"name": name, "source": "optax", "schedule": schedule or fn, "params": params, "steps": steps,
                  "lr": [float(f(i)) for i in range(steps)]})


optax_case("optax_constant", "constant_schedule", {"value": 0.03}, 5)
optax_case("optax_linear_begin", "linear_schedule",
           {"init_value": 0.0, "end_value": 0.2, "transition_steps": 8, "transition_begin": 3}, 15)
optax_case("optax_polynomial_sqrt", "polynomial_schedule",
           {"init_value": 0.5, "end_value": 0.05, "power": 0.5, "transition_steps": 12}, 16)
optax_case("optax_exponential_smooth_floor", "exponential_decay",
           {"init_value": 0.2, "transition_steps": 3, "decay_rate": 0.7, "end_value": 0.02}, 30)
optax_case("optax_exponential_growth_cap", "exponential_decay",
           {"init_value": 0.01, "transition_steps": 2, "decay_rate": 1.5, "transition_begin": 2, "end_value": 0.1}, 20)
optax_case("optax_piecewise_interpolate_linear", "piecewise_interpolate_schedule",
           {"interpolate_type": "linear", "init_value": 0.1, "boundaries_and_scales": {"5": 2.0, "12": 0.1, "20": 0.5}}, 25)
optax_case("optax_piecewise_interpolate_cosine", "piecewise_interpolate_schedule",
           {"interpolate_type": "cosine", "init_value": 0.1, "boundaries_and_scales": {"4": 0.5, "15": 0.01}}, 20)
optax_case("optax_cosine_alpha_exponent", "cosine_decay_schedule",
           {"init_value": 0.3, "decay_steps": 20, "alpha": 0.1, "exponent": 2.0}, 25)
optax_case("optax_warmup_cosine_exponent", "warmup_cosine_decay_schedule",
           {"init_value": 0.01, "peak_value": 0.2, "warmup_steps": 5, "decay_steps": 25, "end_value": 0.0,
            "exponent": 0.5}, 30)
optax_case("optax_warmup_exponential", "warmup_exponential_decay_schedule",
           {"init_value": 0.0, "peak_value": 0.1, "warmup_steps": 6, "transition_steps": 4, "decay_rate": 0.5,
            "staircase": True, "end_value": 0.01}, 30)
optax_case("optax_warmup_constant", "warmup_constant_schedule",
           {"init_value": 0.001, "peak_value": 0.05, "warmup_steps": 7}, 12)
optax_case("optax_cosine_onecycle", "cosine_onecycle_schedule",
           {"transition_steps": 30, "peak_value": 0.1, "pct_start": 0.25}, 35)
optax_case("optax_linear_onecycle_defaults", "linear_onecycle_schedule",
           {"transition_steps": 20, "peak_value": 0.05}, 24)
sgdr_kwargs = [{"init_value": 0.0, "peak_value": 0.1, "warmup_steps": 2, "decay_steps": 10},
               {"init_value": 0.0, "peak_value": 0.05, "warmup_steps": 3, "decay_steps": 15, "end_value": 0.001}]
optax_case("optax_sgdr", "sgdr_schedule", {"cosine_kwargs": sgdr_kwargs}, 30)
join_specs = [{"schedule": "linear_schedule", "params": {"init_value": 0.0, "end_value": 0.1, "transition_steps": 5}},
              {"schedule": "constant_schedule", "params": {"value": 0.1}},
              {"schedule": "exponential_decay", "params": {"init_value": 0.1, "transition_steps": 2, "decay_rate": 0.8}}]
jf = optax.join_schedules([getattr(optax, s["schedule"])(**s["params"]) for s in join_specs], [5, 9])
cases.append({"name": "optax_join", "source": "optax", "schedule": "join_schedules",
              "params": {"schedules": join_specs, "boundaries": [5, 9]}, "steps": 20,
              "lr": [float(jf(i)) for i in range(20)]})

# Keras (jax backend, float32)
try:
    import keras
    def keras_case(name, cls, params, steps):
        f = getattr(keras.optimizers.schedules, cls)(**params)
        cases.append({"name": name, "source": "keras", "schedule": cls, "params": params, "steps": steps,
                      "lr": [float(f(i)) for i in range(steps)]})
    keras_case("keras_inverse_time", "InverseTimeDecay",
               {"initial_learning_rate": 0.1, "decay_steps": 5, "decay_rate": 0.5}, 20)
    keras_case("keras_inverse_time_staircase", "InverseTimeDecay",
               {"initial_learning_rate": 0.1, "decay_steps": 4, "decay_rate": 1.0, "staircase": True}, 20)
    keras_case("keras_cosine_restarts", "CosineDecayRestarts",
               {"initial_learning_rate": 0.1, "first_decay_steps": 5, "t_mul": 2.0, "m_mul": 0.5, "alpha": 0.1}, 40)
    keras_case("keras_cosine_restarts_tmul1", "CosineDecayRestarts",
               {"initial_learning_rate": 0.2, "first_decay_steps": 6, "t_mul": 1.0, "m_mul": 0.8}, 30)
except ImportError:
    pass


# Descent-only schedules, from their published formulas.
def wsd(t, peak, n, w, d, shape, lo=0.0, hi=0.0):
    if t < w:
        return lo + (peak - lo) * t / w
    if t < n - d:
        return peak
    if t >= n:
        return hi
    p = (t - (n - d)) / d
    return {"linear": peak + (hi - peak) * p,
            "cosine": hi + (peak - hi) * (1 + math.cos(math.pi * p)) / 2,
            "sqrt": hi + (peak - hi) * (1 - math.sqrt(p))}[shape]


for shape in ["linear", "cosine", "sqrt"]:
    text = f"wsd(peak: 0.1, steps: 40, warmup: 4, decay: 10, to: 0.001, shape: {shape})"
    cases.append({"name": f"descent_wsd_{shape}", "source": "descent", "schedule": text, "params": {},
                  "steps": 45, "lr": [wsd(t, 0.1, 40, 4, 10, shape, 0.0, 0.001) for t in range(45)]})
k = 1024 / 256
cases.append({"name": "descent_linear_scaling", "source": "descent",
              "schedule": "scaled(cosine(from: 0.1, to: 0.0, steps: 30), batch: 1024, base_batch: 256, warmup: 5)",
              "params": {}, "steps": 35,
              "lr": [0.1 * (1 + math.cos(math.pi * min(t, 30) / 30)) / 2 * (1 + (k - 1) * t / 5 if t < 5 else k)
                     for t in range(35)]})

print(json.dumps({
    "about": "Extra learning-rate schedule conformance cases, same form as shared/conformance/schedules.json: "
             "lr[i] is the rate in force at step i (0-based). PyTorch cases: the rate in the optimizer's param group "
             "before the i-th scheduler.step(); momentum[i] likewise (SGD momentum or Adam beta1). Optax and Keras "
             "cases: schedule(i) in float32. Descent cases: the text form's schedule, values from the published "
             "formulas (WSD: Hägele et al. 2024; linear scaling: Goyal et al. 2017).",
    "generated_by": f"scripts/generate_schedule_extras.py with torch {torch.__version__}, optax {optax.__version__}",
    "cases": cases}, indent=1))
