"""The Optuna + PyTorch side of benchmarks/tune_vs_optuna.sh.

A study of the digits MLP 64-32-10 (ReLU), Adam, 20 epochs, batch 32, learning_rate =
loguniform(1e-5, 1), TPESampler(seed), SuccessiveHalvingPruner() (Optuna's defaults: min_resource
"auto", reduction factor 4), the validation loss reported after each epoch (step = epochs trained,
1…20), N_TRIALS trials in total shared by WORKERS processes through one SQLite storage. Each trial's
value is its last epoch's validation loss (mean cross-entropy over the validation rows), as in
`descent tune`.

Like with like: the data, the split, the initial weights and the batch order are the ones
`descent tune --dataset digits --seed SEED` uses (benchmarks/descent_replica.py reproduces them bit
for bit: the same CSV, Descent's stratified 80/20 split of seed SEED standardised with the training
part's statistics, each Linear drawn as Descent draws it, epoch e's batches shuffled by
SeededGenerator(SEED + e)), so both tuners search the same function of the learning rate and
differ only in how they search. `--init torch` uses PyTorch's own initialisation
(torch.manual_seed(SEED)) and torch.randperm batches instead, on the same split. Each worker's
TPESampler is seeded SEED·1000 + its index, and uses one PyTorch thread (the workers share the cores).

Prints one JSON line: {"best_value": …, "trials": …, "complete": …, "pruned": …, "failed": …}.
"""
import argparse
import json
import multiprocessing
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def worker(index, storage, study_name, trials, csv, seed, epochs, init):
    import optuna
    import torch
    from descent_replica import batch_order, initial_weights, load_split
    torch.set_num_threads(1)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    xt, yt, xv, yv = (torch.from_numpy(a) for a in load_split(csv, seed))
    weights = [torch.from_numpy(w) for w in initial_weights([xt.shape[1], 32, 10], seed)]
    orders = [torch.tensor(batch_order(len(xt), seed, epoch)) for epoch in range(epochs)]
    study = optuna.load_study(study_name=study_name, storage=storage,
                              sampler=optuna.samplers.TPESampler(seed=seed * 1000 + index),
                              pruner=optuna.pruners.SuccessiveHalvingPruner())

    def objective(trial):
        rate = trial.suggest_float("learning_rate", 1e-5, 1, log=True)
        torch.manual_seed(seed)
        model = torch.nn.Sequential(torch.nn.Linear(xt.shape[1], 32), torch.nn.ReLU(), torch.nn.Linear(32, 10))
        if init == "descent":
            with torch.no_grad():
                for parameter, value in zip(model.parameters(), weights):
                    parameter.copy_(value)
        optimizer = torch.optim.Adam(model.parameters(), lr=rate)
        loss_fn = torch.nn.CrossEntropyLoss()
        generator = torch.Generator().manual_seed(seed)
        value = float("nan")
        for epoch in range(1, epochs + 1):
            model.train()
            order = orders[epoch - 1] if init == "descent" else torch.randperm(len(xt), generator=generator)
            for batch in order.split(32):
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
    parser.add_argument("--init", choices=["descent", "torch"], default="descent")
    args = parser.parse_args()
    import optuna
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(study_name="digits", storage=args.storage, direction="minimize")
    processes = [multiprocessing.Process(target=worker, args=(index, args.storage, "digits", args.trials, args.csv, args.seed,
                                                                args.epochs, args.init))
                 for index in range(args.workers)]
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
