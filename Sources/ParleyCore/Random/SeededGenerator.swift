/// A small deterministic random number generator (SplitMix64), so that a bench builds
/// the same data and a test cuts the same chunks on every run.
public struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    /// Mixes `seed` first, so that small seeds (1, 2, 3…) start far apart.
    public init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 }

    /// Starts from `state` as it is.
    public init(state: UInt64) { self.state = state }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
