import Descent

/// The diagnosis in words, as `train` and `diagnose` print it: the verdict, the evidence as bullets, the advice.
enum DiagnosisText {
    static func lines(_ diagnosis: Diagnosis) -> [String] {
        ["Diagnosis: \(diagnosis.verdict) (\(diagnosis.confidence.rawValue) confidence)"]
            + diagnosis.evidence.map { "  - \($0)" }
            + ["Advice: \(diagnosis.advice)"]
    }
}
