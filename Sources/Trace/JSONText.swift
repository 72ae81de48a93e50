/// JSON string quoting for reports that write their own JSON (`leaselab check --format json`), the same escaping
/// the JSON Lines trace form uses.
public enum JSONText {
    /// `string` as a JSON string literal, quotes included.
    public static func quoted(_ string: String) -> String {
        var text = ""
        JSONObjectWriter.appendQuoted(string, to: &text)
        return text
    }
}
