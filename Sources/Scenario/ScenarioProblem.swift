/// One mistake in a scenario file, with where it is.
///
/// Its ``description`` is the line the user sees: `file:line:column: what is wrong; what would be right`.
public struct ScenarioProblem: Hashable, Sendable, CustomStringConvertible {
    /// The file, as given to the loader.
    public var path: String
    /// The line, from 1.
    public var line: Int
    /// The column, from 1, in characters.
    public var column: Int
    /// What is wrong, then `; ` and what would be right.
    public var message: String
    /// What sort of mistake this is, for callers that act on it (tests, tools); the message is for people.
    public var kind: Kind

    public init(path: String, line: Int, column: Int, message: String, kind: Kind) {
        self.path = path
        self.line = line
        self.column = column
        self.message = message
        self.kind = kind
    }

    /// `file:line:column: message`.
    public var description: String {
        "\(path):\(line):\(column): \(message)"
    }

    /// The sorts of mistake. A struct wrapping a private enum (STYLE.md 8), so sorts can be added without
    /// breaking callers' switches.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case unreadable, notText, tooLarge, malformedYAML, unsupportedYAML, tooDeep
            case unknownKey, duplicateKey, missingKey, typeMismatch, invalidValue, unknownName, outOfRange
            case incoherentVariant, limitExceeded, tooManyProblems
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// The file could not be opened or read.
        public static let unreadable = Kind(.unreadable)
        /// The file is not UTF-8 text (NUL bytes, invalid UTF-8, control characters).
        public static let notText = Kind(.notText)
        /// The file is larger than ``ScenarioLimits/maximumFileBytes``.
        public static let tooLarge = Kind(.tooLarge)
        /// libyaml could not parse the file, or it holds no document, or more than one.
        public static let malformedYAML = Kind(.malformedYAML)
        /// YAML the loader refuses on purpose: anchors, aliases, tags, complex keys.
        public static let unsupportedYAML = Kind(.unsupportedYAML)
        /// Nesting deeper than ``ScenarioLimits/maximumDepth``, or more nodes than ``ScenarioLimits/maximumNodes``.
        public static let tooDeep = Kind(.tooDeep)
        /// A mapping key the scenario format does not know.
        public static let unknownKey = Kind(.unknownKey)
        /// A key given twice in one mapping.
        public static let duplicateKey = Kind(.duplicateKey)
        /// A required key is absent.
        public static let missingKey = Kind(.missingKey)
        /// A value of the wrong shape: a sequence where a mapping belongs, text where an integer belongs.
        public static let typeMismatch = Kind(.typeMismatch)
        /// A value of the right shape that means nothing valid: a duration without a unit, a negative time.
        public static let invalidValue = Kind(.invalidValue)
        /// A name that refers to nothing: an unknown worker, cache key, preset, property, protocol, knob value.
        public static let unknownName = Kind(.unknownName)
        /// An `explore:` value outside the range it explores, or a call or version that does not exist.
        public static let outOfRange = Kind(.outOfRange)
        /// A protocol variant whose knobs contradict each other (``Trace/ProtocolVariant/problems``).
        public static let incoherentVariant = Kind(.incoherentVariant)
        /// More workers, calls, faults, seeds... than ``ScenarioLimits`` allows.
        public static let limitExceeded = Kind(.limitExceeded)
        /// More problems than ``ScenarioLimits/maximumProblems``: the last line says more follow.
        public static let tooManyProblems = Kind(.tooManyProblems)

        public var description: String {
            base.rawValue
        }
    }
}
