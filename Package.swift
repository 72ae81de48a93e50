// swift-tools-version: 6.1
//
// leaselab: the #4821 cache-eviction lease protocol held three ways (a formal model, the production module, and
// the Redis it runs on), checked to agree trace for trace. See README.md and ../shared/DESIGN.md.
//
// Layers point inward: Trace is the shared vocabulary; LeaseCore is the pure production protocol; RedisClient is
// the only importer of CHiredis; LeaseCache drives LeaseCore over RedisClient. The model never imports the
// implementation and the implementation never imports the model.

import PackageDescription

let package = Package(
    name: "leaselab",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "leaselab", targets: ["leaselab"]),
        .library(name: "LeaseCache", targets: ["LeaseCache"]),
        .library(name: "LeaseCore", targets: ["LeaseCore"]),
        .library(name: "Trace", targets: ["Trace"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
    ],
    targets: [
        // System libraries. No `pkgConfig:`: hiredis's pkg-config file adds -D_FILE_OFFSET_BITS=64, which SwiftPM
        // rejects with a warning on every build; the headers live in /usr/include either way, and the project's
        // scripts install the -dev packages themselves, so the pkg-config install hint would add nothing.
        .systemLibrary(name: "CHiredis", path: "Sources/CHiredis"),
        .systemLibrary(name: "CYAML", path: "Sources/CYAML"),
        // A header only: the prefetch hints of the explorer's visited set and of LeaseCache's waiting calls (no library
        // to link).
        .systemLibrary(name: "CPrefetch", path: "Sources/CPrefetch"),

        // The shared vocabulary: commands, replies, outcomes, knobs, presets, property names.
        .target(name: "Trace"),

        // Scenario values, and their YAML loading on libyaml (the only importer of CYAML).
        .target(name: "Scenario", dependencies: ["Trace", "CYAML"]),

        // The formal model: states, actions, named properties, and the explorer. Imports Trace and Scenario only,
        // never the implementation (DESIGN.md rule 1); CPrefetch is a compiler hint, not code.
        .target(name: "LeaseModel", dependencies: ["Trace", "Scenario", "CPrefetch"], path: "models"),

        // The production protocol as a sans-I/O state machine.
        .target(name: "LeaseCore", dependencies: ["Trace"]),

        // The hiredis wrapper, and a private redis-server for tests and demos.
        .target(name: "RedisClient", dependencies: ["CHiredis"]),

        // A real server's history: MONITOR lines decoded into the protocol's commands and replayed through the
        // simulated Redis for the replies and expiries MONITOR does not show.
        .target(name: "RealRedis", dependencies: ["RedisClient", "LeaseCore", "Simulator", "Trace"]),

        // The production API: LeaseCore over a pool of RedisClient connections and a real origin.
        .target(
            name: "LeaseCache",
            dependencies: [
                "LeaseCore", "RedisClient", "Trace", "CPrefetch",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),

        // The deterministic discrete-event simulator: LeaseCore against a simulated Redis, network and origin.
        .target(
            name: "Simulator",
            dependencies: ["LeaseCore", "Scenario", "Trace"]
        ),

        // Conformance: the model's verdicts against `expect:`, golden traces; traces replayed on the model and
        // model paths on the simulator next. The one place that sees both the model and the implementation.
        .target(name: "Conformance", dependencies: ["LeaseModel", "Scenario", "Simulator", "Trace"]),

        // Simulated against real Redis: the same random command sequences sent to both, every reply compared.
        .target(name: "RedisDiff", dependencies: ["RedisClient", "Simulator", "Trace", "LeaseCore", "LeaseCache"]),

        // `leaselab stress`: #4821's race test at scale against a real Redis, its MONITOR history checked for the
        // protocol's properties.
        .target(
            name: "Stress",
            dependencies: [
                "LeaseCache", "LeaseCore", "RealRedis", "RedisClient", "Scenario", "Trace",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // `leaselab redis`: a scenario run in real time through LeaseCache against a real Redis, its MONITOR
        // history replayed (RealRedis) and its trace validated on the model (Conformance).
        .target(
            name: "RedisRun",
            dependencies: [
                "Conformance", "LeaseCache", "LeaseCore", "LeaseModel", "RealRedis", "RedisClient", "Scenario",
                "Simulator", "Trace", .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // The command line.
        .executableTarget(
            name: "leaselab",
            dependencies: [
                "Conformance", "LeaseCache", "LeaseCore", "LeaseModel", "RedisClient", "RedisDiff", "RedisRun",
                "Scenario", "Simulator", "Stress", "Trace",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),

        .testTarget(name: "TraceTests", dependencies: ["Trace"]),
        .testTarget(
            name: "RedisRunTests",
            dependencies: ["RedisRun", "RedisClient", "Scenario", "Trace", "LeaseCache", "LeaseCore"]),
        // Runs the built `leaselab` binary as a child process (the tests build it first: see scripts/test).
        .testTarget(name: "CLITests", dependencies: ["Scenario", "Simulator", "Trace"]),
        .testTarget(name: "ScenarioTests", dependencies: ["Scenario", "Trace"]),
        .testTarget(name: "LeaseModelTests", dependencies: ["LeaseModel", "Scenario", "Trace"]),
        .testTarget(name: "LeaseCoreTests", dependencies: ["LeaseCore", "Trace"]),
        .testTarget(name: "RedisClientTests", dependencies: ["RedisClient"]),
        .testTarget(name: "RealRedisTests", dependencies: ["RealRedis", "RedisClient", "LeaseCore", "Simulator", "Trace"]),
        .testTarget(name: "RedisDiffTests", dependencies: ["RedisDiff", "RedisClient", "Simulator", "Trace"]),
        .testTarget(
            name: "ConformanceTests", dependencies: ["Conformance", "LeaseModel", "Scenario", "Simulator", "Trace"]),
        .testTarget(name: "StressTests", dependencies: ["Stress", "LeaseCache", "RealRedis", "RedisClient", "Trace"]),
        .testTarget(name: "SimulatorTests", dependencies: ["Simulator", "LeaseCore", "Scenario", "Trace"]),
        .testTarget(
            name: "LeaseCacheTests",
            dependencies: [
                "LeaseCache", "LeaseCore", "RedisClient", "RedisRun", "Trace",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
