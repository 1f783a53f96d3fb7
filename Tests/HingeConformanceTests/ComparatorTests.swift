import Testing

@testable import HingeConformance

@Suite("Comparator")
struct ComparatorTests {
    func f64(_ values: [Double], _ shape: [Int]? = nil) -> FixtureArray {
        try! .float64(values, shape: shape ?? [values.count])
    }
    func f32(_ values: [Float]) -> FixtureArray { try! .float32(values, shape: [values.count]) }

    @Test func toleranceEdgeIsInclusive() {
        // Powers of two keep the bound exact: allowed = atol + rtol·|expected|.
        let tolerance = Tolerance(rtol: 0.5, atol: 0.25)
        let expected = 2.0
        let bound = expected + tolerance.atol + tolerance.rtol * expected
        #expect(Comparator.isClose(bound, expected, tolerance: tolerance))
        #expect(!Comparator.isClose(bound.nextUp, expected, tolerance: tolerance))
        let lower = expected - (tolerance.atol + tolerance.rtol * expected)
        #expect(Comparator.isClose(lower, expected, tolerance: tolerance))
        // Below the bound by more than the rounding of `expected − actual` can hide.
        #expect(!Comparator.isClose(lower - 0x1p-40, expected, tolerance: tolerance))
    }

    @Test func toleranceIsRelativeToTheExpectedValueOnly() {
        // Asymmetric like numpy.testing.assert_allclose: rtol scales |expected|, not |actual|.
        let tolerance = Tolerance(rtol: 0.5, atol: 0)
        #expect(Comparator.isClose(1, 2, tolerance: tolerance))
        #expect(!Comparator.isClose(2, 1, tolerance: tolerance))
    }

    @Test func specialValues() {
        let exact = Tolerance.exact
        let loose = Tolerance(rtol: 1, atol: 1e300)
        #expect(Comparator.isClose(.nan, .nan, tolerance: exact))
        #expect(!Comparator.isClose(.nan, 1, tolerance: loose))
        #expect(!Comparator.isClose(1, .nan, tolerance: loose))
        #expect(Comparator.isClose(.infinity, .infinity, tolerance: exact))
        #expect(!Comparator.isClose(-.infinity, .infinity, tolerance: loose))
        #expect(!Comparator.isClose(.greatestFiniteMagnitude, .infinity, tolerance: loose))
        #expect(!Comparator.isClose(.infinity, .greatestFiniteMagnitude, tolerance: loose))
        #expect(Comparator.isClose(-0.0, 0.0, tolerance: exact))
        #expect(Comparator.isClose(0.0, -0.0, tolerance: exact))
    }

    @Test func ulpCounting() {
        #expect(ULP.distance(Float(1), Float(1).nextUp) == 1)
        #expect(ULP.distance(Float(1).nextUp, Float(1)) == 1)
        #expect(ULP.distance(Float(-0.0), Float(0)) == 0)
        #expect(ULP.distance(Float.leastNonzeroMagnitude, -Float.leastNonzeroMagnitude) == 2)
        #expect(ULP.distance(Float.greatestFiniteMagnitude, Float.infinity) == 1)
        #expect(ULP.distance(-Float.infinity, Float.infinity) == 2 * UInt64(Float.infinity.bitPattern))
        #expect(ULP.distance(Float.nan, Float(1)) == nil)
        #expect(ULP.distance(Double(1), Double(1).nextUp.nextUp.nextUp) == 3)
        #expect(ULP.distance(Double.leastNonzeroMagnitude, -Double.leastNonzeroMagnitude) == 2)
        #expect(ULP.distance(-Double.infinity, Double.infinity) == 2 * (Double.infinity.bitPattern))
        #expect(ULP.distance(Double.greatestFiniteMagnitude, .infinity) == 1)
        #expect(ULP.distance(Double.nan, .nan) == nil)
    }

    @Test func reportsMaxErrorAndULPPerOutput() {
        let one = Float(1)
        let result = Comparator.compare(
            name: "output", actual: f32([one.nextUp.nextUp, 0, .nan]), expected: f32([one, -0.0, .nan]),
            tolerance: Tolerance(rtol: 1e-6, atol: 0))
        #expect(result.passed)
        #expect(result.maxULP == 2)
        #expect(result.maxAbsError == Double(one.nextUp.nextUp) - 1)
        #expect(result.message == nil)
    }

    @Test func failureNamesOutputIndexActualExpectedAndTolerance() {
        let result = Comparator.compare(
            name: "grad_input", actual: f64([1, 2, 3, 4.5, 5, 6], [2, 3]), expected: f64([1, 2, 3, 4, 5, 6], [2, 3]),
            tolerance: Tolerance(rtol: 0, atol: 0.1))
        #expect(!result.passed)
        let message = result.message ?? ""
        #expect(message.hasPrefix("grad_input: 1 of 6 elements differ"))
        #expect(message.contains("worst at [1, 0]"))
        #expect(message.contains("actual 4.5, expected 4.0"))
        #expect(message.contains("atol 0.1"))
        #expect(result.maxAbsError == 0.5)
    }

    @Test func worstIndexIsTheLargestExcessAndNaNMismatchCounts() {
        let result = Comparator.compare(
            name: "output", actual: f64([1.5, .nan, 3]), expected: f64([1, 2, 3]), tolerance: .exact)
        #expect(!result.passed)
        #expect(result.message?.contains("2 of 3 elements differ; worst at [1]") == true)
        #expect(result.maxAbsError == .infinity)
    }

    @Test func shapesAndDtypesMustMatch() {
        let shape = Comparator.compare(name: "o", actual: f64([1, 2]), expected: f64([1, 2], [1, 2]), tolerance: .exact)
        #expect(!shape.passed && shape.message == "o: shape [2] differs from the expected [1, 2]")
        let dtype = Comparator.compare(name: "o", actual: f32([1]), expected: f64([1]), tolerance: Tolerance(rtol: 1, atol: 1))
        #expect(!dtype.passed && dtype.message == "o: dtype float32 differs from the expected float64")
    }

    @Test func integersBoolsAndStringsCompareExactly() throws {
        let ints = Comparator.compare(
            name: "classes_", actual: try .int64([1, 2, 4], shape: [3]), expected: try .int64([1, 2, 3], shape: [3]),
            tolerance: Tolerance(rtol: 1, atol: 10))
        #expect(!ints.passed && ints.message?.contains("first at [2]: actual 4, expected 3") == true)
        let strings = Comparator.compare(
            name: "predict", actual: try FixtureArray(shape: [2], storage: .string(["a", "b"])),
            expected: try FixtureArray(shape: [2], storage: .string(["a", "b"])), tolerance: .exact)
        #expect(strings.passed && strings.maxULP == nil)
        let bools = Comparator.compare(
            name: "m", actual: try FixtureArray(shape: [], storage: .bool([true])),
            expected: try FixtureArray(shape: [], storage: .bool([false])), tolerance: .exact)
        #expect(!bools.passed)
    }

    @Test func emptyArraysPass() throws {
        let result = Comparator.compare(
            name: "o", actual: try .float32([], shape: [0, 3]), expected: try .float32([], shape: [0, 3]), tolerance: .exact)
        #expect(result.passed && result.maxAbsError == 0)
    }

    @Test func multiIndexFormatting() {
        #expect(Comparator.format(index: 0, shape: []) == "[]")
        #expect(Comparator.format(index: 5, shape: [2, 3]) == "[1, 2]")
        #expect(Comparator.format(index: 7, shape: [2, 2, 2]) == "[1, 1, 1]")
    }
}
