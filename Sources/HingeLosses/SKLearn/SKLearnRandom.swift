/// The random numbers scikit-learn's LIBLINEAR draws, reproduced exactly.
///
/// Two stages (scikit-learn 1.9.1, `svm/_base.py` `_fit_liblinear` and
/// `svm/src/newrand/newrand.h`):
///
/// 1. **Seed.** `seed = check_random_state(random_state).randint(np.iinfo('i').max)`.
///    For an integer `random_state` NumPy's legacy `RandomState` seeds MT19937
///    with `init_genrand(random_state)` and draws a bounded integer in
///    `[0, 2³¹ − 1)` by masked rejection: the first 32-bit output `& 0x7FFFFFFF`,
///    redrawn while it equals `0x7FFFFFFF`.
/// 2. **Shuffles.** `set_seed(seed)` seeds the C++ `std::mt19937` once per fit
///    (one stream for every one-vs-rest sub-problem), and every Fisher–Yates
///    step draws `bounded_rand_int(range)`: Lemire's multiply-shift with the
///    "tweaked" rejection threshold of PR #13511.
public struct LiblinearRandom: Sendable {
    private var generator: MT19937

    /// A generator seeded with the `seed` LIBLINEAR receives (already derived; see ``seed(randomState:)``).
    public init(seed: UInt32) {
        generator = MT19937(seed: seed)
    }

    /// A generator seeded as `LinearSVC(random_state: randomState)` seeds it.
    public init(randomState: UInt32) {
        self.init(seed: LiblinearRandom.seed(randomState: randomState))
    }

    /// The value scikit-learn passes to `set_seed`: NumPy's
    /// `RandomState(randomState).randint(2147483647)`.
    public static func seed(randomState: UInt32) -> UInt32 {
        var numpy = MT19937(seed: randomState)
        while true {
            let value = numpy.next() & 0x7FFF_FFFF
            // Masked rejection: values above the range 0...2147483646 are redrawn.
            if value != 0x7FFF_FFFF { return value }
        }
    }

    /// The next raw 32-bit output of the underlying `std::mt19937`.
    public mutating func nextUInt32() -> UInt32 { generator.next() }

    /// `bounded_rand_int(range)`: a value in `0..<range` (Lemire 2019, with
    /// the threshold computed lazily as in `newrand.h`). `range` must be ≥ 1.
    public mutating func bounded(_ range: UInt32) -> UInt32 {
        var x = generator.next()
        var m = UInt64(x) &* UInt64(range)
        var low = UInt32(truncatingIfNeeded: m)
        if low < range {
            var t = 0 &- range
            if t >= range {
                t -= range
                if t >= range { t %= range }
            }
            while low < t {
                x = generator.next()
                m = UInt64(x) &* UInt64(range)
                low = UInt32(truncatingIfNeeded: m)
            }
        }
        return UInt32(truncatingIfNeeded: m >> 32)
    }

    /// One pass of LIBLINEAR's forward Fisher–Yates over `index[0..<active]`:
    /// `for i in 0..<active { j = i + bounded(active − i); swap(index[i], index[j]) }`.
    /// The rest of `index` is untouched (the solvers keep shrunk entries there).
    /// `active` is clamped to `0...index.count`.
    public mutating func shuffle(_ index: inout [Int], active: Int) {
        let active = min(max(active, 0), index.count)
        index.withUnsafeMutableBufferPointer { shuffle($0, active: active) }
    }

    /// ``shuffle(_:active:)`` on a buffer; `active` must not exceed its count.
    mutating func shuffle(_ index: UnsafeMutableBufferPointer<Int>, active: Int) {
        for i in 0..<active {
            let j = i + Int(bounded(UInt32(truncatingIfNeeded: active - i)))
            index.swapAt(i, j)
        }
    }
}
