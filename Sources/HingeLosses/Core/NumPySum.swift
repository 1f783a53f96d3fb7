/// NumPy's pairwise summation (`pairwise_sum` in `numpy/_core/src/umath/loops_utils.h`),
/// the order of `np.sum`, `np.average` and of float64 reductions in general: below 8
/// elements a plain loop; up to 128, 8 accumulators added as
/// `((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))` and then the tail; above that the
/// two halves (the first a multiple of 8) summed recursively and added.
enum NumPySum {
    /// The pairwise sum of `values`.
    static func sum(_ values: [Double]) -> Double {
        values.withUnsafeBufferPointer { pairwise($0) }
    }

    /// The pairwise sum of the elements widened to `Double`.
    static func pairwise<T: BinaryFloatingPoint>(_ a: UnsafeBufferPointer<T>) -> Double {
        let n = a.count
        if n < 8 {
            var res = 0.0
            for v in a { res += Double(v) }
            return res
        }
        if n <= 128 {
            var r = SIMD8<Double>()
            for j in 0..<8 { r[j] = Double(a[j]) }
            var i = 8
            while i < n - n % 8 {
                var block = SIMD8<Double>()
                for j in 0..<8 { block[j] = Double(a[i + j]) }
                r += block
                i += 8
            }
            var res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
            while i < n {
                res += Double(a[i])
                i += 1
            }
            return res
        }
        var half = n / 2
        half -= half % 8
        return pairwise(UnsafeBufferPointer(rebasing: a[..<half])) + pairwise(UnsafeBufferPointer(rebasing: a[half...]))
    }
}
