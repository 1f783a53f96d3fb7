/// LIBLINEAR's primal solver 2 (`L2R_L2LOSS_SVC`): the trust-region Newton
/// method TRON (`tron.cpp`, Lin, Weng & Keerthi 2008) on
///
///     f(w) = ½ wᵀw + Σ_i C_i max(0, 1 − y_i wᵀx_i)²,
///
/// with gradient `w + 2 Σ_{i∈I} C_i y_i (z_i − 1) x_i` and generalised Hessian
/// product `s + 2 Σ_{i∈I} C_i x_i (x_iᵀs)` over `I = {i : z_i = y_i wᵀx_i < 1}`
/// (`l2r_l2_svc_fun` in `linear.cpp`). Each Newton step is solved by
/// conjugate gradients stopped at `‖r‖ ≤ 0.1‖g‖` and truncated at the trust
/// region's boundary.
///
/// This is the old TRON scikit-learn 1.9.1 vendors: no preconditioner and no
/// line search. It stops when `‖∇f‖ ≤ eps'·‖∇f(0)‖` with
/// `eps' = tol · max(min(#pos, #neg), 1) / l` (`train_one`), and returns the
/// number of accepted steps (`max_iter` when the cap is hit). `random_state`
/// plays no part.
///
/// scikit-learn routes the vector operations (`dot`, `nrm2`, `axpy`, `scal`)
/// through SciPy's OpenBLAS; ``OpenBLASLevel1`` reproduces the rounding of the
/// kernel set named by `blasKernel` (the one OpenBLAS picked for the CPU), and
/// the products `Xv`, `Xᵀv` are LIBLINEAR's plain sequential loops. That
/// matters: at the default tolerance an inexact Newton step amplifies rounding
/// (scikit-learn itself moves by ~1e-3 under a 1-ulp change of X on digits), so
/// with another kernel's rounding the result would only agree to about that.
enum TrustRegionNewton {
    struct Result {
        var w: [Double]
        var iterations: Int
    }

    /// The squared-hinge primal of one binary sub-problem.
    struct Objective {
        let rows: SparseRows
        let n: Int
        let y: [Double]
        let cost: [Double]
        /// `z_i = y_i wᵀx_i` after ``value(_:)``; overwritten by ``gradient(_:)``.
        var z: [Double]
        /// The active set `I` of the last ``gradient(_:)``.
        var active: [Int] = []

        init(rows: SparseRows, n: Int, y: [Double], cost: [Double]) {
            self.rows = rows
            self.n = n
            self.y = y
            self.cost = cost
            self.z = [Double](repeating: 0, count: rows.count)
        }

        /// `fun`: f(w), storing z.
        mutating func value(_ w: [Double]) -> Double {
            let l = rows.count
            var f = 0.0
            for j in 0..<n { f += w[j] * w[j] }
            f /= 2.0
            rows.withUnsafeBuffers { x in
                let (start, column, value) = (x.start, x.column, x.value)
                z.withUnsafeMutableBufferPointer { z in
                    for i in 0..<l {
                        var xv = 0.0
                        for k in start[i]..<start[i + 1] { xv += w[Int(column[k])] * value[k] }
                        z[i] = y[i] * xv
                        let d = 1 - z[i]
                        if d > 0 { f += cost[i] * d * d }
                    }
                }
            }
            return f
        }

        /// `grad`: ∇f(w) at the w of the last ``value(_:)``; records I.
        mutating func gradient(_ w: [Double]) -> [Double] {
            active.removeAll(keepingCapacity: true)
            var coefficients: [Double] = []
            for i in 0..<rows.count where z[i] < 1 {
                coefficients.append(cost[i] * y[i] * (z[i] - 1))
                active.append(i)
            }
            var g = subXTv(coefficients)
            for j in 0..<n { g[j] = w[j] + 2 * g[j] }
            return g
        }

        /// `Hv`: the generalised Hessian times `s` on the recorded I.
        func hessianTimes(_ s: [Double]) -> [Double] {
            var wa = subXv(s)
            for (position, i) in active.enumerated() { wa[position] = cost[i] * wa[position] }
            var hs = subXTv(wa)
            for j in 0..<n { hs[j] = s[j] + 2 * hs[j] }
            return hs
        }

        /// `x_iᵀv` for each i in I.
        private func subXv(_ v: [Double]) -> [Double] {
            var out = [Double](repeating: 0, count: active.count)
            rows.withUnsafeBuffers { x in
                let (start, column, value) = (x.start, x.column, x.value)
                v.withUnsafeBufferPointer { v in
                    for (position, i) in active.enumerated() {
                        var sum = 0.0
                        for k in start[i]..<start[i + 1] { sum += v[Int(column[k])] * value[k] }
                        out[position] = sum
                    }
                }
            }
            return out
        }

        /// `Σ_{i∈I} v_i x_i`, accumulated row by row.
        private func subXTv(_ v: [Double]) -> [Double] {
            var out = [Double](repeating: 0, count: n)
            rows.withUnsafeBuffers { x in
                let (start, column, value) = (x.start, x.column, x.value)
                out.withUnsafeMutableBufferPointer { out in
                    for (position, i) in active.enumerated() {
                        let vi = v[position]
                        for k in start[i]..<start[i + 1] { out[Int(column[k])] += vi * value[k] }
                    }
                }
            }
            return out
        }
    }

