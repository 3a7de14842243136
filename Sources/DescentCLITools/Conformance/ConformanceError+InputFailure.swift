import DescentCLIShared
import DescentConformance

/// A malformed or unreadable conformance file is an input error (status 1, kind `input`).
extension ConformanceError: InputFailure {}
