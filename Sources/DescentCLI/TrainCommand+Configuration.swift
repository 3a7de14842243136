/// The keys of `descent train --config FILE`: every long flag of `train` but `--config` and `--help`, and the
/// record a saved run adds (`chosen-learning-rate`); so every field of a `RunSpecification` is a key (tests compare
/// this table with the command's flags and with the specification's fields, so neither can be forgotten here).
extension TrainCommand {
    static let configurationKeys = ConfigurationArguments.Keys(
        kinds: [
            // Data and model (DataModelOptions).
            "dataset": .string, "csv": .string, "target": .string, "hidden": .sizes, "batch-size": .integer,
            "seed": .integer, "validation-fraction": .number, "no-standardize": .flag, "task": .string,
            "idx-images": .string, "idx-labels": .string, "model": .string, "channels": .sizes,
            // A raw CSV's columns (TabularArguments) and the class weights.
            "categorical": .string, "numeric": .string, "ignore": .string, "missing-values": .string,
            "min-category-count": .integer, "target-transform": .string, "class-weights": .string, "folds": .integer,
            // Optimizer and rate.
            "optimizer": .string, "learning-rate": .numberOr(["auto"]), "weight-decay": .number, "momentum": .number,
            "schedule": .string, "epochs": .integer, "patience": .integer,
            // Controllers, the guard, checkpoints.
            "reduce-on-plateau": .flag, "plateau-patience": .integer, "plateau-factor": .number, "no-guard": .flag,
            "checkpoint-dir": .string, "resume": .flag,
            // Processes and threads (mpirun), the rate's scaling, the noise scale.
            "threads": .integer, "scale-rate": .string, "track-noise-scale": .integer,
            // Outputs.
            "save-weights": .string, "init-weights": .string, "report": .string, "json": .flag, "log": .string, "tensorboard": .string,
            "track-sharpness": .integer,
            "save-config": .string,
            // A saved run's record of the rate `auto` chose: no flag (a replay runs auto again).
            "chosen-learning-rate": .record,
        ],
        exclusiveGroups: [[["dataset"], ["csv", "target", "task"], ["idx-images", "idx-labels"]]]
    )
}