    /// TRON's BLAS calls, rounded like scikit-learn's OpenBLAS on one kernel set.
    struct BLAS {
        let kernel: LinearSVC.BLASKernel
        @inline(__always) func dot(_ a: [Double], _ b: [Double]) -> Double { OpenBLASLevel1.dot(a, b, kernel: kernel) }
        @inline(__always) func nrm2(_ a: [Double]) -> Double { OpenBLASLevel1.nrm2(a) }
        @inline(__always) func axpy(_ alpha: Double, _ x: [Double], _ y: inout [Double]) {
            OpenBLASLevel1.axpy(alpha, x, &y, kernel: kernel)
        }
        @inline(__always) func scal(_ alpha: Double, _ x: inout [Double]) { OpenBLASLevel1.scal(alpha, &x) }
    }

    static func solve(
        rows: SparseRows, variableCount n: Int, y: [Double], cost: [Double], eps: Double, maxIter: Int,
        blasKernel: LinearSVC.BLASKernel = .skylakeX
    ) -> Result {
        let blas = BLAS(kernel: blasKernel)
        let eta0 = 1e-4, eta1 = 0.25, eta2 = 0.75
        let sigma1 = 0.25, sigma2 = 0.5, sigma3 = 4.0
        var objective = Objective(rows: rows, n: n, y: y, cost: cost)

        var w = [Double](repeating: 0, count: n)
        var f = objective.value(w)
        var g = objective.gradient(w)
        var delta = blas.nrm2(g)
        let gnorm1 = delta
        var gnorm = gnorm1
        let search = !(gnorm <= eps * gnorm1)
        var iter = 1

        while iter <= maxIter && search {
            let (s, r) = conjugateGradient(delta: delta, g: g, objective: objective, blas: blas)
            var wNew = w
            blas.axpy(1.0, s, &wNew)
            let gs = blas.dot(g, s)
            let prered = -0.5 * (gs - blas.dot(s, r))
            let fnew = objective.value(wNew)
            let actred = f - fnew
            let snorm = blas.nrm2(s)
            if iter == 1 { delta = cMin(delta, snorm) }

            let alpha: Double
            if fnew - f - gs <= 0 {
                alpha = sigma3
            } else {
                alpha = cMax(sigma1, -0.5 * (gs / (fnew - f - gs)))
            }

            if actred < eta0 * prered {
                delta = cMin(cMax(alpha, sigma1) * snorm, sigma2 * delta)
            } else if actred < eta1 * prered {
                delta = cMax(sigma1 * delta, cMin(alpha * snorm, sigma2 * delta))
            } else if actred < eta2 * prered {
                delta = cMax(sigma1 * delta, cMin(alpha * snorm, sigma3 * delta))
            } else {
                delta = cMax(delta, cMin(alpha * snorm, sigma3 * delta))
            }

            if actred > eta0 * prered {
                iter += 1
                w = wNew
                f = fnew
                // value(wNew) left z at w_new, which is now w. After a rejected
                // step z is stale but unused: Hv reads only I, set here.
                g = objective.gradient(w)
                gnorm = blas.nrm2(g)
                if gnorm <= eps * gnorm1 { break }
            }
            if f < -1.0e+32 { break }
            if actred.magnitude <= 0 && prered <= 0 { break }
            if actred.magnitude <= 1.0e-12 * f.magnitude && prered.magnitude <= 1.0e-12 * f.magnitude { break }
        }
        return Result(w: w, iterations: iter - 1)
    }

    /// `trcg`: conjugate gradients on `H s = −g` inside the trust region of radius `delta`.
    static func conjugateGradient(delta: Double, g: [Double], objective: Objective, blas: BLAS) -> (s: [Double], r: [Double]) {
        let n = g.count
        var s = [Double](repeating: 0, count: n)
        var r = g.map { -$0 }
        var d = r
        let cgtol = 0.1 * blas.nrm2(g)
        var rTr = blas.dot(r, r)
        while true {
            if blas.nrm2(r) <= cgtol { break }
            let hd = objective.hessianTimes(d)
            var alpha = rTr / blas.dot(d, hd)
            blas.axpy(alpha, d, &s)
            if blas.nrm2(s) > delta {
                alpha = -alpha
                blas.axpy(alpha, d, &s)
                let std = blas.dot(s, d)
                let sts = blas.dot(s, s)
                let dtd = blas.dot(d, d)
                let dsq = delta * delta
                let rad = (std * std + dtd * (dsq - sts)).squareRoot()
                if std >= 0 {
                    alpha = (dsq - sts) / (std + rad)
                } else {
                    alpha = (rad - std) / dtd
                }
                blas.axpy(alpha, d, &s)
                alpha = -alpha
                blas.axpy(alpha, hd, &r)
                break
            }
            alpha = -alpha
            blas.axpy(alpha, hd, &r)
            let rnewTrnew = blas.dot(r, r)
            let beta = rnewTrnew / rTr
            blas.scal(beta, &d)
            blas.axpy(1.0, r, &d)
            rTr = rnewTrnew
        }
        return (s, r)
    }
}
