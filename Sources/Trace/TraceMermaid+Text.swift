// MARK: - Mermaid text and participant names

extension TraceMermaid {
    /// Text made safe for a Mermaid message, note, alias or title.
    ///
    /// Mermaid ends a statement at `;` and a message at `#` (a comment), and reads `#<code>;` as a character
    /// entity; so `;`, `#`, `"`, `%` (directives), `<` and `&` (read as HTML), and the characters that start
    /// the placeholders Mermaid itself puts in for entities (`ﬂ°°`, `ﬂ°`, `¶ß`) become `#<code>;` entities, and
    /// control characters and line breaks become spaces. Colons stay as they are (keys read `lease:user:1`):
    /// Mermaid takes a message's text from its first colon to the end of the line. The exception is
    /// `colons: true` (``needsColonEscapes(line:text:)``), where a colon would be read as more than a colon.
    static func escaped(_ text: String, colons: Bool = false) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case ";", "#", "\"", "%", "<", "&", "\u{FB02}", "\u{B6}":
                result += "#\(scalar.value);"
            case ":" where colons:
                result += "#58;"
            case "\u{00}"..."\u{1F}", "\u{7F}", "\u{85}", "\u{2028}", "\u{2029}":
                result += " "
            default:
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Whether the colons of a line's text must become entities: when the line holds `style` or `classDef`,
    /// Mermaid's entity preprocessing (`/style.*:\S*#.*;/`) would eat the `;` of an entity after a colon; and
    /// when the text starts `wrap:`, `nowrap:` or `:`, Mermaid would take that for a wrapping directive and drop
    /// it (a bulk reply `wrap:x` would show as `x`).
    static func needsColonEscapes(line: String, text: String) -> Bool {
        line.contains("style") || line.contains("classDef") || text.hasPrefix(":") || text.hasPrefix("wrap:")
            || text.hasPrefix("nowrap:")
    }

    /// Words Mermaid's sequence-diagram lexer reads as keywords (case-insensitively) wherever an actor may stand.
    private static let keywords: Set<String> = [
        "accdescr", "acctitle", "activate", "actor", "alt", "and", "as", "autonumber", "box", "break", "create",
        "critical", "deactivate", "destroy", "details", "else", "end", "left", "link", "links", "loop", "note",
        "off", "opt", "option", "over", "par", "par_over", "participant", "properties", "rect", "right",
        "sequencediagram", "title",
    ]

    /// Whether a writer's name can be its participant id as it stands: a letter, then letters, digits or `_`, and
    /// not a Mermaid keyword. Other names get an id `writer_<n>` and appear through an alias.
    static func isPlainIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic else { return false }
        let allowed = name.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_")
        }
        return allowed && !keywords.contains(name.lowercased())
    }
}
