extension LinearSVC {
    /// The OpenBLAS level-1 kernel set whose rounding solver 2 (TRON) reproduces.
    ///
    /// scikit-learn's `_cython_blas` sends TRON's `ddot`, `dnrm2`, `daxpy` and
    /// `dscal` to the OpenBLAS in SciPy 1.17.1's wheel (scipy-openblas 0.3.30,
    /// built with `DYNAMIC_ARCH`), which picks a kernel set per CPU when it
    /// loads. At a loose `tol` an inexact Newton step amplifies their different
    /// rounding to ~1e-3 in `coef_` and changes `n_iter_`, so a path-exact fit
    /// needs the kernel scikit-learn ran. The raw values are the names
    /// threadpoolctl's `threadpool_info()` reports as `architecture` for SciPy's
    /// OpenBLAS (and what `OPENBLAS_CORETYPE` takes).
    ///
    /// The default is `.skylakeX`, the kernel the existing fixtures and
    /// benchmarks were made with.
    public enum BLASKernel: String, Sendable, Hashable, CaseIterable {
        /// AVX-512 CPUs (`KERNEL.SKYLAKEX`; Cooperlake, Sapphire Rapids and
        /// AVX-512 AMD Zen 4/5 get the same level-1 kernels).
        case skylakeX = "SkylakeX"
        /// AVX2 + FMA CPUs without AVX-512 (`KERNEL.HASWELL`; AMD Zen 1–3, whose
        /// `KERNEL.ZEN` builds the same micro-kernels and which the wheel maps
        /// to Haswell).
        case haswell = "Haswell"

        /// Parses threadpoolctl's architecture name.
        /// - Throws: `HingeError.invalidParameter` naming `blas_kernel`.
        public init(parsing name: String) throws(HingeError) {
            self = try .parsed(name) {
                .invalidParameter("blas_kernel", "unknown OpenBLAS kernel '\($0)': expected one of \(Self.quotedRawValues)")
            }
        }
    }
}

/// The four BLAS level-1 routines TRON calls, rounded like the OpenBLAS 0.3.30
/// x86-64 kernels of each ``LinearSVC/BLASKernel``. Sources (OpenMathLib/OpenBLAS,
/// `kernel/x86_64/`): `ddot.c` with `ddot_microk_skylakex-2.c` /
/// `ddot_microk_haswell-2.c`; `daxpy.c` with `daxpy_microk_*-2.c`; `dscal.c`;
/// `nrm2.S`; `KERNEL.HASWELL`, and `KERNEL.SKYLAKEX`, which includes it and
/// replaces none of these four. (Read at the `develop` snapshot of October 2024,
/// after 0.3.28, the newest the project's mirror holds; the checks below ran
/// against the 0.3.30 binary itself.)
///
/// Each rule was checked bit for bit against `scipy.linalg.blas` under
/// `OPENBLAS_CORETYPE=SkylakeX` and `=Haswell` (threadpoolctl confirming the
/// choice) on 616 random vectors per kernel: lengths 1–300 and 1000 … 30001, two
/// vectors each, one with heavy cancellation (`tools/check_openblas_level1.py`,
/// whose NumPy twin `tools/hinge_fixtures/openblas_level1.py` the fixture mirror
/// replays TRON with).
///
/// Rounding rules:
/// - `ddot` (one thread): the micro-kernel takes the first `n & −16` elements
///   with fused multiply-adds, then the C tail `dot += y[i]·x[i]`.
///   SkylakeX: four 8-lane accumulators over blocks of 32, each folded to 4 lanes
///   (low half + high half), then four 4-lane accumulators over blocks of 16,
///   summed `((a0 + a1) + a2) + a3` lane-wise, reduced `(l0 + l2) + (l1 + l3)`.
///   Haswell: four 4-lane accumulators over blocks of 16, each folded first
///   (`[a0 + a2, a1 + a3]`), then `(h0 + h1) + (h2 + h3)`, then lane 0 + lane 1.
///   The tail is an fma on SkylakeX (the wheel builds those kernels for AVX-512,
///   so the compiler contracts it) but a multiply and an add on Haswell (built
///   with `-mavx2` and no `-mfma`: only the inline-asm loop fuses).
/// - `daxpy`: nothing happens when α = 0 (`interface/axpy.c`); else one fma per
///   element, except Haswell's C tail (the last `n mod 16` elements of each
///   thread's part), which is `y + α·x` rounded twice.
/// - `dnrm2`: the x87 kernel `nrm2.S` for both: squares summed in 80-bit
///   extended precision into four accumulators (element i into accumulator
///   i mod 4 for the blocks of 8, the tail into the first), combined
///   `((a2 + a0) + a1) + a3`, square-rooted in extended precision, rounded to
///   double.
/// - `dscal`: `x_i = α·x_i`.
/// - Threads: above 10000 elements OpenBLAS splits `ddot` and `daxpy` over its
///   threads (the first takes ⌈n/T⌉ elements, the rest the remainder); `ddot`
///   adds the partial results to 0 in thread order, and each `daxpy` part has
///   its own tail. ``threads`` fixes T = 2, the core count of the machine the
///   reference values come from; `OPENBLAS_NUM_THREADS` or another core count
///   changes T and so the rounding of long vectors.
///
/// Not reproduced: the wheel's pre-AVX2 kernel sets (threadpoolctl reports
/// them as Sandybridge, Nehalem and Katmai; `ddot_microk_sandy-2.c` and the SSE2
/// kernels add without fusing), and CPUs other than x86-64. Off x86-64 (no
/// `Float80`), `dnrm2` falls back to a double-precision sum of squares.
enum OpenBLASLevel1 {
    typealias Kernel = LinearSVC.BLASKernel

