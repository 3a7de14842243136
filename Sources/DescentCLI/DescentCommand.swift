import ArgumentParser
import Descent
import DescentCLIRuns
import DescentCLITools
import DescentCLITrain
import DescentCLITune

/// The `descent` command: train models by gradient descent with a managed learning rate.
///
/// Each subcommand lives in its own file; this type only lists them.
@available(macOS 10.15, *)
public struct DescentCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "descent",
        abstract: "Train models by gradient descent with a learning rate that is managed, not guessed.",
        version: DescentVersion.string,
        subcommands: [
            DemoCommand.self,
            TrainCommand.self,
            PredictCommand.self,
            EvaluateCommand.self,
            RangeTestCommand.self,
            ExploreCommand.self,
            ScheduleCommand.self,
            ConformanceCommand.self,
            InspectCommand.self,
            DiagnoseCommand.self,
            ReportCommand.self,
            BenchCommand.self,
            TuneCommand.self,
            StudyCommand.self,
        ]
    )

    public init() {}
}
