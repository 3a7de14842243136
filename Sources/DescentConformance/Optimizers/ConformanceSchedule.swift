import DescentFiles
import DescentOptim
import DescentSchedules

/// Builds the `lr_schedule` of an optimizer conformance case — a PyTorch scheduler description
/// such as `{"schedule": "OneCycleLR", "params": {"max_lr": 0.1, "total_steps": 25}}` — with the
/// reference schedule factory (`ReferenceSchedule.make`), base rate = the case's `params.lr`.
/// One-cycle and cyclic schedules also cycle the momentum (SGD momentum, Adam's β₁).
public enum ConformanceSchedule {
    /// - Throws: `ConformanceError.invalidField` naming the case when the description is malformed
    ///   or the scheduler unknown.
    public static func make(_ description: [String: JSONValue], baseRate: Double, context: String) throws -> ScheduledRate {
        guard let name = description["schedule"]?.string else {
            throw ConformanceError.invalidField(context: context, field: "schedule", message: "missing scheduler name")
        }
        let source = description["source"]?.string ?? "pytorch"
        guard let parameters = (description["params"] ?? .object([:])).object else {
            throw ConformanceError.invalidField(context: context, field: "params", message: "expected an object")
        }
        do {
            let made = try ReferenceSchedule.make(source: source, name: name, parameters: parameters,
                                                  baseLearningRate: baseRate)
            return ScheduledRate.schedule(made.rate, momentum: made.momentum)
        } catch {
            throw ConformanceError.invalidField(context: context, field: name, message: "\(error)")
        }
    }
}