    /// The OpenBLAS thread count assumed for vectors longer than 10000.
    static let threads = 2

    /// `blas_level1_thread`'s parts for n elements: width = ⌈rest / threads left⌉.
    static func threadParts(_ n: Int) -> [Range<Int>] {
        guard n > 10000, threads > 1 else { return [0..<n] }
        var parts: [Range<Int>] = []
        var start = 0
        var remaining = n
        for thread in 0..<threads where remaining > 0 {
            let threadsLeft = threads - thread
            let width = min((remaining + threadsLeft - 1) / threadsLeft, remaining)
            parts.append(start..<(start + width))
            start += width
            remaining -= width
        }
        return parts
    }

    static func dot(_ x: [Double], _ y: [Double], kernel: Kernel = .skylakeX) -> Double {
        x.withUnsafeBufferPointer { x in
            y.withUnsafeBufferPointer { y in dot(x, y, kernel: kernel) }
        }
    }

    /// `ddot(n, x, 1, y, 1)` on `x.count` elements of both buffers (libsvm's
    /// dense kernels call it on rows of the training matrix).
    static func dot(_ x: UnsafeBufferPointer<Double>, _ y: UnsafeBufferPointer<Double>, kernel: Kernel) -> Double {
        // One thread below the threshold: no parts array to allocate (libsvm calls this per kernel value).
        if x.count <= 10000 { return dotKernel(x, y, 0..<x.count, kernel) }
        let parts = threadParts(x.count)
        if parts.count == 1 { return dotKernel(x, y, 0..<x.count, kernel) }
        var dot = 0.0
        for part in parts { dot = dot + dotKernel(x, y, part, kernel) }
        return dot
    }

