// swift-tools-version: 6.1
// Descent: gradient descent in which the learning rate is managed, not guessed.
// The module layering follows shared DESIGN.md: arrows point down only.
import PackageDescription

// The command modules (DescentCLI*) parse flags, call the libraries and word the results: no numeric loop runs in
// them, so they are compiled without optimization even in release builds. Measured (benchmarks/build_time.md):
// 34 CPU s less of a first build, and the same CPU time for `descent train` on a 21,699-row raw table, `descent
// predict` on 217k rows and `descent demo` (every numeric loop is in the optimized libraries). The flag is on the
// command modules only, which no library product contains, so packages that depend on Descent's libraries by
// version are unaffected (SwiftPM refuses unsafe flags only in the products a dependent uses).
let commandModuleSettings: [SwiftSetting] = [.unsafeFlags(["-Onone"], .when(configuration: .release))]

let package = Package(
    name: "Descent",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "Descent", targets: ["Descent"]),
        .library(name: "DescentTensor", targets: ["DescentTensor"]),
        .library(name: "DescentSchedules", targets: ["DescentSchedules"]),
        .library(name: "DescentNN", targets: ["DescentNN"]),
        .library(name: "DescentData", targets: ["DescentData"]),
        .library(name: "DescentOptim", targets: ["DescentOptim"]),
        .library(name: "DescentTrain", targets: ["DescentTrain"]),
        .library(name: "DescentDiagnosis", targets: ["DescentDiagnosis"]),
        .library(name: "DescentReport", targets: ["DescentReport"]),
        .library(name: "DescentTune", targets: ["DescentTune"]),
        .library(name: "DescentTunePostgres", targets: ["DescentTunePostgres"]),
        .library(name: "DescentExplore", targets: ["DescentExplore"]),
        .library(name: "DescentFiles", targets: ["DescentFiles"]),
        .library(name: "DescentDistributed", targets: ["DescentDistributed"]),
        .library(name: "DescentConformance", targets: ["DescentConformance"]),
        .executable(name: "descent", targets: ["descent"]),
    ],
    // Study storage on PostgreSQL is optional: it brings postgres-nio, SwiftNIO and BoringSSL, which
    // take most of a first build. `swift build -c release --traits PostgreSQL` turns it on; without
    // it `--storage postgres://…` says how to get it. SQLite storage is always there.
    traits: [
        .trait(name: "PostgreSQL", description: "Study storage on PostgreSQL (descent tune --storage postgres://…)"),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // The tuner's study storage on PostgreSQL (many machines; SQLite, the default, is the system's libsqlite3 through CSQLite).
        .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
        // TLS to PostgreSQL (sslmode=require, verify-full, …): postgres-nio's own TLS library, named for its types.
        .package(url: "https://github.com/apple/swift-nio-ssl", exact: "2.37.6"),
        // What DescentTunePostgres imports beside postgres-nio (its event loops and its logger), declared rather than
        // reached through postgres-nio, at the versions postgres-nio 1.33.2 resolves to.
        .package(url: "https://github.com/apple/swift-nio.git", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-log.git", exact: "1.16.2"),
    ],
    targets: [
        // The one atomic file writer (temp file + fsync + rename), used by data, reports and the CLI,
        // and the one JSON value type.
        .target(name: "DescentFiles"),
        // C micro-kernels with per-function target attributes, chosen at run time the one way
        // CDescentDispatch defines (CPU detection once, a table of variants per instruction set).
        .target(name: "CDescentDispatch"),
        .target(name: "CDescentKernels", dependencies: ["CDescentDispatch"]),
        .target(name: "CDescentElementwise", dependencies: ["CDescentDispatch"]),
        .target(name: "DescentTensor", dependencies: ["CDescentKernels", "CDescentElementwise"]),
        // Fused optimizer updates, likewise chosen at run time.
        .target(name: "CDescentOptimKernels", dependencies: ["CDescentDispatch"]),
        // SIGINT and SIGTERM through one handler and a self-pipe, for the command line (ProcessSignals).
        .target(name: "CDescentSignals"),
        // Learning-rate schedules and controllers: pure values, no dependencies.
        .target(name: "DescentSchedules"),
        .target(name: "DescentNN", dependencies: ["DescentTensor"]),
        .target(name: "DescentData", dependencies: ["DescentTensor", "DescentFiles"], resources: [.copy("Resources")]),
        .target(name: "DescentOptim", dependencies: ["DescentTensor", "DescentSchedules", "CDescentOptimKernels"]),
        // Open MPI, loaded at run time (dlopen), so the package builds and runs with only the Swift toolchain.
        .target(name: "CDescentMPI", dependencies: ["CDescentDispatch"], linkerSettings: [.linkedLibrary("dl", .when(platforms: [.linux]))]),
        // Data-parallel jobs: the communicator (Open MPI's or a single process's) and how the process was launched.
        .target(name: "DescentDistributed", dependencies: ["CDescentMPI"]),
        .target(name: "DescentTrain", dependencies: ["DescentNN", "DescentData", "DescentOptim", "DescentDistributed"]),
        // What a run's curves say (CurveDiagnosis, its advice) and the JSON-lines training log they are read back from.
        // Nothing in DescentTrain uses them: a module of their own compiles beside the commands' shared module.
        .target(name: "DescentDiagnosis", dependencies: ["DescentTrain", "DescentOptim", "DescentData", "DescentFiles", "DescentSchedules"]),
        // The system's SQLite (libsqlite3-dev on Debian, as GRDB needed before), called directly by the study storage.
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]),
        // The tuner: search spaces, samplers, pruners, studies and their SQLite storage.
        .target(name: "DescentTune", dependencies: ["DescentTensor", "CSQLite"]),
        // Study storage on PostgreSQL, in its own module so that users who never touch PostgreSQL do not build it.
        // Built empty but for the URL redaction unless the PostgreSQL trait is on (its code sits under `#if PostgreSQL`).
        .target(name: "DescentTunePostgres", dependencies: [
            "DescentTune",
            .product(name: "PostgresNIO", package: "postgres-nio", condition: .when(traits: ["PostgreSQL"])),
            .product(name: "NIOSSL", package: "swift-nio-ssl", condition: .when(traits: ["PostgreSQL"])),
            .product(name: "NIOCore", package: "swift-nio", condition: .when(traits: ["PostgreSQL"])),
            .product(name: "Logging", package: "swift-log", condition: .when(traits: ["PostgreSQL"])),
        ]),
        // Charts and reports take plain series and know nothing about training.
        .target(name: "DescentReport", dependencies: ["DescentFiles"]),
        // Two-variable landscapes to watch an optimizer on, and what a path did (for `descent explore`).
        .target(name: "DescentExplore", dependencies: ["DescentOptim"]),
        // What exists only to compare Descent with its references (PyTorch, Optax, Keras, fastai):
        // their schedule and optimizer names, and the conformance file runners.
        .target(name: "DescentConformance", dependencies: [
            "DescentFiles", "DescentSchedules", "DescentTensor", "DescentOptim", "DescentTrain",
        ]),
        .target(name: "Descent", dependencies: [
            "DescentTensor", "DescentSchedules", "DescentNN", "DescentData",
            "DescentOptim", "DescentTrain", "DescentDiagnosis", "DescentReport", "DescentFiles", "DescentExplore", "DescentConformance",
            "DescentDistributed",
        ]),
        // The command line, in modules that compile side by side (a first build waits for the longest chain of
        // modules, and a module compiles as one job; benchmarks/build_time.md). Each depends on what it imports,
        // not on the `Descent` umbrella, so that the commands start compiling as soon as DescentTrain is built.
        // What one uses of another is `package`, not public.
        // Options, output, errors and --config/--save-config files shared by every command:
        .target(name: "DescentCLIShared", dependencies: [
            "CDescentSignals", "DescentTensor", "DescentSchedules", "DescentNN", "DescentData", "DescentOptim", "DescentTrain", "DescentFiles",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: commandModuleSettings),
        // `descent train`, and the diagnosis in words it shares with range-test, demo and diagnose:
        .target(name: "DescentCLITrain", dependencies: [
            "DescentCLIShared", "DescentTensor", "DescentSchedules", "DescentNN", "DescentData", "DescentOptim",
            "DescentTrain", "DescentDiagnosis", "DescentFiles", "DescentDistributed", "DescentReport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: commandModuleSettings),
        // `descent demo`, `range-test` and `explore` (the demo shows a range test and the explorer):
        .target(name: "DescentCLIRuns", dependencies: [
            "DescentCLIShared", "DescentCLITrain", "DescentSchedules", "DescentNN", "DescentData", "DescentOptim",
            "DescentTrain", "DescentDiagnosis", "DescentReport", "DescentExplore",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: commandModuleSettings),
        // `descent tune` and `descent study`:
        .target(name: "DescentCLITune", dependencies: [
            "DescentCLIShared", "DescentCLITrain", "DescentTensor", "DescentSchedules", "DescentNN", "DescentData",
            "DescentOptim", "DescentTrain", "DescentFiles", "DescentReport", "DescentTune", "DescentTunePostgres",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: commandModuleSettings),
        // predict, evaluate, inspect, report, diagnose, schedule, conformance and bench:
        .target(name: "DescentCLITools", dependencies: [
            "DescentCLIShared", "DescentCLITrain", "DescentTensor", "DescentSchedules", "DescentNN", "DescentData",
            "DescentOptim", "DescentTrain", "DescentDiagnosis", "DescentDistributed", "DescentFiles", "DescentReport",
            "DescentConformance",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: commandModuleSettings),
        // The `descent` command itself: the list of subcommands and the entry point.
        .target(name: "DescentCLI", dependencies: [
            "Descent", "DescentCLIShared", "DescentCLITrain", "DescentCLIRuns", "DescentCLITune", "DescentCLITools",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: commandModuleSettings),
        .executableTarget(name: "descent", dependencies: ["DescentCLI"]),
        // The README's library example, verbatim (a test compares the two and runs it): a whole run from a RunSpecification.
        .executableTarget(name: "TrainingRunExample", dependencies: ["Descent"], path: "Examples/TrainingRun"),

        .testTarget(name: "DescentTensorTests", dependencies: ["DescentTensor"]),
        .testTarget(name: "DescentSchedulesTests", dependencies: ["DescentSchedules"]),
        .testTarget(name: "DescentOptimTests", dependencies: ["DescentOptim", "DescentSchedules", "DescentConformance", "DescentFiles"]),
        .testTarget(name: "DescentDataTests", dependencies: ["DescentData"], resources: [.copy("Fixtures")]),
        .testTarget(name: "DescentNNTests", dependencies: ["DescentNN", "DescentData", "DescentOptim"], resources: [.copy("Fixtures")]),
        .testTarget(name: "DescentTrainTests", dependencies: ["DescentTrain", "DescentDiagnosis"]),
        .testTarget(name: "DescentDistributedTests", dependencies: ["DescentDistributed"]),
        .testTarget(name: "DescentCLITests", dependencies: [
            "DescentCLI", "DescentCLIShared", "DescentCLITrain", "DescentCLIRuns", "DescentCLITune", "DescentCLITools", "DescentTunePostgres",
        ]),
        .testTarget(name: "DescentReportTests", dependencies: ["DescentReport"]),
        .testTarget(name: "DescentTuneTests", dependencies: ["DescentTune", "DescentTunePostgres"]),
        .testTarget(name: "DescentExploreTests", dependencies: ["DescentExplore", "DescentSchedules"]),
        .testTarget(name: "DescentFilesTests", dependencies: ["DescentFiles"], resources: [.copy("Fixtures")]),
        .testTarget(name: "DescentConformanceTests", dependencies: ["DescentConformance", "DescentFiles", "DescentSchedules", "DescentOptim", "DescentTrain"]),
        // Seeded property tests ("fuzzing") of every reader of user files and text.
        .testTarget(name: "DescentFuzzTests", dependencies: ["DescentData", "DescentSchedules", "DescentOptim", "DescentTrain", "DescentConformance",
                                                     "DescentCLI", "DescentCLIShared", "DescentTune"]),
    ],
    swiftLanguageModes: [.v6]
)
