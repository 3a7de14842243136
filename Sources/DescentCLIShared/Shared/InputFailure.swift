/// An error that stands for an unusable input (status 1, kind `input` in the `--json` failure object;
/// ``CommandFailure/classify(_:)``), declared by the command module that owns the library behind the error,
/// so that this module does not import every library whose errors a command can throw.
///
/// Example: DescentCLITools declares `extension ConformanceError: InputFailure {}`; a malformed
/// conformance file then ends `descent conformance file` with "error: …" and status 1.
package protocol InputFailure: Error, CustomStringConvertible {}
