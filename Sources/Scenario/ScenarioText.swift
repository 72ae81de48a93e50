/// Text helpers for problem messages: quoting what the user wrote, and naming the nearest known word.
enum ScenarioText {
    /// The longest piece of user text echoed in a message, in characters.
    static let maximumQuotedCharacters = 60

    /// `text` in single quotes, safe for a one-line message: control characters escaped, long text cut.
    ///
    /// Messages echo what the file says; a scalar may hold a newline or an escape sequence, and the report
    /// promises one line per problem.
    static func quoted(_ text: String) -> String {
        var result = "'"
        var count = 0
        for scalar in text.unicodeScalars {
            if count == maximumQuotedCharacters {
                result += "..."
                break
            }
            count += 1
            switch scalar {
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (scalar.value >= 0x80 && scalar.value < 0xA0) {
                    result += "\\u{" + String(scalar.value, radix: 16) + "}"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "'"
    }

    /// "did you mean 'x'?" for the nearest candidate when it is close, else the full list of candidates.
    ///
    /// Close means at most a third of the longer word's characters differ (at least 2), so a typo gets a
    /// suggestion and an unrelated word gets the list rather than a random guess. Ties go to the earlier
    /// candidate, so the message is the same on every run.
    static func suggestion(for text: String, among candidates: [String]) -> String {
        if let nearest = nearest(to: text, among: candidates) {
            return "did you mean \(quoted(nearest))?"
        }
        return "expected one of: " + list(candidates)
    }

    /// The candidates as a comma-separated list, cut after twenty.
    static func list(_ candidates: [String]) -> String {
        let shown = candidates.prefix(20).joined(separator: ", ")
        return candidates.count > 20 ? shown + ", ..." : (candidates.isEmpty ? "(none)" : shown)
    }

    /// The closest candidate by Levenshtein distance, if close enough to be a likely typo.
    static func nearest(to text: String, among candidates: [String]) -> String? {
        let word = Array(text.unicodeScalars)
        // A word far longer than every candidate cannot be a typo of one; skip the quadratic work.
        guard word.count <= 200 else { return nil }
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let other = Array(candidate.unicodeScalars)
            let distance = levenshtein(word, other)
            let allowed = max(2, max(word.count, other.count) / 3)
            guard distance <= allowed else { continue }
            if best == nil || distance < best!.distance {
                best = (candidate, distance)
            }
        }
        return best?.candidate
    }

    /// The edit distance (insertions, deletions, substitutions) between two words.
    static func levenshtein(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
