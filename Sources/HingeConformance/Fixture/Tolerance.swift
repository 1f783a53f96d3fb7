/// An absolute and relative tolerance: `actual` passes when
/// `|actual − expected| ≤ atol + rtol·|expected|`.
///
/// The check is NumPy's asymmetric `assert_allclose` form, with the fixture as
/// the reference, so a tolerance means the same here as in the framework's own
/// test suites.
public struct Tolerance: Sendable, Hashable, CustomStringConvertible {
    public var rtol: Double
    public var atol: Double

    public init(rtol: Double, atol: Double) {
        self.rtol = rtol
        self.atol = atol
    }

    /// Exact comparison.
    public static let exact = Tolerance(rtol: 0, atol: 0)

    /// `torch.testing.assert_close`'s defaults: float32 (rtol 1.3e-6, atol 1e-5),
    /// float64 (1e-7, 1e-7), exact for every other dtype.
    public static func torchDefault(for dtype: DType) -> Tolerance {
        switch dtype {
        case .float32: Tolerance(rtol: 1.3e-6, atol: 1e-5)
        case .float64: Tolerance(rtol: 1e-7, atol: 1e-7)
        case .int64, .bool, .string: .exact
        }
    }

    public var description: String { "rtol \(rtol), atol \(atol)" }
}

/// A tolerance as a fixture writes it: either part may be omitted, and then
/// comes from the next level (the file's `default_tolerance`, then the
/// built-in default for the dtype).
public struct PartialTolerance: Sendable, Hashable {
    public var rtol: Double?
    public var atol: Double?
    /// The numbers as a decoded file wrote them (`0` or `0.0`), by key, so that
    /// ``FixtureEncoder`` writes them back unchanged; not part of the value (`==` ignores it).
    var written: [String: JSONNumber] = [:]

    public init(rtol: Double? = nil, atol: Double? = nil) {
        self.rtol = rtol
        self.atol = atol
    }

    public static func == (a: PartialTolerance, b: PartialTolerance) -> Bool {
        a.rtol == b.rtol && a.atol == b.atol
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(rtol)
        hasher.combine(atol)
    }

    /// Fills the missing parts from `fallback`.
    public func resolved(over fallback: Tolerance) -> Tolerance {
        Tolerance(rtol: rtol ?? fallback.rtol, atol: atol ?? fallback.atol)
    }
}
