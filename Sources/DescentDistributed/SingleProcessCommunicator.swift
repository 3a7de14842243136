/// The job of one process: rank 0 of 1, every collective the identity.
///
/// ```swift
/// let single = SingleProcessCommunicator()
/// var values: [Float] = [1, 2]
/// try single.allReduce(&values, .sum)   // [1, 2]: the sum over one process
/// ```
public final class SingleProcessCommunicator: Communicator {
    public init() {}
    public var rank: Int { 0 }
    public var size: Int { 1 }
    public func allReduce(_ values: UnsafeMutableBufferPointer<Float>, _ operation: ReductionOperation) throws {}
    public func allReduce(_ values: UnsafeMutableBufferPointer<Double>, _ operation: ReductionOperation) throws {}
    public func broadcast(_ bytes: UnsafeMutableRawBufferPointer, from root: Int) throws {}
    public func barrier() throws {}
}
