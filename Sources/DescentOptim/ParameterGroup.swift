/// A set of parameters, chosen by name, with its own rate, schedule or weight decay.
///
/// A parameter belongs to the first group whose `selects` accepts its name;
/// parameters that no group selects use the optimizer's own settings. A `nil`
/// setting falls back to the optimizer's.
///
/// ```swift
/// // No weight decay on biases and normalisation layers, a tenth of the rate for the first layer.
/// let groups = [
///     ParameterGroup.noWeightDecayOnBiasesAndNorms,
///     ParameterGroup(name: "first layer", learningRate: 1e-4) { $0.hasPrefix("layers.0.") },
/// ]
/// // "layers.1.bias" → weight decay 0; "layers.0.weight" → rate 1e-4; "layers.1.weight" → defaults.
/// ```
public struct ParameterGroup: Sendable {
    /// A label for messages and reports.
    public var name: String
    /// The base rate of the group (replaces the optimizer's `learningRate`).
    public var learningRate: Double?
    /// The weight-decay coefficient of the group.
    public var weightDecay: Double?
    /// The schedule of the group (replaces the optimizer's schedule).
    public var schedule: ScheduledRate?
    /// Whether a parameter name belongs to this group.
    public var selects: @Sendable (String) -> Bool

    public init(name: String, learningRate: Double? = nil, weightDecay: Double? = nil,
                schedule: ScheduledRate? = nil, selects: @escaping @Sendable (String) -> Bool) {
        self.name = name
        self.learningRate = learningRate
        self.weightDecay = weightDecay
        self.schedule = schedule
        self.selects = selects
    }

    /// The usual exemption: no weight decay on parameters whose last name component is `bias`
    /// or whose name mentions a normalisation layer (`norm`, `bn`, `ln`).
    public static let noWeightDecayOnBiasesAndNorms = ParameterGroup(name: "no decay", weightDecay: 0) { name in
        let lowered = name.lowercased()
        let last = lowered.split(separator: ".").last.map(String.init) ?? lowered
        if last == "bias" || last.hasSuffix("bias") { return true }
        return lowered.split(separator: ".").contains { part in
            part.contains("norm") || part.hasPrefix("bn") || part.hasPrefix("ln")
        }
    }
}