    /// One thread's `dot_compute`.
    private static func dotKernel(
        _ x: UnsafeBufferPointer<Double>, _ y: UnsafeBufferPointer<Double>, _ part: Range<Int>, _ kernel: Kernel
    ) -> Double {
        let base = part.lowerBound
        let n = part.count
        let n1 = n & -16
        var dot = 0.0
        if n1 > 0 {
            switch kernel {
            case .skylakeX:
                let n32 = n1 & ~31
                var wide = (SIMD8<Double>(), SIMD8<Double>(), SIMD8<Double>(), SIMD8<Double>())
                var i = 0
                while i < n32 {
                    wide.0.addProduct(load8(x, base + i), load8(y, base + i))
                    wide.1.addProduct(load8(x, base + i + 8), load8(y, base + i + 8))
                    wide.2.addProduct(load8(x, base + i + 16), load8(y, base + i + 16))
                    wide.3.addProduct(load8(x, base + i + 24), load8(y, base + i + 24))
                    i += 32
                }
                var acc: Accumulators4 = (
                    wide.0.lowHalf + wide.0.highHalf, wide.1.lowHalf + wide.1.highHalf,
                    wide.2.lowHalf + wide.2.highHalf, wide.3.lowHalf + wide.3.highHalf
                )
                while i < n1 {
                    fusedStep16(&acc, x, y, base + i)
                    i += 16
                }
                let lanes = ((acc.0 + acc.1) + acc.2) + acc.3
                let half = lanes.lowHalf + lanes.highHalf
                dot = half[0] + half[1]
            case .haswell:
                var acc: Accumulators4 = (SIMD4(), SIMD4(), SIMD4(), SIMD4())
                var i = 0
                while i < n1 {
                    fusedStep16(&acc, x, y, base + i)
                    i += 16
                }
                // vextractf128 + vaddpd per accumulator, then the pairs, then vhaddpd.
                let t =
                    ((acc.0.lowHalf + acc.0.highHalf) + (acc.1.lowHalf + acc.1.highHalf))
                    + ((acc.2.lowHalf + acc.2.highHalf) + (acc.3.lowHalf + acc.3.highHalf))
                dot = t[0] + t[1]
            }
        }
        switch kernel {
        case .skylakeX:
            for i in (base + n1)..<part.upperBound { dot.addProduct(y[i], x[i]) }
        case .haswell:
            for i in (base + n1)..<part.upperBound { dot = dot + y[i] * x[i] }
        }
        return dot
    }

    private typealias Accumulators4 = (SIMD4<Double>, SIMD4<Double>, SIMD4<Double>, SIMD4<Double>)

    /// Both kernels' 16-element step: four 4-lane accumulators, each fed one fused multiply-add.
    @inline(__always) private static func fusedStep16(
        _ acc: inout Accumulators4, _ x: UnsafeBufferPointer<Double>, _ y: UnsafeBufferPointer<Double>, _ i: Int
    ) {
        acc.0.addProduct(load4(x, i), load4(y, i))
        acc.1.addProduct(load4(x, i + 4), load4(y, i + 4))
        acc.2.addProduct(load4(x, i + 8), load4(y, i + 8))
        acc.3.addProduct(load4(x, i + 12), load4(y, i + 12))
    }

    @inline(__always) private static func load8(_ p: UnsafeBufferPointer<Double>, _ i: Int) -> SIMD8<Double> {
        SIMD8(p[i], p[i + 1], p[i + 2], p[i + 3], p[i + 4], p[i + 5], p[i + 6], p[i + 7])
    }

    @inline(__always) private static func load4(_ p: UnsafeBufferPointer<Double>, _ i: Int) -> SIMD4<Double> {
        SIMD4(p[i], p[i + 1], p[i + 2], p[i + 3])
    }

    /// `nrm2.S`, the same on every kernel.
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

    static func axpy(_ alpha: Double, _ x: [Double], _ y: inout [Double], kernel: Kernel = .skylakeX) {
        if alpha == 0 { return }
        switch kernel {
        case .skylakeX:
            for i in y.indices { y[i].addProduct(alpha, x[i]) }
        case .haswell:
            for part in threadParts(y.count) {
                let fused = part.lowerBound + (part.count & -16)
                for i in part.lowerBound..<fused { y[i].addProduct(alpha, x[i]) }
                for i in fused..<part.upperBound { y[i] = y[i] + alpha * x[i] }
            }
        }
    }

    static func scal(_ alpha: Double, _ x: inout [Double]) {
        for i in x.indices { x[i] = alpha * x[i] }
    }
}
