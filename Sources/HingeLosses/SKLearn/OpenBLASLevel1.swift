/// The four BLAS level-1 routines TRON calls (`dot`, `nrm2`, `axpy`, `scal`),
/// with the rounding of the OpenBLAS kernels that SciPy's wheels dispatch to
/// on an AVX-512 x86-64 CPU (`SKYLAKEX` core; OpenBLAS 0.3.3x as bundled with
/// SciPy 1.17). scikit-learn's `_cython_blas` routes LIBLINEAR's TRON through
/// them, so matching their summation order is what makes solver 2 agree with
/// scikit-learn to the last bit instead of to about 1e-3 on sensitive problems.
///
/// Each rule below was checked against `scipy.linalg.blas` on random vectors
/// of lengths 1–300 (all equal bit for bit):
/// - `ddot`: the first `n & −16` elements go through the micro-kernel: four
///   512-bit accumulators of 8 lanes fed by fused multiply-adds over blocks of
///   32, each folded to 4 lanes (low half + high half), then four 256-bit
///   accumulators over blocks of 16, summed `((a0 + a1) + a2) + a3` lane-wise
///   and reduced `(l0 + l2) + (l1 + l3)`; the remaining elements are added by
///   sequential fused multiply-adds.
/// - `dnrm2`: the x87 kernel `nrm2.S`: squares summed in 80-bit extended
///   precision into four accumulators (element i into accumulator i mod 4 for
///   the blocks of 8, the tail into the first), combined `((a2 + a0) + a1) + a3`,
///   square-rooted in extended precision and rounded to double.
/// - `daxpy`: `y_i = fma(α, x_i, y_i)`; nothing happens when α = 0.
/// - `dscal`: `x_i = α·x_i`.
///
/// - Threads: OpenBLAS splits `ddot` over its threads when n > 10000 (the
///   first thread takes ⌈n/T⌉ elements, the rest the remainder) and adds the
///   partial results to 0 in thread order. ``ddotThreads`` fixes T = 2, the core
///   count of the machine the reference values come from (checked for n up to
///   30001); `OPENBLAS_NUM_THREADS` or another core count changes T and the
///   rounding.
///
/// Not reproduced: other CPUs dispatch other kernels. Off x86-64 (no
/// `Float80`), `dnrm2` falls back to a double-precision sum of squares.
enum OpenBLASLevel1 {
    /// The OpenBLAS thread count assumed for `ddot` with n > 10000.
    static let ddotThreads = 2

    static func dot(_ x: [Double], _ y: [Double]) -> Double {
        let n = x.count
        guard n > 10000, ddotThreads > 1 else { return dotKernel(x[...], y[...]) }
        // blas_level1_thread_with_return_value: width = ceil(remaining / threads left).
        var dot = 0.0
        var start = 0
        var remaining = n
        for thread in 0..<ddotThreads where remaining > 0 {
            let threadsLeft = ddotThreads - thread
            let width = min((remaining + threadsLeft - 1) / threadsLeft, remaining)
            dot = dot + dotKernel(x[start..<(start + width)], y[start..<(start + width)])
            start += width
            remaining -= width
        }
        return dot
    }

    /// One thread's `dot_compute`: the micro-kernel on `n & −16` elements, then the tail.
    private static func dotKernel(_ x: ArraySlice<Double>, _ y: ArraySlice<Double>) -> Double {
        let n = x.count
        let n1 = n & -16
        var dot = 0.0
        x.withUnsafeBufferPointer { x in
            y.withUnsafeBufferPointer { y in
                if n1 > 0 {
                    let n32 = n1 & ~31
                    var wide = [Double](repeating: 0, count: 32)  // 4 accumulators × 8 lanes
                    var i = 0
                    while i < n32 {
                        for lane in 0..<32 { wide[lane].addProduct(x[i + lane], y[i + lane]) }
                        i += 32
                    }
                    var acc = [Double](repeating: 0, count: 16)  // 4 accumulators × 4 lanes
                    for k in 0..<4 {
                        for lane in 0..<4 { acc[4 * k + lane] = wide[8 * k + lane] + wide[8 * k + lane + 4] }
                    }
                    while i < n1 {
                        for lane in 0..<16 { acc[lane].addProduct(x[i + lane], y[i + lane]) }
                        i += 16
                    }
                    var lanes = [Double](repeating: 0, count: 4)
                    for lane in 0..<4 { lanes[lane] = ((acc[lane] + acc[4 + lane]) + acc[8 + lane]) + acc[12 + lane] }
                    dot = (lanes[0] + lanes[2]) + (lanes[1] + lanes[3])
                }
                for i in n1..<n { dot.addProduct(y[i], x[i]) }
            }
        }
        return dot
    }

    static func nrm2(_ x: [Double]) -> Double {
        #if arch(x86_64) && !os(Windows)
            var acc: (Float80, Float80, Float80, Float80) = (0, 0, 0, 0)
            let n = x.count
            var i = 0
            x.withUnsafeBufferPointer { x in
                while i + 8 <= n {
                    for _ in 0..<2 {
                        let v0 = Float80(x[i]), v1 = Float80(x[i + 1]), v2 = Float80(x[i + 2]), v3 = Float80(x[i + 3])
                        acc.0 = acc.0 + v0 * v0
                        acc.1 = acc.1 + v1 * v1
                        acc.2 = acc.2 + v2 * v2
                        acc.3 = acc.3 + v3 * v3
                        i += 4
                    }
                }
                while i < n {
                    let v = Float80(x[i])
                    acc.0 = acc.0 + v * v
                    i += 1
                }
            }
            let sum = ((acc.2 + acc.0) + acc.1) + acc.3
            return Double(sum.squareRoot())
        #else
            var sum = 0.0
            for v in x { sum += v * v }
            return sum.squareRoot()
        #endif
    }

    static func axpy(_ alpha: Double, _ x: [Double], _ y: inout [Double]) {
        if alpha == 0 { return }
        for i in y.indices { y[i].addProduct(alpha, x[i]) }
    }

    static func scal(_ alpha: Double, _ x: inout [Double]) {
        for i in x.indices { x[i] = alpha * x[i] }
    }
}
