/// What a report needs to explain one compared output without a rerun: its dtype
/// and shape, the tolerance the comparison applied, and, when it failed on values,
/// the element that failed worst.
///
/// The runner fills it next to ``OutputComparison`` for every output it compared
/// (see ``CaseResult/details``); ``TextReport`` and the GitHub report print it.
public struct OutputDetail: Sendable, Hashable {
    /// The output's name, e.g. `output` or `grad_input`.
    public var name: String
    public var dtype: DType
    public var shape: [Int]
    /// The tolerance the comparison used: ``Tolerance/exact`` for integers,
    /// booleans and strings.
    public var tolerance: Tolerance
    /// How many elements failed (0 when the output passed, or when it failed on
    /// its dtype or shape before any element was compared).
    public var failingCount: Int
    /// The failing element the comparator names: for floats the one that exceeds
    /// its allowance by the most, for other dtypes the first; `nil` when no
    /// element failed.
    public var worst: Element?

    public init(name: String, dtype: DType, shape: [Int], tolerance: Tolerance, failingCount: Int = 0, worst: Element? = nil) {
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.tolerance = tolerance
        self.failingCount = failingCount
        self.worst = worst
    }

    /// One element of a failed comparison, values written as their shortest
    /// exact text (`Float`/`Double` descriptions round-trip; strings are quoted).
    public struct Element: Sendable, Hashable {
        /// The row-major (flat) index into the output's data.
        public var flatIndex: Int
        public var actual: String
        public var expected: String
        /// `|actual − expected|` for floats (infinity when a non-finite value does not match).
        public var absError: Double?
        /// `atol + rtol·|expected|`, what the element was allowed (floats only).
        public var allowed: Double?

        public init(flatIndex: Int, actual: String, expected: String, absError: Double? = nil, allowed: Double? = nil) {
            self.flatIndex = flatIndex
            self.actual = actual
            self.expected = expected
            self.absError = absError
            self.allowed = allowed
        }
    }

    /// The detail of `actual` against `expected` under `tolerance`, locating the
    /// failing element by ``Comparator``'s rules (same element, same order).
    ///
    /// When dtypes or shapes differ no element is compared: `failingCount` is 0
    /// and `worst` is `nil` (the comparator's message says what differs).
    public static func of(name: String, actual: FixtureArray, expected: FixtureArray, tolerance: Tolerance) -> OutputDetail {
        var detail = OutputDetail(name: name, dtype: expected.dtype, shape: expected.shape, tolerance: tolerance)
        guard actual.dtype == expected.dtype, actual.shape == expected.shape else { return detail }
        switch (actual.storage, expected.storage) {
        case (.float32(let a), .float32(let e)):
            (detail.failingCount, detail.worst) = locateFloat(a, e, tolerance: tolerance)
        case (.float64(let a), .float64(let e)):
            (detail.failingCount, detail.worst) = locateFloat(a, e, tolerance: tolerance)
        case (.int64(let a), .int64(let e)):
            (detail.failingCount, detail.worst) = locateExact(a, e) { String($0) }
        case (.bool(let a), .bool(let e)):
            (detail.failingCount, detail.worst) = locateExact(a, e) { String($0) }
        case (.string(let a), .string(let e)):
            (detail.failingCount, detail.worst) = locateExact(a, e) { $0.debugDescription }
        default:
            break
        }
        return detail
    }

    private static func locateFloat<F: BinaryFloatingPoint & CustomStringConvertible>(
        _ actual: [F], _ expected: [F], tolerance: Tolerance
    ) -> (Int, Element?) {
        var failures = 0
        var worst: (index: Int, excess: Double, diff: Double, allowed: Double)? = nil
        for i in expected.indices {
            let a = Double(actual[i])
            let e = Double(expected[i])
            guard !Comparator.isClose(a, e, tolerance: tolerance) else { continue }
            failures += 1
            let diff: Double
            if a.isNaN || e.isNaN || a.isInfinite || e.isInfinite {
                diff = a == e ? 0 : .infinity
            } else {
                diff = (a - e).magnitude
            }
            let allowed = tolerance.atol + tolerance.rtol * e.magnitude
            let excess = diff - allowed
            // The comparator's choice: the largest excess, a NaN excess counting as infinite.
            if worst == nil || excess > worst!.excess || excess.isNaN {
                worst = (i, excess.isNaN ? .infinity : excess, diff, allowed)
            }
        }
        guard let worst else { return (0, nil) }
        let element = Element(
            flatIndex: worst.index, actual: actual[worst.index].description, expected: expected[worst.index].description,
            absError: worst.diff, allowed: worst.allowed)
        return (failures, element)
    }

    private static func locateExact<T: Equatable>(_ actual: [T], _ expected: [T], _ text: (T) -> String) -> (Int, Element?) {
        var failures = 0
        var first: Int? = nil
        for i in expected.indices where actual[i] != expected[i] {
            failures += 1
            if first == nil { first = i }
        }
        guard let first else { return (0, nil) }
        return (failures, Element(flatIndex: first, actual: text(actual[first]), expected: text(expected[first])))
    }
}
