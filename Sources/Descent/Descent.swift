// The umbrella module: `import Descent` brings in every public module.
@_exported import DescentTensor
@_exported import DescentSchedules
@_exported import DescentNN
@_exported import DescentData
@_exported import DescentOptim
@_exported import DescentTrain
@_exported import DescentDiagnosis
@_exported import DescentReport
@_exported import DescentExplore
@_exported import DescentFiles
@_exported import DescentDistributed
@_exported import DescentConformance

/// The version of the Descent library and command-line tool.
public enum DescentVersion {
    /// Semantic version string, printed by `descent --version`.
    public static let string = "0.1.0"
}
