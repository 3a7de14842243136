import Foundation

/// Builds the `lr_schedule` of an optimizer conformance case (a PyTorch scheduler description).
public enum ConformanceSchedule {
    /// - Throws: `ConformanceError.unsupported` for a scheduler this build cannot make.
    public static func make(_ description: [String: Any], baseRate: Double, context: String) throws -> ScheduledRate {
        throw ConformanceError.unsupported(context: context, what: "schedule \(description["schedule"] ?? "?")")
    }
}
