import DescentCLI

/// The `descent` executable: everything lives in DescentCLI so tests can reach it.
@main
struct DescentMain {
    static func main() async {
        await DescentCommand.mainWithUsageStatus()
    }
}
