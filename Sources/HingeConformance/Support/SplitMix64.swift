/// SplitMix64 (Steele, Lea, Flood 2014): a small, fast, seedable generator.
///
/// The package's one copy: the fuzzer draws its cases with it (each case its own
/// stream from `(seed, index)`, so a case can be reproduced alone, whatever
/// `--cases` was) and the tests their deterministic bit patterns.
package struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    /// The generator whose state starts at `seed`.
    package init(seed: UInt64) { self.state = seed }

    /// Stream `index` of `seed`: the first output of `seed`'s generator mixed with the index.
    package init(seed: UInt64, index: Int) {
        var mixer = SplitMix64(seed: seed)
        let base = mixer.next()
        self.state = base ^ (UInt64(truncatingIfNeeded: index) &* 0xD1B5_4A32_D192_ED03)
        _ = next()
    }

    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `true` with probability `p`.
    package mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }

    /// A uniform index in `0..<count`.
    package mutating func index(_ count: Int) -> Int { Int.random(in: 0..<count, using: &self) }

    /// A uniform element of a non-empty array.
    package mutating func pick<T>(_ items: [T]) -> T { items[index(items.count)] }
}
