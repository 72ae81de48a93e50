import Conformance
import Testing

// The unified diff is checked by applying it: patching the old text with it must give the new text, and its
// hunk headers must count what they hold.

/// Applies a unified diff to `old`, checking every context and removed line and every hunk header.
private func apply(_ diff: String, to old: String) throws -> String {
    let oldLines =
        old.isEmpty ? [] : Array(old.split(separator: "\n", omittingEmptySubsequences: false).dropLast(old.hasSuffix("\n") ? 1 : 0))
    var result: [Substring] = []
    var cursor = 0
    var lines = diff.split(separator: "\n", omittingEmptySubsequences: false)
    if lines.last == "" { lines.removeLast() }
    var index = 2  // after --- and +++
    while index < lines.count {
        let header = lines[index]
        guard header.hasPrefix("@@ -") else { throw PatchError(line: String(header)) }
        let parts = header.split(separator: " ")
        let oldPart = parts[1].dropFirst().split(separator: ",")
        let newPart = parts[2].dropFirst().split(separator: ",")
        let oldStart = Int(oldPart[0])!
        let oldCount = Int(oldPart[1])!
        let newCount = Int(newPart[1])!
        let start = oldCount == 0 ? oldStart : oldStart - 1
        while cursor < start {
            result.append(oldLines[cursor])
            cursor += 1
        }
        index += 1
        var seenOld = 0
        var seenNew = 0
        while index < lines.count, !lines[index].hasPrefix("@@") {
            let line = lines[index]
            let text = line.dropFirst()
            switch line.first {
            case " ":
                guard oldLines[cursor] == text else { throw PatchError(line: String(line)) }
                result.append(text)
                cursor += 1
                seenOld += 1
                seenNew += 1
            case "-":
                guard oldLines[cursor] == text else { throw PatchError(line: String(line)) }
                cursor += 1
                seenOld += 1
            case "+":
                result.append(text)
                seenNew += 1
            default:
                throw PatchError(line: String(line))
            }
            index += 1
        }
        guard seenOld == oldCount, seenNew == newCount else { throw PatchError(line: String(header)) }
    }
    while cursor < oldLines.count {
        result.append(oldLines[cursor])
        cursor += 1
    }
    return result.map { $0 + "\n" }.joined()
}

private struct PatchError: Error {
    var line: String
}

@Test("equal texts have no diff")
func equalTexts() {
    #expect(UnifiedDiff.diff(old: "a\nb\n", new: "a\nb\n", oldName: "x", newName: "y") == nil)
}

@Test("a one-line change shows as one hunk with context")
func oneLineChange() throws {
    let old = (1...10).map { "line \($0)\n" }.joined()
    let new = old.replacingOccurrences(of: "line 5\n", with: "line five\n")
    let diff = try #require(UnifiedDiff.diff(old: old, new: new, oldName: "golden", newName: "now"))
    #expect(
        diff == """
            --- golden
            +++ now
            @@ -2,7 +2,7 @@
             line 2
             line 3
             line 4
            -line 5
            +line five
             line 6
             line 7
             line 8

            """)
}

@Test("applying the diff to the old text gives the new text, over thousands of random edits")
func randomEditsRoundTrip() throws {
    var state: UInt64 = 12_345
    func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
    for iteration in 0..<2_000 {
        let old = (0..<next(30)).map { _ in "l\(next(6))\n" }
        var new = old
        for _ in 0..<next(6) {
            switch next(3) {
            case 0 where !new.isEmpty: new.remove(at: next(new.count))
            case 1: new.insert("n\(next(6))\n", at: next(new.count + 1))
            default: if !new.isEmpty { new[next(new.count)] = "c\(next(6))\n" }
            }
        }
        let oldText = old.joined()
        let newText = new.joined()
        guard let diff = UnifiedDiff.diff(old: oldText, new: newText, oldName: "a", newName: "b") else {
            #expect(oldText == newText, "iteration \(iteration)")
            continue
        }
        let patched = try apply(diff, to: oldText)
        #expect(patched == newText, "iteration \(iteration): old \(oldText.debugDescription) new \(newText.debugDescription) patched \(patched.debugDescription)\n\(diff)")
    }
}
