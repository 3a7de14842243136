@testable import DescentDistributed
import XCTest

/// How a process waits in an all-reduce: spinning (blocking MPI_Allreduce) while every process has a core,
/// sleeping between tests when `mpirun` started more processes on the machine than it has cores.
final class WaitPolicyTests: XCTestCase {
    func testSpinsWhileEveryProcessHasACoreAndSleepsWhenTheyOutnumberThem() {
        typealias Policy = MPICommunicator.WaitPolicy
        XCTAssertEqual(Policy.choose(environment: ["OMPI_COMM_WORLD_LOCAL_SIZE": "2"], cores: 2), .spin)
        XCTAssertEqual(Policy.choose(environment: ["OMPI_COMM_WORLD_LOCAL_SIZE": "4"], cores: 2), .sleep)
        XCTAssertEqual(Policy.choose(environment: ["OMPI_COMM_WORLD_LOCAL_SIZE": "3"], cores: 16), .spin)
        XCTAssertEqual(Policy.choose(environment: [:], cores: 1), .spin)
        // DESCENT_MPI_WAIT decides when it names a policy; another word leaves the rule to decide.
        XCTAssertEqual(Policy.choose(environment: ["OMPI_COMM_WORLD_LOCAL_SIZE": "2", "DESCENT_MPI_WAIT": "sleep"], cores: 2), .sleep)
        XCTAssertEqual(Policy.choose(environment: ["OMPI_COMM_WORLD_LOCAL_SIZE": "8", "DESCENT_MPI_WAIT": "spin"], cores: 2), .spin)
        XCTAssertEqual(Policy.choose(environment: ["OMPI_COMM_WORLD_LOCAL_SIZE": "8", "DESCENT_MPI_WAIT": "fast"], cores: 2), .sleep)
    }
}
