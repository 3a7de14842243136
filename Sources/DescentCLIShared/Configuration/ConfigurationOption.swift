import ArgumentParser

/// `--config FILE`: a run read from a TOML, YAML or JSON file into a run specification, the command line's flags over it
/// (see `ConfigurationArguments`).
package struct ConfigurationOption: ParsableArguments {
    @Option(name: .customLong("config"),
            help: ArgumentHelp("Run the run a TOML (.toml), YAML (.yaml, .yml) or JSON (.json) file describes (as --save-config "
                               + "writes it; keys are the long flags with _ or -, e.g. learning_rate); a flag on the command line "
                               + "wins over the file.",
                               valueName: "file"))
    package var path: String?

    package init() {}
}
