import ArgumentParser
import Descent
import DescentTune
import Foundation

extension TuneCommand {
    /// `--workers N`: N copies of this executable with the same flags (and `--worker`), sharing the
    /// storage; this process shows their progress and waits for them.
    func runWorkerProcesses(study: Study, showProgress: Bool, stop: StopRequest) throws {
        let executable = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        var arguments = Self.workerArguments(Array(CommandLine.arguments.dropFirst()))
        if threads == nil { arguments += ["--threads", "\(threadsPerWorker)"] }
        var processes: [Process] = []
        for _ in 0..<workers {
            let process = Process()
            process.executableURL = executable
            process.arguments = arguments
            process.standardOutput = FileHandle.nullDevice
            do { try process.run() } catch {
                processes.forEach { $0.terminate() }
                throw CommandFailure(.failed, "cannot start a worker process (\(executable.path)): \(error)")
            }
            processes.append(process)
        }
        var reported = Set<Int>()
        var best: Double?
        var forwarded = false
        while processes.contains(where: \.isRunning) {
            Thread.sleep(forTimeInterval: 0.2)
            if showProgress { report(study, &reported, &best) }
            // A signal to this process alone (kill, not Ctrl-C at a terminal) is passed on to the workers.
            if stop.isRequested, !forwarded {
                forwarded = true
                for process in processes where process.isRunning { kill(process.processIdentifier, SIGINT) }
            }
        }
        if showProgress { report(study, &reported, &best) }
        let interrupted: Set<Int32> = [128 + SIGINT, 128 + SIGTERM]
        let failed = processes.filter { $0.terminationStatus != 0 && !(stop.isRequested && interrupted.contains($0.terminationStatus)) }
        if !failed.isEmpty {
            throw CommandFailure(.failed, "\(failed.count) of \(workers) worker processes failed (exit status "
                + failed.map { String($0.terminationStatus) }.joined(separator: ", ") + "); their errors are above")
        }
    }

    private func report(_ study: Study, _ reported: inout Set<Int>, _ best: inout Double?) {
        guard let trials = try? study.trials() else { return }
        for trial in trials where trial.state.isFinished && !reported.contains(trial.number) {
            reported.insert(trial.number)
            if trial.state == .complete, let value = trial.value, best.map({ value < $0 }) ?? true { best = value }
            print(Self.progressLine(trial, total: self.trials, best: best))
        }
    }

    /// The command line of a worker: this one without `--workers N` and `--json`, with `--worker`.
    static func workerArguments(_ arguments: [String]) -> [String] {
        var result: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--workers" { index += 2; continue }
            if argument.hasPrefix("--workers=") || argument == "--json" { index += 1; continue }
            result.append(argument)
            index += 1
        }
        return result + ["--worker"]
    }

    /// The best trial, the counts by state, and the `descent train` command line that reproduces the best trial.
    func printSummary(study: Study, seconds: Double, interrupted: String? = nil) throws {
        let trials: [TrialRecord]
        do { trials = try study.trials() } catch let error as StudyStorageError { throw failWork(error.description) }
        let counts = Dictionary(grouping: trials, by: \.state).mapValues(\.count)
        let best = Study.best(of: trials, direction: study.record.direction)
        let command = best.map(trainCommandLine)
        if json {
            var object: [String: Any] = [
                "study": self.study, "storage": StudyStorageOption.display(storage), "trials": trials.count,
                "complete": counts[.complete] ?? 0, "pruned": counts[.pruned] ?? 0, "failed": counts[.failed] ?? 0,
                "running": counts[.running] ?? 0, "seconds": seconds,
                "status": interrupted == nil ? "completed" : "interrupted",
            ]
            object["best"] = best.map { StudyExport.trialObject($0) as Any } ?? NSNull()
            object["command"] = command.map { $0 as Any } ?? NSNull()
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        if let interrupted { print("Interrupted (\(interrupted)): the trials in progress are stored as failed; run the same command to go on") }
        print("Study '\(self.study)': \(trials.count) trials — \(counts[.complete] ?? 0) complete, \(counts[.pruned] ?? 0) pruned, "
            + "\(counts[.failed] ?? 0) failed" + String(format: " (%.1f s)", seconds))
        guard let best, let command else {
            print("No trial completed yet.")
            return
        }
        print(String(format: "Best trial #%ld: validation loss %.6g", best.number, best.value ?? .nan))
        for name in best.parameters.keys.sorted() { print("  \(name) = \(best.parameters[name]!)") }
        print("Reproduce it with:\n  \(command)")
    }

    /// `descent train …` with this command's data flags and the best trial's parameters.
    func trainCommandLine(_ trial: TrialRecord) -> String {
        func quote(_ text: String) -> String {
            text.allSatisfy { $0.isLetter || $0.isNumber || "-_./,:=+".contains($0) } && !text.isEmpty ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }
        var parts = ["descent", "train"]
        if let dataset = data.dataset { parts += ["--dataset", dataset] }
        if let csv = data.csv { parts += ["--csv", quote(csv)] }
        if let target = data.target { parts += ["--target", quote(target)] }
        let p = trial.parameters
        parts += ["--hidden", quote(p["hidden"].map { "\($0)" } ?? data.hidden)]
        parts += ["--epochs", "\(epochs)"]
        parts += ["--batch-size", p["batch_size"].map { "\($0)" } ?? "\(data.batchSize)"]
        let optimizerName = p["optimizer"]?.description ?? optimizer.rawValue
        parts += ["--optimizer", optimizerName]
        parts += ["--learning-rate", p["learning_rate"].map { "\($0)" } ?? "\(learningRate)"]
        let decay = p["weight_decay"].map { "\($0)" } ?? (weightDecay == 0 ? nil : "\(weightDecay)")
        if let decay { parts += ["--weight-decay", decay] }
        if optimizerName == "sgd" { parts += ["--momentum", p["momentum"].map { "\($0)" } ?? "\(momentum)"] }
        parts += ["--seed", "\(data.seed)"]
        if data.validationFraction != 0.2 { parts += ["--validation-fraction", "\(data.validationFraction)"] }
        if data.noStandardize { parts.append("--no-standardize") }
        return parts.joined(separator: " ")
    }
}
