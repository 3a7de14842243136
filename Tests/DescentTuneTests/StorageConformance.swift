import DescentTune
import Foundation
import XCTest

/// The promises every `StudyStorage` keeps, checked the same way for each implementation.
/// `make` opens a new handle on the same database (as another worker process would).
enum StorageConformance {
    static func run(name: String, make: () throws -> any StudyStorage, file: StaticString = #filePath, line: UInt = #line) throws {
        let storage = try make()
        let study = try storage.openStudy(name: name, direction: .minimize, configuration: "search=x=uniform(0,1) sampler=tpe")
        // Resume by name: the same study, its configuration kept.
        let again = try make().openStudy(name: name, direction: .minimize, configuration: "other")
        XCTAssertEqual(again, study, file: file, line: line)
        XCTAssertTrue(try storage.allStudies().contains(study), file: file, line: line)
        XCTAssertEqual(try storage.findStudy(named: name), study, file: file, line: line)
        XCTAssertNil(try storage.findStudy(named: name + "-absent"), file: file, line: line)

        // A trial's life: claim, parameters, intermediate values (NaN kept), completion.
        guard case let .claimed(id, number) = try storage.claimTrial(studyID: study.id, limit: 100, worker: "w0", staleAfter: 60) else {
            return XCTFail("no claim", file: file, line: line)
        }
        XCTAssertEqual(number, 0, file: file, line: line)
        try storage.setParameters(trialID: id, parameters: ["x": .float(0.25), "n": .int(3), "o": .choice("adam"), "one": .float(1)])
        try storage.reportIntermediate(trialID: id, step: 1, value: 0.5)
        try storage.reportIntermediate(trialID: id, step: 2, value: .nan)
        try storage.reportIntermediate(trialID: id, step: 2, value: 0.4)   // a repeated step replaces
        try storage.reportIntermediate(trialID: id, step: 3, value: .nan)
        try storage.heartbeat(trialID: id)
        XCTAssertTrue(try storage.finishTrial(trialID: id, state: .complete, value: 0.4, message: nil), file: file, line: line)
        XCTAssertFalse(try storage.finishTrial(trialID: id, state: .failed, value: nil, message: "twice"), file: file, line: line)
        let stored = try storage.trials(studyID: study.id)
        XCTAssertEqual(stored.count, 1, file: file, line: line)
        XCTAssertEqual(stored[0].state, .complete, file: file, line: line)
        XCTAssertEqual(stored[0].value, 0.4, file: file, line: line)
        XCTAssertEqual(stored[0].parameters, ["x": .float(0.25), "n": .int(3), "o": .choice("adam"), "one": .float(1)], file: file, line: line)
        XCTAssertEqual(stored[0].intermediate[1], 0.5, file: file, line: line)
        XCTAssertEqual(stored[0].intermediate[2], 0.4, file: file, line: line)
        XCTAssertTrue(stored[0].intermediate[3]?.isNaN ?? false, file: file, line: line)

        // A trial whose worker stops sending heartbeats fails after the grace period; its late finish is refused.
        guard case let .claimed(staleID, 1) = try storage.claimTrial(studyID: study.id, limit: 100, worker: "w1", staleAfter: 60) else {
            return XCTFail("no second claim", file: file, line: line)
        }
        Thread.sleep(forTimeInterval: 0.3)
        guard case .claimed(_, 2) = try storage.claimTrial(studyID: study.id, limit: 3, worker: "w2", staleAfter: 0.2) else {
            return XCTFail("no third claim", file: file, line: line)
        }
        XCTAssertEqual(try storage.trials(studyID: study.id).map(\.state), [.complete, .failed, .running], file: file, line: line)
        XCTAssertFalse(try storage.finishTrial(trialID: staleID, state: .complete, value: 1, message: nil), file: file, line: line)
        // The limit is reached; a running trial remains, so: wait.
        XCTAssertEqual(try storage.claimTrial(studyID: study.id, limit: 3, worker: "w3", staleAfter: 60), .wait, file: file, line: line)

        // Concurrent claims from separate handles: gap-free numbers, none twice.
        let concurrent = try storage.openStudy(name: name + "-concurrent", direction: .minimize, configuration: "c")
        let handles = try (0..<4).map { _ in try make() }
        let lock = NSLock()
        nonisolated(unsafe) var numbers: [Int] = []
        nonisolated(unsafe) var failures: [String] = []
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            while true {
                do {
                    switch try handles[worker].claimTrial(studyID: concurrent.id, limit: 40, worker: "w\(worker)", staleAfter: 60) {
                    case let .claimed(id, number):
                        lock.withLock { numbers.append(number) }
                        try handles[worker].finishTrial(trialID: id, state: .complete, value: Double(number), message: nil)
                    case .wait: continue
                    case .done: return
                    }
                } catch {
                    lock.withLock { failures.append("\(error)") }
                    return
                }
            }
        }
        XCTAssertEqual(failures, [], file: file, line: line)
        XCTAssertEqual(numbers.sorted(), Array(0..<40), file: file, line: line)
        XCTAssertEqual(try storage.trials(studyID: concurrent.id).map(\.number), Array(0..<40), file: file, line: line)
        XCTAssertEqual(try storage.claimTrial(studyID: concurrent.id, limit: 40, worker: "w", staleAfter: 60), .done, file: file, line: line)
    }
}
