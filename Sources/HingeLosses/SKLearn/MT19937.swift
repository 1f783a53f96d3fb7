/// The 32-bit Mersenne Twister MT19937 (Matsumoto & Nishimura 1998), the
/// generator behind both NumPy's legacy `RandomState` and C++'s `std::mt19937`.
///
/// scikit-learn's LIBLINEAR uses it twice: NumPy's `RandomState(random_state)`
/// draws the seed, and the C++ `std::mt19937` seeded with that value drives
/// the shuffles of the solvers (`svm/src/newrand/newrand.h`). Both use the
/// standard `init_genrand` seeding and the standard tempering, so one
/// implementation serves both.
///
/// Defining property (C++11 [rand.predef]): the 10000th output of a
/// generator seeded with the default seed 5489 is 4123659995.
package struct MT19937: Sendable, Hashable {
    /// `std::mt19937::default_seed`.
    package static let defaultSeed: UInt32 = 5489

    private static let n = 624
    private static let m = 397
    private static let matrixA: UInt32 = 0x9908_B0DF
    private static let upperMask: UInt32 = 0x8000_0000
    private static let lowerMask: UInt32 = 0x7FFF_FFFF

    private var state: [UInt32]
    private var position: Int

    /// Seeds like `init_genrand`: `x₀ = seed`, `xᵢ = 1812433253·(xᵢ₋₁ ⊕ (xᵢ₋₁ ≫ 30)) + i` (mod 2³²).
    package init(seed: UInt32 = MT19937.defaultSeed) {
        var state = [UInt32](repeating: 0, count: MT19937.n)
        state[0] = seed
        for i in 1..<MT19937.n {
            let previous = state[i - 1]
            state[i] = 1_812_433_253 &* (previous ^ (previous >> 30)) &+ UInt32(i)
        }
        self.state = state
        self.position = MT19937.n
    }

    /// The next 32-bit output (`genrand_int32`, `std::mt19937::operator()`).
    package mutating func next() -> UInt32 {
        if position >= MT19937.n { twist() }
        var y = state[position]
        position += 1
        // Tempering.
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        y ^= y >> 18
        return y
    }

    /// Regenerates the 624 words of state in place.
    private mutating func twist() {
        let n = MT19937.n
        let m = MT19937.m
        for k in 0..<n {
            let y = (state[k] & MT19937.upperMask) | (state[(k + 1) % n] & MT19937.lowerMask)
            let mag: UInt32 = (y & 1) == 0 ? 0 : MT19937.matrixA
            state[k] = state[(k + m) % n] ^ (y >> 1) ^ mag
        }
        position = 0
    }
}
