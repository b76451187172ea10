// swift-tools-version: 6.2
import PackageDescription

let upcoming: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "reconciler",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "reconciler", targets: ["reconciler"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // System libraries: a modulemap and a shim header each, nothing else.
        .systemLibrary(name: "CGit2", pkgConfig: "libgit2", providers: [.apt(["libgit2-dev"])]),
        .systemLibrary(name: "CSystemd", pkgConfig: "libsystemd", providers: [.apt(["libsystemd-dev"])]),

        // The pure core: the model, validation, rendering, planning and the ports, no I/O.
        .target(name: "ReconcilerCore", dependencies: ["Yams"], swiftSettings: upcoming),

        // POSIX helpers shared by the adapters: programs with a deadline (posix_spawn), atomic
        // files, flock locks, private directories, signals and the system clock.
        .target(name: "ReconcilerPOSIX", dependencies: ["ReconcilerCore"], swiftSettings: upcoming),

        // Adapters around the core.
        .target(
            name: "ReconcilerGit",
            dependencies: [
                "CGit2", "ReconcilerCore", "ReconcilerPOSIX", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcoming
        ),
        .target(
            name: "ReconcilerSystemd",
            dependencies: [
                "CSystemd", "ReconcilerCore", "ReconcilerPOSIX",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcoming
        ),

        .target(
            name: "ReconcilerContainers",
            dependencies: ["ReconcilerCore", "ReconcilerPOSIX", .product(name: "Logging", package: "swift-log")],
            swiftSettings: upcoming
        ),
        .target(
            name: "ReconcilerStore",
            dependencies: ["ReconcilerCore", "ReconcilerPOSIX", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: upcoming
        ),
        // Health checks on the host: HTTP, TCP and command probes.
        .target(
            name: "ReconcilerHealth", dependencies: ["ReconcilerCore", "ReconcilerPOSIX"], swiftSettings: upcoming),

        // Orchestration: observe, plan, apply, verify, record; the daemon loop. It sees the
        // world only through the core's ports.
        .target(
            name: "ReconcilerEngine",
            dependencies: ["ReconcilerCore", .product(name: "Logging", package: "swift-log")],
            swiftSettings: upcoming
        ),
        // In-memory fakes of the ports, for the engine's unit tests only: the end-to-end tests
        // cover the same behaviour on real systemd, podman, git and SQLite.
        .target(
            name: "ReconcilerTesting",
            dependencies: [
                "ReconcilerCore", "ReconcilerEngine", "ReconcilerPOSIX",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcoming
        ),

        // Composition root: argument parsing, output, logging bootstrap.
        .target(
            name: "ReconcilerCLI",
            dependencies: [
                "ReconcilerCore", "ReconcilerGit", "ReconcilerSystemd", "ReconcilerContainers", "ReconcilerStore",
                "ReconcilerHealth", "ReconcilerPOSIX", "ReconcilerEngine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcoming
        ),
        .executableTarget(
            name: "reconciler",
            dependencies: ["ReconcilerCLI", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: upcoming
        ),

        // Benchmarks that print their numbers beside a peer's (`make bench`).
        .executableTarget(
            name: "reconciler-bench",
            dependencies: ["ReconcilerCore", "ReconcilerGit", "ReconcilerPOSIX"],
            swiftSettings: upcoming
        ),

        .testTarget(
            name: "ReconcilerCoreTests",
            dependencies: ["ReconcilerCore", "ReconcilerTesting"],
            resources: [.copy("Fixtures")],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "ReconcilerEngineTests",
            dependencies: [
                "ReconcilerEngine", "ReconcilerCore", "ReconcilerTesting",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "ReconcilerHealthTests",
            dependencies: ["ReconcilerHealth", "ReconcilerCore"],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "ReconcilerPOSIXTests",
            dependencies: ["ReconcilerPOSIX", "ReconcilerCore", "ReconcilerTesting"],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "ReconcilerCLITests",
            dependencies: [
                "ReconcilerCLI", "ReconcilerCore", "ReconcilerEngine", "ReconcilerStore", "ReconcilerTesting",
                .product(name: "Logging", package: "swift-log"),
            ],
            // Golden files are read through #filePath, not bundled.
            exclude: ["Fixtures"],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "ReconcilerGitTests",
            dependencies: ["ReconcilerGit", "ReconcilerCore", "ReconcilerTesting"],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "ReconcilerSystemdTests",
            dependencies: [
                "ReconcilerSystemd", "ReconcilerCore",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "ReconcilerStoreTests",
            dependencies: ["ReconcilerStore", "ReconcilerCore", "ReconcilerTesting"],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "ReconcilerContainersTests",
            dependencies: [
                "ReconcilerContainers", "ReconcilerCore",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcoming
        ),
        // The project's own promises: every program it starts comes from an installed package.
        .testTarget(name: "ProjectTests", dependencies: ["ReconcilerTesting"], swiftSettings: upcoming),
        // Real systemd hosts booted by scripts/testbed; see Tests/EndToEndTests/Testbed.swift.
        .testTarget(name: "EndToEndTests", dependencies: ["ReconcilerTesting"], swiftSettings: upcoming),
    ],
    swiftLanguageModes: [.v6]
)
