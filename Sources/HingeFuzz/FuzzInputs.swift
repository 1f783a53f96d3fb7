import Foundation
import HingeConformance

/// Draws fuzz inputs from a fixture case: same names, dtypes and params, and
/// (mostly) the same shapes, with fresh values that favour the places where
/// implementations differ: exact kinks, ties, ±0, subnormals, NaN and ±inf.
///
/// Only values change: params and dtypes stay the base case's, so each drawn
/// case is a call the framework accepts or rejects like the base case's
/// family. Label-like arrays (float arrays of -1/0/1, integer class indices,
/// booleans, strings) are mostly resampled from the values they already hold.
package enum FuzzInputs {
    /// How the float arrays of one case are redrawn.
    package enum Mode: String, CaseIterable, Sendable {
        /// the base values with one to three elements set to a special value
        case few
        /// multiples of 1/8: exact arithmetic, so margins land on 0 and 1 and values tie
        case grid
        /// values of the base's scale, sometimes many orders of magnitude off
        case random
        /// each element from any of the above, copies of other elements, and IEEE specials
        case mixed
    }

    /// One drawn case: its inputs, and what was done (for the finding's record).
    package struct Draw {
        package var inputs: NamedArrays
        package var mode: Mode
        package var shrunk: Int?
    }

    /// The base case's numeric params (margin, delta, eps, ...): values around
    /// which kinks sit.
    package static func paramValues(_ params: JSONObject) -> [Double] {
        var values: [Double] = []
        for (_, value) in params {
            if let n = value.numberValue?.doubleValue, n.isFinite { values.append(n) }
        }
        return values
    }

    package static func draw(from base: FixtureCase, rng: inout SplitMix64) -> Draw {
        var inputs = base.inputs
        var shrunk: Int?
        if rng.chance(0.08) {
            let extent = rng.chance(0.4) ? 0 : 1
            if let shrinked = shrinkLeadingAxis(inputs, to: extent) {
                inputs = shrinked
                shrunk = extent
            }
        }
        let mode = rng.pick(Mode.allCases)
        let params = paramValues(base.params)
        var kinks: Set<Double> = [0, 1, -1, 0.5, -0.5, 2, -2]
        for p in params {
            for k in [p, -p, 1 - p, p - 1, 1 + p, -1 - p, p / 2] where k.isFinite { kinks.insert(k) }
        }
        let kinkPool = kinks.sorted()
        var result = NamedArrays()
        for (name, array) in inputs {
            result[name] = redraw(array, mode: mode, kinks: kinkPool, params: params, rng: &rng)
        }
        if rng.chance(0.15) { crossCopy(&result, rng: &rng) }
        return Draw(inputs: result, mode: mode, shrunk: shrunk)
    }

    // MARK: - Shapes

    /// Every array whose leading extent equals the first array's keeps only its
    /// first `extent` rows (so labels stay aligned with their scores); `nil`
    /// when there is nothing to shrink.
    package static func shrinkLeadingAxis(_ inputs: NamedArrays, to extent: Int) -> NamedArrays? {
        guard let primary = inputs.first(where: { !$0.value.shape.isEmpty })?.value, primary.shape[0] > extent else {
            return nil
        }
        let leading = primary.shape[0]
        var result = NamedArrays()
        for (name, array) in inputs {
            guard !array.shape.isEmpty, array.shape[0] == leading else {
                result[name] = array
                continue
            }
            let row = array.shape.dropFirst().reduce(1, *)
            let count = row * extent
            var shape = array.shape
            shape[0] = extent
            let storage: FixtureArray.Storage =
                switch array.storage {
                case .float32(let a): .float32(Array(a.prefix(count)))
                case .float64(let a): .float64(Array(a.prefix(count)))
                case .int64(let a): .int64(Array(a.prefix(count)))
                case .bool(let a): .bool(Array(a.prefix(count)))
                case .string(let a): .string(Array(a.prefix(count)))
                }
            guard let shrunk = try? FixtureArray(shape: shape, storage: storage) else { return nil }
            result[name] = shrunk
        }
        return result
    }

    // MARK: - Values

    package static func redraw(_ array: FixtureArray, mode: Mode, kinks: [Double], params: [Double], rng: inout SplitMix64) -> FixtureArray {
        let storage: FixtureArray.Storage
        switch array.storage {
        case .float32(let a):
            let doubles = a.map(Double.init)
            let drawn = isLabelLike(doubles)
                ? redrawLabels(doubles, rng: &rng)
                : redrawFloats(doubles, mode: mode, kinks: kinks, params: params, specials: specials(Float.self), rng: &rng)
            storage = .float32(drawn.map { Float($0) })
        case .float64(let a):
            storage = .float64(
                isLabelLike(a)
                    ? redrawLabels(a, rng: &rng)
                    : redrawFloats(a, mode: mode, kinks: kinks, params: params, specials: specials(Double.self), rng: &rng))
        case .int64(let a): storage = .int64(redrawIntegers(a, rng: &rng))
        case .bool(let a): storage = .bool(rng.chance(0.5) ? a : a.map { _ in rng.chance(0.5) })
        case .string(let a):
            let values = Array(Set(a)).sorted()
            storage = .string(values.isEmpty || rng.chance(0.5) ? a : a.map { _ in rng.pick(values) })
        }
        return (try? FixtureArray(shape: array.shape, storage: storage)) ?? array
    }

    /// Float arrays whose values are all −1, 0 or 1: labels, one-hot rows, signs.
    package static func isLabelLike(_ values: [Double]) -> Bool {
        !values.isEmpty && values.allSatisfy { $0 == -1 || $0 == 0 || $0 == 1 }
    }

    package static func redrawLabels(_ values: [Double], rng: inout SplitMix64) -> [Double] {
        var pool = Set(values)
        if pool.isSubset(of: [-1, 1]) { pool.formUnion([-1, 1]) }
        if pool.isSubset(of: [0, 1]) { pool.formUnion([0, 1]) }
        let choices = pool.sorted()
        var out = rng.chance(0.5) ? values : values.map { _ in rng.pick(choices) }
        if rng.chance(0.1), !out.isEmpty {
            // A label outside the convention: the conversion rules and validation differ most here.
            for _ in 0..<(1 + rng.index(2)) {
                out[rng.index(out.count)] = rng.pick([0.5, 2, -2, 0, -0.0, 1, -1, .nan, .infinity])
            }
        }
        return out
    }

    package static func redrawIntegers(_ values: [Int64], rng: inout SplitMix64) -> [Int64] {
        let present = Array(Set(values)).sorted()
        guard !present.isEmpty else { return values }
        var out = rng.chance(0.5) ? values : values.map { _ in rng.pick(present) }
        if rng.chance(0.05) {
            let low = present.first!, high = present.last!
            out[rng.index(out.count)] = rng.pick([low &- 1, high &+ 1, -1, 0, high &+ 100])
        }
        return out
    }

    /// IEEE values worth trying for a float type, as Doubles that are exact in it.
    package static func specials<F: BinaryFloatingPoint>(_: F.Type) -> [Double] {
        [
            .nan, .infinity, -.infinity, 0, -0.0,
            Double(F.leastNonzeroMagnitude), -Double(F.leastNonzeroMagnitude),
            Double(F.leastNormalMagnitude), Double(F.leastNormalMagnitude.nextDown),
            Double(F.greatestFiniteMagnitude), -Double(F.greatestFiniteMagnitude),
            Double(F(1).nextUp), Double(F(1).nextDown), Double(F(-1).nextUp), Double(F(-1).nextDown),
            Double(F.ulpOfOne),
        ]
    }

    package static func scale(of values: [Double]) -> Double {
        let m = values.lazy.filter(\.isFinite).map(\.magnitude).max() ?? 0
        return m > 0 && m.isFinite ? m : 1
    }

    package static func redrawFloats(
        _ values: [Double], mode: Mode, kinks: [Double], params: [Double], specials: [Double], rng: inout SplitMix64
    ) -> [Double] {
        guard !values.isEmpty, !rng.chance(0.1) else { return values }  // sometimes only the other arrays change
        let s = scale(of: values)
        let gridRadius = Int((min(max(s, 2), 16) * 8).rounded(.up))
        func grid(_ rng: inout SplitMix64) -> Double { Double(Int.random(in: -gridRadius...gridRadius, using: &rng)) / 8 }
        func random(_ rng: inout SplitMix64) -> Double {
            if rng.chance(0.1) {
                // Far from the base's scale: overflow in exp/squares, underflow to subnormals.
                let magnitude = s * pow(10, Double.random(in: -8...8, using: &rng))
                return rng.chance(0.5) ? magnitude : -magnitude
            }
            return Double.random(in: -1.5...1.5, using: &rng) * s
        }
        func special(_ out: [Double], _ i: Int, _ rng: inout SplitMix64) -> Double {
            switch rng.index(3) {
            case 0: return rng.pick(kinks)
            case 1: return rng.pick(specials)
            default:  // a copy of another element, maybe shifted by 1 or a param: ties and exact kinks
                let other = out[rng.index(out.count)]
                let shifts = [0.0, 0, 0, 1, -1] + params + params.map { -$0 }
                return other + rng.pick(shifts)
            }
        }
        var out = values
        switch mode {
        case .few:
            for _ in 0..<(1 + rng.index(3)) {
                let i = rng.index(out.count)
                out[i] = special(out, i, &rng)
            }
        case .grid:
            for i in out.indices { out[i] = rng.chance(0.9) ? grid(&rng) : rng.pick(kinks) }
        case .random:
            for i in out.indices { out[i] = random(&rng) }
        case .mixed:
            for i in out.indices {
                let u = Double.random(in: 0..<1, using: &rng)
                out[i] = u < 0.35 ? random(&rng) : u < 0.65 ? grid(&rng) : special(out, i, &rng)
            }
        }
        return out
    }

    /// Copies one float array's values (all, or some elements) into another of
    /// the same shape and dtype: equal inputs tie rankings and triplets.
    package static func crossCopy(_ inputs: inout NamedArrays, rng: inout SplitMix64) {
        let floats = inputs.filter { $0.value.dtype.isFloatingPoint }
        var pairs: [(String, String)] = []
        for a in floats {
            for b in floats where a.key != b.key && a.value.shape == b.value.shape && a.value.dtype == b.value.dtype {
                pairs.append((a.key, b.key))
            }
        }
        guard !pairs.isEmpty else { return }
        let (from, to) = rng.pick(pairs)
        guard let source = inputs[from], let target = inputs[to] else { return }
        let all = rng.chance(0.5)
        var mask = (0..<target.count).map { _ in all || rng.chance(0.5) }
        if !mask.isEmpty, !mask.contains(true) { mask[rng.index(mask.count)] = true }
        let storage: FixtureArray.Storage
        switch (source.storage, target.storage) {
        case (.float32(let s), .float32(let t)): storage = .float32(zip(zip(s, t), mask).map { $1 ? $0.0 : $0.1 })
        case (.float64(let s), .float64(let t)): storage = .float64(zip(zip(s, t), mask).map { $1 ? $0.0 : $0.1 })
        default: return
        }
        if let copied = try? FixtureArray(shape: target.shape, storage: storage) { inputs[to] = copied }
    }
}
