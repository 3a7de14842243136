import ArgumentParser

/// `--config FILE`: flags read from a TOML or YAML file before the command line (see `ConfigurationArguments`).
struct ConfigurationOption: ParsableArguments {
    @Option(name: .customLong("config"),
            help: ArgumentHelp("Read flags from a TOML (.toml) or YAML (.yaml, .yml) file, keys named as the long flags "
                               + "(learning-rate or learning_rate); a flag on the command line wins over the file.",
                               valueName: "file"))
    var path: String?
}
