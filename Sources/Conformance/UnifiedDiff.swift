/// A unified diff of two texts, line by line, as `diff -u` prints it: what a reviewer reads when a golden trace
/// changes.
public enum UnifiedDiff {
    /// The most lines either side may have; longer texts get a one-line summary instead of a diff (STYLE 10).
    public static let linesMaximum = 20_000

    /// The diff of `old` against `new`, or nil when they are equal.
    public static func diff(
        old: String, new: String, oldName: String, newName: String, context: Int = 3
    ) -> String? {
        guard old != new else { return nil }
        let a = lines(old)
        let b = lines(new)
        guard a.count <= linesMaximum, b.count <= linesMaximum else {
            return "--- \(oldName)\n+++ \(newName)\n(\(a.count) and \(b.count) lines: too long to diff here)\n"
        }
        let script = editScript(a, b)
        return render(script, a: a, b: b, oldName: oldName, newName: newName, context: context)
    }

    private static func lines(_ text: String) -> [Substring] {
        var result = text.split(separator: "\n", omittingEmptySubsequences: false)
        if result.last == "" { result.removeLast() }
        return result
    }

    /// One step of the edit script.
    private enum Edit: Equatable {
        /// The line is in both: index in a, index in b.
        case keep(Int, Int)
        /// The line of a is removed.
        case remove(Int)
        /// The line of b is added.
        case add(Int)
    }

    /// A shortest edit script by longest common subsequence, after trimming the common head and tail.
    private static func editScript(_ a: [Substring], _ b: [Substring]) -> [Edit] {
        var head = 0
        while head < a.count, head < b.count, a[head] == b[head] { head += 1 }
        var tail = 0
        while tail < a.count - head, tail < b.count - head, a[a.count - 1 - tail] == b[b.count - 1 - tail] {
            tail += 1
        }
        let middleA = Array(a[head..<(a.count - tail)])
        let middleB = Array(b[head..<(b.count - tail)])
        let n = middleA.count
        let m = middleB.count
        // lengths[i][j]: LCS of middleA[i...] and middleB[j...], in one flat array.
        var lengths = [Int32](repeating: 0, count: (n + 1) * (m + 1))
        if n > 0 && m > 0 {
            for i in stride(from: n - 1, through: 0, by: -1) {
                for j in stride(from: m - 1, through: 0, by: -1) {
                    lengths[i * (m + 1) + j] =
                        middleA[i] == middleB[j]
                        ? lengths[(i + 1) * (m + 1) + j + 1] + 1
                        : max(lengths[(i + 1) * (m + 1) + j], lengths[i * (m + 1) + j + 1])
                }
            }
        }
        var script: [Edit] = (0..<head).map { .keep($0, $0) }
        var i = 0
        var j = 0
        while i < n || j < m {
            if i < n, j < m, middleA[i] == middleB[j] {
                script.append(.keep(head + i, head + j))
                i += 1
                j += 1
            } else if i < n && (j == m || lengths[(i + 1) * (m + 1) + j] >= lengths[i * (m + 1) + j + 1]) {
                script.append(.remove(head + i))  // removals before additions, as diff -u prints them
                i += 1
            } else {
                script.append(.add(head + j))
                j += 1
            }
        }
        for offset in 0..<tail {
            script.append(.keep(a.count - tail + offset, b.count - tail + offset))
        }
        return script
    }

    private static func render(
        _ script: [Edit], a: [Substring], b: [Substring], oldName: String, newName: String, context: Int
    ) -> String {
        // The old and new line numbers (0-based) at each step of the script, before the step.
        var oldAt: [Int] = []
        var newAt: [Int] = []
        var oldLine = 0
        var newLine = 0
        for edit in script {
            oldAt.append(oldLine)
            newAt.append(newLine)
            switch edit {
            case .keep: oldLine += 1; newLine += 1
            case .remove: oldLine += 1
            case .add: newLine += 1
            }
        }
        let changed = script.indices.filter {
            if case .keep = script[$0] { return false }
            return true
        }
        var output = "--- \(oldName)\n+++ \(newName)\n"
        var index = 0
        while index < changed.count {
            // A hunk runs on while the next change is within two contexts of the last one.
            var last = index
            while last + 1 < changed.count, changed[last + 1] - changed[last] <= 2 * context {
                last += 1
            }
            let from = max(changed[index] - context, 0)
            let to = min(changed[last] + context, script.count - 1)
            var oldCount = 0
            var newCount = 0
            var body = ""
            for position in from...to {
                switch script[position] {
                case .keep(let i, _):
                    oldCount += 1
                    newCount += 1
                    body += " \(a[i])\n"
                case .remove(let i):
                    oldCount += 1
                    body += "-\(a[i])\n"
                case .add(let j):
                    newCount += 1
                    body += "+\(b[j])\n"
                }
            }
            // diff -u numbers lines from 1, and names the line before an empty side.
            let oldStart = oldCount == 0 ? oldAt[from] : oldAt[from] + 1
            let newStart = newCount == 0 ? newAt[from] : newAt[from] + 1
            output += "@@ -\(oldStart),\(oldCount) +\(newStart),\(newCount) @@\n" + body
            index = last + 1
        }
        return output
    }
}
