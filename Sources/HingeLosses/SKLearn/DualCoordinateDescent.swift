import CPrefetch

/// LIBLINEAR's dual coordinate descent for L2-regularised SVMs, solvers 1
/// (`L2R_L2LOSS_SVC_DUAL`, squared hinge) and 3 (`L2R_L1LOSS_SVC_DUAL`,
/// hinge): `solve_l2r_l1l2_svc` in scikit-learn 1.9.1's `linear.cpp`
/// (Hsieh et al., ICML 2008, Algorithm 3, with shrinking).
///
/// It solves the dual
///
///     min_α ½ αᵀ(Q + D)α − eᵀα,   0 ≤ α_i ≤ U_i,   Q_ij = y_i y_j x_iᵀx_j,
///
/// with `D_ii = 0.5/C_i, U_i = ∞` (squared hinge) or `D_ii = 0, U_i = C_i`
/// (hinge), keeping `w = Σ α_i y_i x_i` up to date. Each pass shuffles the
/// active samples; a sample at a bound whose gradient lies beyond the last
/// pass's extreme projected gradient is shrunk. The stopping test
/// `PGmax − PGmin ≤ tol` is absolute; when it passes with shrunk samples the
/// active set is reset once more (counted as an iteration).
///
/// Quirks kept from scikit-learn: no hard cap of 300 iterations and no
/// fall-back to the primal solver (upstream LIBLINEAR 2.x has both);
/// `max_iter` is honoured and the iteration count returned. With a tol below
/// about 1e-11 the test may never pass and the solver plateaus (issue #22283).
/// A row without entries (possible only without intercept) has `QD_i = 0`;
/// for hinge its step `α − G/QD = +∞` is clipped to `C_i`, as in C, and
/// leaves w unchanged. Every sum runs sequentially over the row's nodes
/// without fused multiply-adds, which reproduces scikit-learn's x86-64 wheels
/// bit for bit.
enum DualCoordinateDescent {
    enum Loss { case hinge, squaredHinge }

    struct Result {
        var w: [Double]
        var alpha: [Double]
        var iterations: Int
    }

    /// - Parameters:
    ///   - rows: the samples (bias node included).
    ///   - variableCount: the length of `w`.
    ///   - y: ±1 per row.
    ///   - cost: `C_i = W_i · (y_i > 0 ? Cp : Cn)` per row.
    ///   - eps: the stopping tolerance.
    static func solve(
        rows: SparseRows, variableCount: Int, y: [Double], cost: [Double], loss: Loss,
        eps: Double, maxIter: Int, random: inout LiblinearRandom
    ) -> Result {
        let l = rows.count
        let w = UnsafeMutableBufferPointer<Double>.workArray(count: variableCount, repeating: 0)
        let alpha = UnsafeMutableBufferPointer<Double>.workArray(count: l, repeating: 0)
        let index = UnsafeMutableBufferPointer<Int>.workArray(count: l, repeating: 0)
        let diag = UnsafeMutableBufferPointer<Double>.workArray(count: l, repeating: 0)
        let upper = UnsafeMutableBufferPointer<Double>.workArray(count: l, repeating: .infinity)
        let qd = UnsafeMutableBufferPointer<Double>.workArray(count: l, repeating: 0)
        defer { for buffer in [w, alpha, diag, upper, qd] { buffer.deallocate() }; index.deallocate() }
        for i in 0..<l { index[i] = i }
        for i in 0..<l {
            switch loss {
            case .squaredHinge: diag[i] = 0.5 / cost[i]
            case .hinge: upper[i] = cost[i]
            }
        }
        for i in 0..<l {
            var q = diag[i]
            for k in rows.start[i]..<rows.start[i + 1] { q += rows.value[k] * rows.value[k] }
            qd[i] = q
        }

        let iterations = rows.withUnsafeBuffers { rows in
            y.withUnsafeBufferPointer { y in
                Kernel(
                    start: rows.start, column: rows.column, value: rows.value, y: y, diag: UnsafeBufferPointer(diag),
                    upper: UnsafeBufferPointer(upper), qd: UnsafeBufferPointer(qd), w: w, alpha: alpha, index: index
                ).run(eps: eps, maxIter: maxIter, random: &random)
            }
        }
        return Result(w: Array(w), alpha: Array(alpha), iterations: iterations)
    }

    /// The iteration itself, over buffers that outlive it (``solve``'s work arrays and closures).
    private struct Kernel {
        let start: UnsafeBufferPointer<Int>
        let column: UnsafeBufferPointer<Int32>
        let value: UnsafeBufferPointer<Double>
        let y: UnsafeBufferPointer<Double>
        let diag: UnsafeBufferPointer<Double>
        let upper: UnsafeBufferPointer<Double>
        let qd: UnsafeBufferPointer<Double>
        let w: UnsafeMutableBufferPointer<Double>
        let alpha: UnsafeMutableBufferPointer<Double>
        let index: UnsafeMutableBufferPointer<Int>

        func run(eps: Double, maxIter: Int, random: inout LiblinearRandom) -> Int {
            let l = alpha.count
            var active = l
            var pgMaxOld = Double.infinity
            var pgMinOld = -Double.infinity
            var iter = 0
            while iter < maxIter {
                var pgMaxNew = -Double.infinity
                var pgMinNew = Double.infinity
                random.shuffle(index, active: active)
                var s = 0
                while s < active {
                    let i = index[s]
                    if s + 2 < active {
                        // The row after next: its start, then (next time round) its entries.
                        let ahead = index[s + 2]
                        hl_prefetch(start.baseAddress! + ahead)
                    }
                    if s + 1 < active {
                        let next = index[s + 1]
                        let ks = start[next]
                        hl_prefetch(value.baseAddress! + ks)
                        hl_prefetch(column.baseAddress! + ks)
                        hl_prefetch(alpha.baseAddress! + next)
                    }
                    let yi = y[i]
                    var g = 0.0
                    for k in start[i]..<start[i + 1] { g += w[Int(column[k])] * value[k] }
                    g = g * yi - 1
                    let c = upper[i]
                    g += alpha[i] * diag[i]

                    var pg = 0.0
                    if alpha[i] == 0 {
                        if g > pgMaxOld {
                            active -= 1
                            index.swapAt(s, active)
                            continue
                        } else if g < 0 {
                            pg = g
                        }
                    } else if alpha[i] == c {
                        if g < pgMinOld {
                            active -= 1
                            index.swapAt(s, active)
                            continue
                        } else if g > 0 {
                            pg = g
                        }
                    } else {
                        pg = g
                    }
                    pgMaxNew = cMax(pgMaxNew, pg)
                    pgMinNew = cMin(pgMinNew, pg)

                    if pg.magnitude > 1.0e-12 {
                        let alphaOld = alpha[i]
                        alpha[i] = cMin(cMax(alpha[i] - g / qd[i], 0.0), c)
                        let d = (alpha[i] - alphaOld) * yi
                        for k in start[i]..<start[i + 1] { w[Int(column[k])] += d * value[k] }
                    }
                    s += 1
                }
                iter += 1

                if pgMaxNew - pgMinNew <= eps {
                    if active == l { break }
                    active = l
                    pgMaxOld = .infinity
                    pgMinOld = -.infinity
                    continue
                }
                pgMaxOld = pgMaxNew
                pgMinOld = pgMinNew
                if pgMaxOld <= 0 { pgMaxOld = .infinity }
                if pgMinOld >= 0 { pgMinOld = -.infinity }
            }
            return iter
        }
    }
}
