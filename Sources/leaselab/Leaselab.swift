import ArgumentParser

/// The command line: one root command with a subcommand per job (STYLE 14).
@main
struct Leaselab: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leaselab",
        abstract: "Check the #4821 cache-eviction lease protocol: model, production module, and real Redis.",
        discussion: """
            leaselab holds the evictAndReload lease protocol of code review #4821 three ways (a formal model, a \
            production implementation, and the Redis it runs on) and checks that they agree.
            """,
        subcommands: [
            Check.self, Run.self, Explore.self, RedisCommand.self, StressCommand.self, DiffRedis.self, Demo.self,
            Bench.self,
        ]
    )
}
