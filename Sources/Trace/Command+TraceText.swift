/// The command words of the text form, which must read back as the same command.
///
/// ``Command/description`` prints keys and tokens as they are, so a key with a space or a quote would split into
/// the wrong words. The text form renders every key, lease key, token and value as one word with
/// ``CacheValue/render(_:)``: for keys and tokens of printable ASCII without spaces, `"` or `\` (every key and
/// token the simulator and the model use) that is ``Command/description`` exactly. A lease key that needs quoting
/// is quoted whole: `"lease:a b"`.
extension Command {
    /// The command as the words of a text-form line (see the extension's comment).
    public var traceText: String {
        switch self {
        case .get(let key):
            return "GET " + TraceWord.render(key)
        case .acquire(let key, let token, let ttlMilliseconds):
            return "SET \(TraceWord.render(Command.leaseKey(of: key))) \(TraceWord.render(token.text)) "
                + "PX \(ttlMilliseconds) NX"
        case .set(let key, let value, let ttlSeconds):
            return "SET \(TraceWord.render(key)) \(value) EX \(ttlSeconds)"
        case .delete(let key):
            return "DEL " + TraceWord.render(key)
        case .release(let key, let token):
            return "EVAL release \(TraceWord.render(Command.leaseKey(of: key))) \(TraceWord.render(token.text))"
        case .fencedWrite(let key, let value, let token, let ttlSeconds):
            return "EVAL fenced-write \(TraceWord.render(key)) \(TraceWord.render(Command.leaseKey(of: key))) "
                + "\(value) \(TraceWord.render(token.text)) \(ttlSeconds)"
        }
    }
}
