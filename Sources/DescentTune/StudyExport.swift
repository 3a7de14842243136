import Foundation

/// A study written out: the JSON object of `descent study show --json` and the CSV of `descent study export`.
///
/// ```
/// {"study":"digits","direction":"minimize","trials":[{"number":0,"state":"complete","value":0.08,
///  "params":{"learning_rate":0.0012},"intermediate":[0.4,0.2,0.08]}, …],"best":{"number":0, …}}
/// ```
public enum StudyExport {
    /// JSON has no NaN or infinity: such numbers are null.
    static func number(_ value: Double?) -> Any {
        guard let value, value.isFinite else { return NSNull() }
        return value
    }

    /// One trial as a JSON-serialisable dictionary.
    public static func trialObject(_ trial: TrialRecord) -> [String: Any] {
        var parameters: [String: Any] = [:]
        for (name, value) in trial.parameters { parameters[name] = value.jsonObject }
        var object: [String: Any] = [
            "number": trial.number, "state": trial.state.rawValue, "value": number(trial.value),
            "params": parameters, "intermediate": trial.intermediateCurve.map { number($0.value) },
        ]
        if let message = trial.message { object["message"] = message }
        return object
    }

    /// The whole study as one line of JSON (keys sorted).
    public static func json(study: StudyRecord, trials: [TrialRecord]) -> String {
        let best = Study.best(of: trials, direction: study.direction)
        let object: [String: Any] = [
            "study": study.name, "direction": study.direction.rawValue,
            "trials": trials.map(trialObject), "best": best.map { trialObject($0) as Any } ?? NSNull(),
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// One row per trial: number, state, value, one column per parameter (`params_NAME`, as Optuna's
    /// `trials_dataframe`), the last step reached and its intermediate value, and the message.
    public static func csv(trials: [TrialRecord], parameterNames: [String]) -> String {
        func field(_ text: String) -> String {
            text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        func number(_ value: Double?) -> String { value.map { "\($0)" } ?? "" }
        var lines = [(["number", "state", "value"] + parameterNames.map { "params_\($0)" } + ["last_step", "last_intermediate", "message"])
            .map(field).joined(separator: ",")]
        for trial in trials {
            let last = trial.lastStep
            let row = ["\(trial.number)", trial.state.rawValue, number(trial.value)]
                + parameterNames.map { trial.parameters[$0]?.description ?? "" }
                + [last.map(String.init) ?? "", number(last.flatMap { trial.intermediate[$0] }), trial.message ?? ""]
            lines.append(row.map(field).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
