import Trace

/// One entry of a scenario's `protocols:`: a preset as is (`pr-4821`), or a named variant of one
/// (`{slow-lease: {preset: pr-4821, lease-ttl: 3s}}`).
///
/// Every verdict, golden trace and expectation is keyed by ``name``, so two variants of one preset can sit side
/// by side in one scenario (`traces/<scenario>.<name>.trace`).
public struct NamedVariant: Hashable, Sendable {
    /// The preset's own name for a plain preset, else the name the file gives the variant.
    public var name: String
    /// The preset the variant starts from.
    public var preset: Preset
    /// The knobs: the preset's, with the file's overrides applied.
    public var variant: ProtocolVariant

    public init(name: String, preset: Preset, variant: ProtocolVariant) {
        self.name = name
        self.preset = preset
        self.variant = variant
    }

    /// A preset as is, named for itself.
    public init(preset: Preset) {
        self.init(name: preset.rawValue, preset: preset, variant: preset.variant)
    }
}
