import HingeConformance

/// Seeded canonical problems of a family, every ``CanonicalProblem/Kind`` in float32
/// and float64.
///
/// Values are multiples of powers of two, so every input is exact in both types and
/// the kinks are hit, or missed, by construction: a regular draw puts scores at
/// `k/4 + j/64` with `j` fixed per array or class, so no margin lands on a kink and no
/// two scores tie; a kink draw takes scores from `{−2, −1.5, …, 2}`, so margins of 0
/// and ±1 and tied scores are common.
public enum CanonicalDraws {
    /// `perKind` problems of each kind and dtype, the same for a given seed.
    public static func problems(_ family: LossFamily, perKind: Int, seed: UInt64) -> [CanonicalProblem] {
        var problems: [CanonicalProblem] = []
        for (k, kind) in CanonicalProblem.Kind.allCases.enumerated() {
            for dtype in [DType.float32, .float64] {
                for i in 0..<perKind {
                    var random = SplitMix64(seed: seed, index: (k * 2 + (dtype == .float32 ? 0 : 1)) * 1_000_003 + i)
                    problems.append(draw(family, kind, dtype, &random))
                }
            }
        }
        return problems
    }

    static func draw(_ family: LossFamily, _ kind: CanonicalProblem.Kind, _ dtype: DType, _ random: inout SplitMix64)
        -> CanonicalProblem
    {
        let count = kind == .empty ? 0 : 1 + random.index(6)
        let width =
            switch family {
            case .multiclass: 2 + random.index(4)
            case .triplet: 1 + random.index(3)
            default: 1
            }
        let perSample = family == .multiclass || family == .triplet ? width : 1
        var arrays = NamedArrays()
        var flat: [[Double]] = []
        for (a, _) in family.arrayNames.enumerated() {
            var values: [Double] = []
            for e in 0..<(count * perSample) {
                if kind == .kink {
                    values.append(Double(random.index(9) - 4) / 2)
                } else {
                    // The offset differs per array (ranking: x1 − x2 is never a multiple of 1/4)
                    // and per class (multiclass: no ties, no margin of exactly 0).
                    let j = family == .multiclass ? e % width + 1 : a + 1
                    values.append(Double(random.index(25) - 12) / 4 + Double(j) / 64)
                }
            }
            flat.append(values)
        }
        if (kind == .nan || kind == .inf), !flat[0].isEmpty {
            let at = random.index(flat[0].count)
            flat[0][at] = kind == .nan ? .nan : (random.chance(0.5) ? .infinity : -.infinity)
        }
        let shape = perSample == 1 && family != .multiclass && family != .triplet ? [count] : [count, width]
        for (name, values) in zip(family.arrayNames, flat) {
            // Cannot fail: the shape holds count × perSample values by construction.
            arrays[name] = try? CanonicalProblem.array(values, dtype: dtype, shape: shape)
        }
        let labels: [Int] =
            switch family {
            case .multiclass: (0..<count).map { _ in random.index(width) }
            case .triplet: []
            default: (0..<count).map { _ in random.chance(0.5) ? 1 : -1 }
            }
        return CanonicalProblem(
            family: family, kind: kind, dtype: dtype, arrays: arrays, labels: labels, count: count, width: width)
    }
}
