import Foundation

/// The package's root, from this file's path.
let packageRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

/// The `leaselab` binary built beside this test bundle.
let leaselabPath: String = {
    let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    return bundle.deletingLastPathComponent().appendingPathComponent("leaselab").path
}()

/// What a child process printed and how it ended.
struct ChildResult {
    var status: Int32
    var standardOutput: Data
    var standardError: String
}

/// Runs `leaselab` with `arguments` in a child process, from the package root.
func runLeaselab(_ arguments: [String]) throws -> ChildResult {
    guard FileManager.default.isExecutableFile(atPath: leaselabPath) else {
        throw CLITestError(description: "no leaselab binary at \(leaselabPath); build it first: swift build --build-tests")
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: leaselabPath)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: packageRoot)
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    // Read both pipes to their ends before waiting, so a full pipe cannot stall the child.
    let errorData = ReadBox()
    let reader = Thread { errorData.data = errors.fileHandleForReading.readDataToEndOfFile() }
    reader.start()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    while !errorData.done { usleep(1_000) }
    return ChildResult(
        status: process.terminationStatus, standardOutput: data,
        standardError: String(decoding: errorData.data, as: UTF8.self))
}

/// Standard error, read on a thread of its own.
final class ReadBox: @unchecked Sendable {
    // @unchecked: written once by the reader thread, read after `done`.
    private let lock = NSLock()
    private var stored = Data()
    private var finished = false

    var data: Data {
        get { lock.lock(); defer { lock.unlock() }; return stored }
        set { lock.lock(); stored = newValue; finished = true; lock.unlock() }
    }

    var done: Bool {
        lock.lock()
        defer { lock.unlock() }
        return finished
    }
}

struct CLITestError: Error, CustomStringConvertible {
    var description: String
}
