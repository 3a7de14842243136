import DescentFiles
import DescentTrain
import Foundation

/// What a training log holds, read back: the curves the diagnosis reads, and what was odd about the file.
public struct TrainingLogContents: Sendable, Equatable {
    /// The run's curves, as `TrainingCurves.record` would have collected them during the run.
    public var curves: TrainingCurves
    /// The number of entries read.
    public var entryCount: Int
    /// How many times the run was resumed.
    public var resumptions: Int
    /// The number of a last line left incomplete by a kill in mid-write (it is ignored), if any.
    public var incompleteLastLine: Int?
    /// How the run ended (its `end` line), or nil: killed, or still going.
    public var endStatus: String?
}

extension TrainingLog {
    /// Reads a log written by `TrainingLog` and rebuilds the run's `TrainingCurves`.
    ///
    /// A resumed run's `run` line drops what the killed run logged after the point it resumed from
    /// (those steps and epochs were done again): after the end of epoch `resumed_from_epoch`, or,
    /// for a checkpoint written inside an epoch, after the last step numbered `resumed_at_step`. A last line without its newline that does not
    /// parse is a write cut short by a kill and is skipped; any other line that is not an entry is
    /// an error naming the file and the line.
    ///
    /// ```swift
    /// let contents = try TrainingLog.curves(contentsOf: "run.jsonl")
    /// contents.curves.epochs.count   // 20
    /// diagnose(contents.curves)      // the same diagnosis `descent train` printed
    /// ```
    public static func curves(contentsOf path: String) throws -> TrainingLogContents {
        let data: Data
        // A device or FIFO is no log (and reading one could block or never end): say so, not "permission".
        if let type = try? FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType,
           type != .typeRegular, type != .typeDirectory, type != .typeSymbolicLink {
            throw TrainingLogError.cannotRead(path: path, reason: "it is not a regular file (a device, FIFO or socket)")
        }
        do {
            data = try FileContents.read(path)
        } catch let error as FileReadError {
            throw TrainingLogError.cannotRead(path: path, reason: error.reason)
        }
        return try curves(from: data, path: path)
    }

    /// Reads the lines of a log from memory; `path` only names it in errors.
    public static func curves(from data: Data, path: String) throws -> TrainingLogContents {
        let decoder = JSONDecoder()
        var curves = TrainingCurves()
        var entryCount = 0, resumptions = 0
        var incompleteLastLine: Int?
        var endStatus: String?
        // Where each epoch's end left the curves, to cut back to on a resume; and how many steps
        // each rollback came after.
        var marks: [Int: Int] = [:]
        var stepsBeforeRollback: [Int] = []
        let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let endsWithNewline = data.last == UInt8(ascii: "\n")
        for (index, line) in lines.enumerated() {
            let number = index + 1
            if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }) { continue }
            let entry: TrainingLogEntry
            do {
                entry = try decoder.decode(TrainingLogEntry.self, from: Data(line))
            } catch {
                if index == lines.count - 1, !endsWithNewline {
                    incompleteLastLine = number
                    break
                }
                throw TrainingLogError.malformedLine(path: path, line: number, reason: describe(error))
            }
            entryCount += 1
            switch entry.kind {
            case .run:
                if let format = entry.format, format > TrainingLogEntry.currentFormat {
                    throw TrainingLogError.malformedLine(
                        path: path, line: number,
                        reason: "log format \(format) is newer than this descent reads (\(TrainingLogEntry.currentFormat))")
                }
                if let baseline = entry.baseline { curves.baseline = baseline }
                if let settings = entry.settings { curves.settings = settings }
                if let resumed = entry.resumedFromEpoch, entryCount > 1 {
                    resumptions += 1
                    var keptSteps = marks[resumed] ?? 0
                    if let step = entry.resumedAtStep,
                       let last = curves.steps[keptSteps...].lastIndex(where: { $0.step == step }) {
                        keptSteps = last + 1
                    }
                    curves.epochs.removeAll { $0.epoch > resumed }
                    curves.steps.removeLast(Swift.max(curves.steps.count - keptSteps, 0))
                    let keptRollbacks = stepsBeforeRollback.filter { $0 <= keptSteps }.count
                    curves.rollbacks.removeLast(Swift.max(curves.rollbacks.count - keptRollbacks, 0))
                    let lastKeptStep = curves.steps.last?.step ?? 0
                    curves.sharpness.removeAll { $0.step > lastKeptStep }
                    stepsBeforeRollback.removeLast(Swift.max(stepsBeforeRollback.count - keptRollbacks, 0))
                    curves.earlyStop = nil
                    curves.finalDivergence = nil
                    endStatus = nil
                }
            case .step:
                curves.record(.stepEnded(step: entry.step!, loss: entry.loss!, learningRate: entry.learningRate!))
            case .epoch:
                var record = TrainingRecord(epoch: entry.epoch!, step: entry.step!, learningRate: entry.learningRate!,
                                            trainingLoss: entry.trainingLoss!)
                record.validationLoss = entry.validationLoss
                record.validationMetric = entry.validationMetric
                curves.record(.epochEnded(record))
                marks[record.epoch] = curves.steps.count
            case .rollback:
                stepsBeforeRollback.append(curves.steps.count)
                curves.record(.rolledBack(step: entry.step!, loss: entry.loss!, rateScale: entry.rateScale!))
            case .stoppedEarly:
                curves.record(.stoppedEarly(epoch: entry.epoch!, bestEpoch: entry.bestEpoch!))
            case .diverged:
                curves.record(TrainingError.diverged(step: entry.step!, loss: entry.loss!, rollbacks: entry.rollbacks ?? 0))
            case .end:
                endStatus = entry.status
            case .sharpness:
                if let measurement = entry.sharpnessMeasurement { curves.record(.sharpnessMeasured(measurement)) }
            }
        }
        guard entryCount > 0 else { throw TrainingLogError.empty(path: path) }
        return TrainingLogContents(curves: curves, entryCount: entryCount, resumptions: resumptions,
                                   incompleteLastLine: incompleteLastLine, endStatus: endStatus)
    }

    /// A decoding error in words: "not JSON", "\"loss\" is missing", "\"step\" must be an integer".
    static func describe(_ error: Error) -> String {
        guard let error = error as? DecodingError else { return "not a log entry (\(error))" }
        func name(_ path: [CodingKey]) -> String { path.map(\.stringValue).joined(separator: ".") }
        switch error {
        case let .keyNotFound(key, context):
            return context.debugDescription.hasPrefix("a \"") ? context.debugDescription
                : "\"\(name(context.codingPath + [key]))\" is missing"
        case let .typeMismatch(type, context):
            if context.codingPath.isEmpty { return "not a JSON object" }
            return "\"\(name(context.codingPath))\" must be \(typeName(type))"
        case let .valueNotFound(type, context):
            return "\"\(name(context.codingPath))\" must be \(typeName(type)), not null"
        case let .dataCorrupted(context):
            if let key = context.codingPath.last, key.stringValue == "kind" {
                let kinds = TrainingLogEntry.Kind.allCases.map(\.rawValue).joined(separator: ", ")
                return "unknown \"kind\" (expected one of \(kinds))"
            }
            return context.codingPath.isEmpty ? "not a JSON object" : "\"\(name(context.codingPath))\" is invalid"
        @unknown default:
            return "not a log entry"
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        if type == Int.self { return "an integer" }
        if type == Double.self { return "a number" }
        if type == String.self || type == TrainingLogEntry.Kind.self { return "a string" }
        return "a \(type)"
    }
}
