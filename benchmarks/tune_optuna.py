"""The Optuna + PyTorch side of benchmarks/tune_vs_optuna.sh.

A study of the digits MLP 64-32-10 (ReLU), Adam, 20 epochs, batch 32, learning_rate =
loguniform(1e-5, 1), TPESampler(seed), SuccessiveHalvingPruner() (Optuna's defaults: min_resource
"auto", reduction factor 4), the validation loss reported after each epoch (step = epochs trained,
1…20), N_TRIALS trials in total shared by WORKERS processes through one SQLite storage. Data: the
same CSV as `descent --dataset digits`, 20 % held out for validation, features standardised with
the training part's statistics. Each worker uses one PyTorch thread (the workers share the cores).

Prints one JSON line: {"best_value": …, "trials": …, "complete": …, "pruned": …, "failed": …}.
"""
import argparse
import json
import multiprocessing
import os


def load(path, seed):
    import numpy as np
    data = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.float32)
    x, y = data[:, :-1], data[:, -1].astype(np.int64)
    order = np.random.default_rng(seed).permutation(len(x))
    cut = int(round(len(x) * 0.8))
    train, valid = order[:cut], order[cut:]
    mean = x[train].mean(axis=0)
    std = x[train].std(axis=0)
    std[std == 0] = 1
    x = (x - mean) / std
    return x[train], y[train], x[valid], y[valid]


def worker(storage, study_name, trials, csv, seed, epochs):
    import numpy as np
    import optuna
    import torch
    torch.set_num_threads(1)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    xt, yt, xv, yv = (torch.from_numpy(a) for a in load(csv, seed))
    study = optuna.load_study(study_name=study_name, storage=storage,
                              sampler=optuna.samplers.TPESampler(seed=seed + os.getpid()),
                              pruner=optuna.pruners.SuccessiveHalvingPruner())

    def objective(trial):
        rate = trial.suggest_float("learning_rate", 1e-5, 1, log=True)
        torch.manual_seed(seed)
        model = torch.nn.Sequential(torch.nn.Linear(64, 32), torch.nn.ReLU(), torch.nn.Linear(32, 10))
        optimizer = torch.optim.Adam(model.parameters(), lr=rate)
        loss_fn = torch.nn.CrossEntropyLoss()
        generator = torch.Generator().manual_seed(seed)
        value = float("nan")
        for epoch in range(1, epochs + 1):
            model.train()
            for batch in torch.randperm(len(xt), generator=generator).split(32):
                optimizer.zero_grad()
                loss = loss_fn(model(xt[batch]), yt[batch])
                loss.backward()
                optimizer.step()
            model.eval()
            with torch.no_grad():
                value = loss_fn(model(xv), yv).item()
            trial.report(value, epoch)
            if trial.should_prune():
                raise optuna.TrialPruned()
        return value

    # Optuna's MaxTrialsCallback stops every worker once the study holds `trials` trials.
    study.optimize(objective, n_trials=trials, catch=(Exception,),
                   callbacks=[optuna.study.MaxTrialsCallback(trials, states=None)])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--storage", required=True)
    parser.add_argument("--trials", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--csv", required=True)
    args = parser.parse_args()
    import optuna
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(study_name="digits", storage=args.storage, direction="minimize")
    processes = [multiprocessing.Process(target=worker, args=(args.storage, "digits", args.trials, args.csv, args.seed, args.epochs))
                 for _ in range(args.workers)]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    trials = study.get_trials(deepcopy=False)
    states = [t.state.name for t in trials]
    print(json.dumps({"best_value": study.best_value, "trials": len(trials), "complete": states.count("COMPLETE"),
                      "pruned": states.count("PRUNED"), "failed": states.count("FAIL")}))


if __name__ == "__main__":
    main()
