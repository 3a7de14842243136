import DescentDistributed
import XCTest

/// How a process learns it is one rank of a job, and the single-process communicator.
final class DataParallelLaunchTests: XCTestCase {
    func testAloneWithoutLauncherVariables() {
        XCTAssertEqual(DataParallelLaunch.detect(environment: ["PATH": "/usr/bin"]), .single)
        XCTAssertEqual(DataParallelLaunch.detect(environment: [:]).worldSize, 1)
    }

    /// What Open MPI's mpirun sets in each process it starts.
    func testOpenMPIEnvironment() {
        let launch = DataParallelLaunch.detect(environment: [
            "OMPI_COMM_WORLD_SIZE": "4", "OMPI_COMM_WORLD_RANK": "2", "OMPI_COMM_WORLD_LOCAL_SIZE": "2",
        ])
        XCTAssertEqual(launch, .openMPI(worldSize: 4, rank: 2, localSize: 2))
        XCTAssertEqual(launch.worldSize, 4)
        // Threads: the cores divided by the processes on this machine, at least one.
        XCTAssertEqual(launch.threadsPerProcess(cores: 16), 8)
        XCTAssertEqual(launch.threadsPerProcess(cores: 1), 1)
    }

    /// MPICH's and Intel MPI's launchers set PMI_SIZE: refused with a message that names Open MPI.
    func testAnotherMPIIsRefused() {
        let launch = DataParallelLaunch.detect(environment: ["PMI_SIZE": "2", "PMI_RANK": "0"])
        XCTAssertEqual(launch, .otherMPI(worldSize: 2))
        XCTAssertThrowsError(try launch.communicator()) { error in
            XCTAssertTrue("\(error)".contains("Open MPI"), "\(error)")
        }
    }

    func testSingleProcessCollectivesAreTheIdentity() throws {
        let single = SingleProcessCommunicator()
        XCTAssertEqual(single.rank, 0)
        XCTAssertEqual(single.size, 1)
        XCTAssertTrue(single.isPrimary)
        var floats: [Float] = [1, 2]
        try single.allReduce(&floats, .sum)
        XCTAssertEqual(floats, [1, 2])
        var bytes: [UInt8] = [7, 8, 9]
        try single.broadcast(&bytes, from: 0)
        XCTAssertEqual(bytes, [7, 8, 9])
    }
}
