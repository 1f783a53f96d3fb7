/// The result of comparing one output of an implementation with the fixture's.
public struct OutputComparison: Sendable, Hashable {
    /// The output's name, e.g. `output` or `grad_input`.
    public var name: String
    public var passed: Bool
    /// Why it failed (names the worst index, actual, expected and tolerance); `nil` when it passed.
    public var message: String?
    /// The largest `|actual − expected|` over elements (float outputs); infinity when a
    /// non-finite value does not match.
    public var maxAbsError: Double?
    /// The largest ULP distance over elements that are not NaN (float outputs).
    public var maxULP: UInt64?
    /// The largest share of its allowance an element uses, `|Δ| / (atol + rtol·|expected|)`
    /// (float outputs): 0 when every element is exact, at most 1 when the output passes,
    /// infinity for a difference where the allowance is 0. Reads better than ULPs near 0.
    public var maxToleranceUse: Double?
}

/// Compares an implementation's arrays with a fixture's under fixture format v1's rules.
///
/// Shapes and dtypes must be equal; integers, booleans and strings must match
/// exactly; floats pass when `|actual − expected| ≤ atol + rtol·|expected|`
/// (the fixture is the reference), NaN matches NaN, an infinity only the same
/// infinity, and −0.0 equals 0.0.
public enum Comparator {
    public static func compare(
        name: String, actual: FixtureArray, expected: FixtureArray, tolerance: Tolerance
    ) -> OutputComparison {
        func failure(_ message: String) -> OutputComparison {
            OutputComparison(name: name, passed: false, message: "\(name): \(message)")
        }
        guard actual.dtype == expected.dtype else {
            return failure("dtype \(actual.dtype) differs from the expected \(expected.dtype)")
        }
        guard actual.shape == expected.shape else {
            return failure("shape \(actual.shape) differs from the expected \(expected.shape)")
        }
        switch (actual.storage, expected.storage) {
        case (.float32(let a), .float32(let e)):
            return compareFloats(name, a, e, shape: expected.shape, tolerance: tolerance, ulp: ULP.distance)
        case (.float64(let a), .float64(let e)):
            return compareFloats(name, a, e, shape: expected.shape, tolerance: tolerance, ulp: ULP.distance)
        case (.int64(let a), .int64(let e)):
            return compareExactly(name, a, e, shape: expected.shape)
        case (.bool(let a), .bool(let e)):
            return compareExactly(name, a, e, shape: expected.shape)
        case (.string(let a), .string(let e)):
            return compareExactly(name, a, e, shape: expected.shape)
        default:
            return failure("dtype \(actual.dtype) differs from the expected \(expected.dtype)")
        }
    }

    /// Whether one element passes; `expected` is the reference.
    public static func isClose(_ actual: Double, _ expected: Double, tolerance: Tolerance) -> Bool {
        if actual.isNaN || expected.isNaN { return actual.isNaN && expected.isNaN }
        if actual.isInfinite || expected.isInfinite { return actual == expected }
        return (actual - expected).magnitude <= tolerance.atol + tolerance.rtol * expected.magnitude
    }

    private static func compareFloats<F: BinaryFloatingPoint>(
        _ name: String, _ actual: [F], _ expected: [F], shape: [Int], tolerance: Tolerance,
        ulp: (F, F) -> UInt64?
    ) -> OutputComparison {
        var maxAbs = 0.0
        var maxULP: UInt64 = 0
        var maxUse = 0.0
        var failures = 0
        // The worst failing element: the one that exceeds its allowance by the most.
        var worst: (index: Int, excess: Double)? = nil
        for i in expected.indices {
            let a = Double(actual[i])
            let e = Double(expected[i])
            let close = isClose(a, e, tolerance: tolerance)
            let diff: Double
            if a.isNaN && e.isNaN {
                diff = 0
            } else if a.isNaN || e.isNaN || a.isInfinite || e.isInfinite {
                diff = a == e ? 0 : .infinity
            } else {
                diff = (a - e).magnitude
            }
            maxAbs = max(maxAbs, diff)
            if let d = ulp(actual[i], expected[i]) { maxULP = max(maxULP, d) }
            let allowance = tolerance.atol + tolerance.rtol * e.magnitude
            if diff > 0 { maxUse = max(maxUse, allowance > 0 ? diff / allowance : .infinity) }
            if !close {
                failures += 1
                let excess = diff - allowance
                if worst == nil || excess > worst!.excess || excess.isNaN { worst = (i, excess.isNaN ? .infinity : excess) }
            }
        }
        var result = OutputComparison(
            name: name, passed: failures == 0, maxAbsError: maxAbs, maxULP: maxULP, maxToleranceUse: maxUse)
        if let worst {
            result.message =
                "\(name): \(failures) of \(expected.count) elements differ; worst at \(format(index: worst.index, shape: shape)): "
                + "actual \(actual[worst.index]), expected \(expected[worst.index]) "
                + "(|Δ| \(maxAbs), allowed atol \(tolerance.atol) + rtol \(tolerance.rtol)·|expected|; max ULP \(maxULP))"
        }
        return result
    }

    private static func compareExactly<T: Equatable>(
        _ name: String, _ actual: [T], _ expected: [T], shape: [Int]
    ) -> OutputComparison {
        let mismatches = expected.indices.filter { actual[$0] != expected[$0] }
        guard let first = mismatches.first else { return OutputComparison(name: name, passed: true) }
        return OutputComparison(
            name: name, passed: false,
            message: "\(name): \(mismatches.count) of \(expected.count) elements differ; first at "
                + "\(format(index: first, shape: shape)): actual \(actual[first]), expected \(expected[first]) (exact match required)")
    }

    /// A flat index as a multi-index, e.g. `[1, 2]` for flat index 5 of shape [2, 3].
    public static func format(index flat: Int, shape: [Int]) -> String {
        guard !shape.isEmpty else { return "[]" }
        var rest = flat
        var index = [Int](repeating: 0, count: shape.count)
        for axis in shape.indices.reversed() where shape[axis] > 0 {
            index[axis] = rest % shape[axis]
            rest /= shape[axis]
        }
        return "[" + index.map(String.init).joined(separator: ", ") + "]"
    }
}
