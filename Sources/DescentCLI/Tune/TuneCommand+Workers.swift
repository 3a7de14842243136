import ArgumentParser
import Descent
import DescentTune
import Foundation

extension TuneCommand {
    /// `--workers N`: N copies of this executable with the same flags (and `--worker`), sharing the
    /// storage; this process shows their progress and waits for them. A worker that dies (SIGKILL, a
    /// crash, an error) has its running trial stored as failed at once, so the others finish the study
    /// without waiting for its heartbeat to go stale. Each worker's standard input is a pipe whose other
    /// end only this process holds: when this process ends, however it ends, the workers read EOF and stop
    /// (`watchParent`).
    /// - Returns: one sentence per worker that failed ("worker 2 of 2 (pid 4242) was killed by SIGKILL"),
    ///   empty when all ended well or were interrupted by a stop request.
    func runWorkerProcesses(study: Study, showProgress: Bool, stop: StopRequest) throws -> [String] {
        let executable = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        var arguments = Self.workerArguments(Array(CommandLine.arguments.dropFirst()))
        if threads == nil { arguments += ["--threads", "\(threadsPerWorker)"] }
        var environment = ProcessInfo.processInfo.environment
        environment[Self.watchParentVariable] = "1"
        var processes: [Process] = []
        // Kept open until this process ends: their write ends are what the workers watch.
        var parentPipes: [Pipe] = []
        for _ in 0..<workers {
            let process = Process()
            process.executableURL = executable
            process.arguments = arguments
            process.environment = environment
            let pipe = Pipe()
            process.standardInput = pipe
            process.standardOutput = FileHandle.nullDevice
            do { try process.run() } catch {
                processes.forEach { $0.terminate() }
                throw CommandFailure(.failed, "cannot start a worker process (\(executable.path)): \(error)")
            }
            processes.append(process)
            parentPipes.append(pipe)
        }
        var reported = Set<Int>()
        var best: Double?
        var forwarded = false
        var failures: [Int: String] = [:]
        let interrupted: Set<Int32> = [128 + SIGINT, 128 + SIGTERM]
        func collectFailures() {
            for (index, process) in processes.enumerated() where !process.isRunning && failures[index] == nil {
                let signalled = process.terminationReason == .uncaughtSignal
                guard signalled || process.terminationStatus != 0 else { continue }
                if !signalled, stop.isRequested, interrupted.contains(process.terminationStatus) { continue }
                let how = signalled ? "was killed by \(Self.signalName(process.terminationStatus))"
                    : "failed with exit status \(process.terminationStatus) (its error is above)"
                let pid = process.processIdentifier
                var failure = "worker \(index + 1) of \(workers) (pid \(pid)) \(how)"
                let failed = failRunningTrials(of: pid, in: study, message: "worker process \(pid) \(how)")
                if !failed.isEmpty { failure += "; its trial " + failed.map { "#\($0)" }.joined(separator: ", ") + " is stored as failed" }
                failures[index] = failure
            }
        }
        while processes.contains(where: \.isRunning) {
            Thread.sleep(forTimeInterval: 0.2)
            collectFailures()
            if showProgress { report(study, &reported, &best) }
            // A signal to this process alone (kill, not Ctrl-C at a terminal) is passed on to the workers.
            if stop.isRequested, !forwarded {
                forwarded = true
                for process in processes where process.isRunning { kill(process.processIdentifier, SIGINT) }
            }
        }
        collectFailures()
        if showProgress { report(study, &reported, &best) }
        withExtendedLifetime(parentPipes) {}
        return failures.keys.sorted().compactMap { failures[$0] }
    }

    /// The environment variable that tells a worker to watch its standard input for its parent's end.
    static let watchParentVariable = "DESCENT_TUNE_WATCH_PARENT"

    /// In a worker started by `runWorkerProcesses`: a thread that reads standard input, a pipe from the
    /// parent that never writes; EOF means the parent has ended (killed, even by SIGKILL), and the worker
    /// stops: its trial ends as failed after the step in progress, and half a second later the process
    /// exits whatever it is doing. Works alike on Linux and macOS (no `prctl`).
    static func watchParent(_ stop: StopRequest) {
        guard ProcessInfo.processInfo.environment[watchParentVariable] == "1" else { return }
        Thread.detachNewThread {
            var byte: UInt8 = 0
            while true {
                let count = read(STDIN_FILENO, &byte, 1)
                if count > 0 || (count < 0 && errno == EINTR) { continue }
                break
            }
            stop.request(reason: "the end of the parent process")
            Thread.sleep(forTimeInterval: 0.5)
            _exit(1)
        }
    }

    /// Stores the running trials of the worker process `pid` (on this machine) as failed; their numbers.
    private func failRunningTrials(of pid: Int32, in study: Study, message: String) -> [Int] {
        let name = Study.workerName(processIdentifier: pid)
        guard let trials = try? study.trials() else { return [] }
        return trials.filter { $0.state == .running && $0.worker == name }.compactMap { trial in
            (try? study.storage.finishTrial(trialID: trial.id, state: .failed, value: nil, message: message)) == true ? trial.number : nil
        }
    }

    /// "SIGKILL" for 9, "signal 42" for a number without a common name.
    static func signalName(_ number: Int32) -> String {
        let names: [Int32: String] = [SIGHUP: "SIGHUP", SIGINT: "SIGINT", SIGQUIT: "SIGQUIT", SIGILL: "SIGILL", SIGTRAP: "SIGTRAP",
                                      SIGABRT: "SIGABRT", SIGBUS: "SIGBUS", SIGFPE: "SIGFPE", SIGKILL: "SIGKILL", SIGSEGV: "SIGSEGV",
                                      SIGPIPE: "SIGPIPE", SIGTERM: "SIGTERM"]
        return names[number] ?? "signal \(number)"
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
    /// `failure` (a worker died): the JSON object's status is "failed" with an `error` as every failed command's.
    func printSummary(study: Study, seconds: Double, interrupted: String? = nil, failure: String? = nil) throws {
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
                "status": failure != nil ? "failed" : interrupted == nil ? "completed" : "interrupted",
            ]
            if let failure { object["error"] = ["kind": CommandFailure.Kind.failed.rawValue, "message": failure] }
            object["best"] = best.map { StudyExport.trialObject($0) as Any } ?? NSNull()
            object["command"] = command.map { $0 as Any } ?? NSNull()
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
            StandardOutput.writeLast(String(decoding: data, as: UTF8.self) + "\n")   // a second signal adds nothing after it
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
