#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a scenario file's bytes, at most one past a limit, through one checked wrapper of the C calls.
///
/// Only regular files are opened: a FIFO would block `open` and a device such as `/dev/zero` never ends, and
/// a scenario loader must not hang. Reading stops one byte past the limit, so a huge file is refused without
/// being read whole.
enum FileBytes {
    /// Why a file could not be read: a message in "what is wrong; what would be right" form.
    struct Failure: Error {
        var message: String
    }

    static func contents(path: String, maximumBytes: Int) -> Result<[UInt8], Failure> {
        var info = stat()
        if let failure = checked(stat(path, &info), "cannot read the file") { return .failure(failure) }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            return .failure(Failure(message: "not a regular file; give the path of a scenario .yaml file"))
        }
        let descriptor = open(path, O_RDONLY)
        if let failure = checked(descriptor, "cannot open the file") { return .failure(failure) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while bytes.count <= maximumBytes {
            let wanted = min(chunk.count, maximumBytes + 1 - bytes.count)
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, wanted) }
            if count < 0 && errno == EINTR { continue }
            if let failure = checked(Int32(clamping: count), "cannot read the file") { return .failure(failure) }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return .success(bytes)
    }

    /// The one wrapper every C return code goes through (STYLE.md 8): -1 becomes a failure with `strerror`.
    private static func checked(_ result: Int32, _ what: String) -> Failure? {
        guard result == -1 else { return nil }
        let reason = String(cString: strerror(errno))
        return Failure(message: "\(what) (\(reason)); check the path and its permissions")
    }
}
