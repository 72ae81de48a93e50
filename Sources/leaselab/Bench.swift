import ArgumentParser

/// `leaselab bench`: the benchmarks that issues name, measured in a release build and reported as ratios to a
/// baseline run in the same process, because the machines here are noisy.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmarks (build with -c release; scripts/leaselab builds that way).",
        subcommands: [BenchCache.self, BenchSimulator.self, BenchExplorer.self, BenchConformance.self]
    )
}
