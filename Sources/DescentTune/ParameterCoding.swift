import Foundation

/// Parameters as the storages keep them: one JSON object, `{"batch_size":32,"learning_rate":0.001,"optimizer":"adam"}`.
/// Reading gives `.int` for integral numbers written without a fraction and `.float` otherwise;
/// `SearchSpace.normalized` restores the declared kinds.
public enum ParameterCoding {
    public static func encode(_ parameters: [String: ParameterValue]) -> String {
        // Floats keep a fraction or exponent so they read back as floats.
        let items = parameters.keys.sorted().map { key -> String in
            let value: String
            switch parameters[key]! {
            case let .float(x):
                let text = x.isFinite ? "\(x)" : "null"
                value = text.contains(".") || text.contains("e") || text == "null" ? text : text + ".0"
            case let .int(x): value = "\(x)"
            case let .choice(x): value = jsonString(x)
            }
            return "\(jsonString(key)):\(value)"
        }
        return "{" + items.joined(separator: ",") + "}"
    }

    public static func decode(_ text: String) -> [String: ParameterValue] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return [:] }
        var result: [String: ParameterValue] = [:]
        for (key, value) in object {
            if let string = value as? String {
                result[key] = .choice(string)
            } else if let number = value as? NSNumber {
                // A fraction or exponent in the text means a float.
                let double = number.doubleValue
                if let range = text.range(of: jsonString(key) + ":") {
                    let rest = text[range.upperBound...].prefix { $0 != "," && $0 != "}" }
                    // An integer beyond Int (from a database changed by hand) stays a float rather than trapping.
                    let integral = rest.contains(".") || rest.contains("e") || rest.contains("E") ? nil : Int(exactly: double)
                    result[key] = integral.map(ParameterValue.int) ?? .float(double)
                } else {
                    result[key] = .float(double)
                }
            }
        }
        return result
    }

    static func jsonString(_ text: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [text], options: [])) ?? Data("[\"\"]".utf8)
        let array = String(decoding: data, as: UTF8.self)
        return String(array.dropFirst().dropLast())
    }
}
