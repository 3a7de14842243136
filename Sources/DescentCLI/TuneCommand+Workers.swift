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

    /// `descent train …` that trains exactly the trial: its specification as flags — the data source, the
    /// model, the epochs, batch size, optimizer and rate always, then every other field not at train's default.
    func trainCommandLine(_ trial: TrialRecord) -> String {
        func quote(_ text: String) -> String {
            text.allSatisfy { $0.isLetter || $0.isNumber || "-_./,:=+".contains($0) } && !text.isEmpty ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }
        guard let spec = try? specification(for: trial.parameters) else { return "descent train (the trial's parameters no longer make a run)" }
        var parts = ["descent", "train"]
        var given: Set<String> = []
        func add(_ key: String, always: Bool = true) {
            given.insert(key)
            guard let value = spec.value(of: key) else { return }
            let flag = "--" + key.replacingOccurrences(of: "_", with: "-")
            if case let .flag(on) = value {
                if on { parts.append(flag) }
            } else if always || value != RunSpecification().value(of: key) {
                parts += [flag, quote(value.description)]
            }
        }
        for key in ["dataset", "csv", "target", "task", "idx_images", "idx_labels"] { add(key) }
        if spec.model == .cnn { add("model"); add("channels") } else { add("hidden") }
        for key in ["epochs", "batch_size", "optimizer", "learning_rate"] { add(key) }
        add("weight_decay", always: false)
        if spec.optimizer.takesMomentum { add("momentum") } else { given.insert("momentum") }
        add("seed")
        let rest = spec.arguments(roles: [.shapesTheRun])
        var index = 0
        while index < rest.count {
            let key = String(rest[index].dropFirst(2)).replacingOccurrences(of: "-", with: "_")
            let takesValue = index + 1 < rest.count && !rest[index + 1].hasPrefix("--")
            if !given.contains(key) { parts += takesValue ? [rest[index], quote(rest[index + 1])] : [rest[index]] }
            index += takesValue ? 2 : 1
        }
        return parts.joined(separator: " ")
    }
}
