/// One record of a TensorBoard event file: TensorFlow's `Event` message
/// (`tensorboard/compat/proto/event.proto`), reduced to what scalar logging needs.
///
///     message Event      { double wall_time = 1; int64 step = 2;
///                          oneof what { string file_version = 3; Summary summary = 5; SessionLog session_log = 7; } }
///     message Summary    { repeated Value value = 1; }
///     message Value      { string tag = 1; float simple_value = 2; }     // (Summary.Value)
///     message SessionLog { SessionStatus status = 1; }                   // START = 1
///
/// A file starts with `file_version: "brain.Event:2"`; a `SessionLog` START at step s tells
/// TensorBoard to drop what it read at steps ≥ s (a resumed run logs those steps again).
///
/// ```swift
/// let event = TensorBoardEvent(wallTime: 1.5, step: 3, content: .scalars([.init(tag: "loss", value: 0.25)]))
/// event.encoded()   // 09 00 00 00 00 00 00 F8 3F  10 03  2A 0D 0A 0B 0A 04 "loss" 15 00 00 80 3E  (26 bytes)
/// ```
public struct TensorBoardEvent: Equatable, Sendable {
    /// One scalar of a summary.
    public struct Scalar: Equatable, Sendable {
        public var tag: String
        public var value: Float
        public init(tag: String, value: Float) {
            self.tag = tag
            self.value = value
        }
    }

    /// What the event carries.
    public enum Content: Equatable, Sendable {
        case fileVersion(String)
        case scalars([Scalar])
        case sessionStart
    }

    /// The version string TensorBoard expects in a file's first event.
    public static let fileVersion = "brain.Event:2"

    /// Seconds since 1970-01-01 UTC.
    public var wallTime: Double
    public var step: Int64
    public var content: Content

    public init(wallTime: Double, step: Int64, content: Content) {
        self.wallTime = wallTime
        self.step = step
        self.content = content
    }

    /// The serialized `Event` message.
    public func encoded() -> [UInt8] {
        var event = ProtobufWriter()
        event.double(1, wallTime)
        if step != 0 { event.varint(2, step) }   // proto3 leaves default values out
        switch content {
        case let .fileVersion(version):
            event.string(3, version)
        case let .scalars(scalars):
            var summary = ProtobufWriter()
            for scalar in scalars {
                var value = ProtobufWriter()
                value.string(1, scalar.tag)
                value.float(2, scalar.value)
                summary.lengthDelimited(1, value.bytes)
            }
            event.lengthDelimited(5, summary.bytes)
        case .sessionStart:
            var sessionLog = ProtobufWriter()
            sessionLog.varint(1, 1)
            event.lengthDelimited(7, sessionLog.bytes)
        }
        return event.bytes
    }

    /// Reads an `Event` written by `encoded()` (other fields and kinds are an error).
    public init(decoding bytes: [UInt8]) throws {
        var wallTime = 0.0, step: Int64 = 0
        var content: Content?
        func fail(_ reason: String) -> ProtobufReader.ReadError { ProtobufReader.ReadError(offset: 0, reason: reason) }
        for (field, value) in try ProtobufReader.fields(of: bytes) {
            switch (field, value) {
            case let (1, .fixed64(bits)): wallTime = Double(bitPattern: bits)
            case let (2, .varint(raw)): step = Int64(bitPattern: raw)
            case let (3, .lengthDelimited(text)): content = .fileVersion(String(decoding: text, as: UTF8.self))
            case let (5, .lengthDelimited(summary)):
                var scalars: [Scalar] = []
                for (valueField, valueBytes) in try ProtobufReader.fields(of: summary) {
                    guard valueField == 1, case let .lengthDelimited(message) = valueBytes else { throw fail("Summary field \(valueField)") }
                    var tag: String?, number: Float?
                    for (scalarField, scalarValue) in try ProtobufReader.fields(of: message) {
                        switch (scalarField, scalarValue) {
                        case let (1, .lengthDelimited(text)): tag = String(decoding: text, as: UTF8.self)
                        case let (2, .fixed32(bits)): number = Float(bitPattern: bits)
                        default: throw fail("Summary.Value field \(scalarField)")
                        }
                    }
                    guard let tag, let number else { throw fail("a Summary.Value without tag or simple_value") }
                    scalars.append(Scalar(tag: tag, value: number))
                }
                content = .scalars(scalars)
            case let (7, .lengthDelimited(sessionLog)):
                guard try ProtobufReader.fields(of: sessionLog).contains(where: { $0.field == 1 && $0.value == .varint(1) }) else {
                    throw fail("a SessionLog that is not START")
                }
                content = .sessionStart
            default: throw fail("Event field \(field)")
            }
        }
        guard let content else { throw fail("an Event with no content") }
        self.init(wallTime: wallTime, step: step, content: content)
    }
}
