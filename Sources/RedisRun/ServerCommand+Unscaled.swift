import RealRedis

extension ServerCommand {
    /// The command with the scaled TTLs the run sent read back as the scenario's.
    func unscaled(_ commands: ScaledCommands) -> ServerCommand {
        if case .protocolCommand(let command) = self { return .protocolCommand(commands.unscaled(command)) }
        return self
    }
}
