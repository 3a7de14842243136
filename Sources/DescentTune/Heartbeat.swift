import Foundation

/// A background thread that tells the storage, every `interval` seconds, that a trial's worker is
/// alive — so a trial whose epochs are long is not mistaken for a dead one. Stopped by `stop()`.
final class Heartbeat: @unchecked Sendable {
    private let condition = NSCondition()
    private var stopped = false

    init(storage: any StudyStorage, trialID: Int64, interval: Double) {
        let thread = Thread { [self] in
            condition.lock()
            while !stopped {
                if !condition.wait(until: Date(timeIntervalSinceNow: interval)), !stopped {
                    condition.unlock()
                    try? storage.heartbeat(trialID: trialID)
                    condition.lock()
                }
            }
            condition.unlock()
        }
        thread.start()
    }

    func stop() {
        condition.lock()
        stopped = true
        condition.signal()
        condition.unlock()
    }
}
