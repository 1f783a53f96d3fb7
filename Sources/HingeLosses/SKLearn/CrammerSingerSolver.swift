/// LIBLINEAR's solver 4 (`MCSVM_CS`): Crammer and Singer's multi-class SVM,
/// solved by the sequential dual method of Keerthi et al. (KDD 2008) as
/// `Solver_MCSVM_CS` in scikit-learn 1.9.1's `linear.cpp`.
///
/// Primal: `min_W ½ Σ_m ‖w_m‖² + Σ_i C_i ξ_i` subject to
/// `w_{y_i}ᵀx_i − w_mᵀx_i ≥ 1[m ≠ y_i] − ξ_i` for every class m, that is
/// `ξ_i = max_m (1[m≠y_i] + w_mᵀx_i) − w_{y_i}ᵀx_i`. Its dual has one α_i^m per
/// sample and class with `α_i^m ≤ C_i·1[m = y_i]`, `Σ_m α_i^m = 0`, and
/// `w_m = Σ_i α_i^m x_i`; the per-sample sub-problem is solved exactly by the
/// sort-based `solve_sub_problem`. Classes at a bound and whole samples are
/// shrunk; `eps_shrink = max(10·tol, 1)` halves towards tol each time the
/// active set is reset.
///
/// Quirks kept from scikit-learn: `C_i = W_i · C · class_weight[y_i]` (each
/// sample weighted by its own class); `max_iter` is **ignored**, the solver's
/// own cap of 100000 passes applies; the bias is a regularised feature; rows
/// with `‖x_i‖² = 0` are skipped.
enum CrammerSingerSolver {
    static let iterationCap = 100_000

    struct Result {
        /// Feature-major weights: `w[j·K + m]`.
        var w: [Double]
        /// `alpha[i·K + m]`.
        var alpha: [Double]
        var iterations: Int
    }

    /// - Parameters:
    ///   - labels: the class index of each row.
    ///   - cost: `C_i` per row.
    static func solve(
        rows: SparseRows, variableCount wSize: Int, classCount nrClass: Int, labels: [Int], cost: [Double],
        eps: Double, maxIter: Int = iterationCap, random: inout LiblinearRandom
    ) -> Result {
        let l = rows.count
        let alpha = UnsafeMutableBufferPointer<Double>.workArray(count: l * nrClass, repeating: 0)
        let w = UnsafeMutableBufferPointer<Double>.workArray(count: wSize * nrClass, repeating: 0)
        let qd = UnsafeMutableBufferPointer<Double>.workArray(count: l, repeating: 0)
        let alphaIndex = UnsafeMutableBufferPointer<Int>.workArray(count: nrClass * l, repeating: 0)
        // Work arrays: index, y_index, active_size_i (Int); G, B, alpha_new, sort buffer, d_val (Double); d_ind.
        let ints = UnsafeMutableBufferPointer<Int>.workArray(count: 3 * l + nrClass, repeating: 0)
        let doubles = UnsafeMutableBufferPointer<Double>.workArray(count: 5 * nrClass, repeating: 0)
        defer { for buffer in [alpha, w, qd, doubles] { buffer.deallocate() }; alphaIndex.deallocate(); ints.deallocate() }
        for i in 0..<l {
            for m in 0..<nrClass { alphaIndex[i * nrClass + m] = m }
            var q = 0.0
            for k in rows.start[i]..<rows.start[i + 1] { q += rows.value[k] * rows.value[k] }
            qd[i] = q
        }
        for i in 0..<l {
            ints[i] = i
            ints[l + i] = labels[i]
            ints[2 * l + i] = nrClass
        }

        let iterations = rows.withUnsafeBuffers { rows in
            labels.withUnsafeBufferPointer { labels in
                cost.withUnsafeBufferPointer { cost in
                    Kernel(
                        l: l, nrClass: nrClass, start: rows.start, column: rows.column, value: rows.value,
                        labels: labels, cost: cost, qd: UnsafeBufferPointer(qd), w: w, alpha: alpha,
                        alphaIndex: alphaIndex, ints: ints, doubles: doubles
                    ).run(eps: eps, maxIter: maxIter, random: &random)
                }
            }
        }
        return Result(w: Array(w), alpha: Array(alpha), iterations: iterations)
    }

    /// `Solver_MCSVM_CS::Solve` over buffers that outlive it (``solve``'s work arrays and closures).
    private struct Kernel {
        let l: Int
        let nrClass: Int
        let start: UnsafeBufferPointer<Int>
        let column: UnsafeBufferPointer<Int32>
        let value: UnsafeBufferPointer<Double>
        let labels: UnsafeBufferPointer<Int>
        let cost: UnsafeBufferPointer<Double>
        let qd: UnsafeBufferPointer<Double>
        let w: UnsafeMutableBufferPointer<Double>
        let alpha: UnsafeMutableBufferPointer<Double>
        let alphaIndex: UnsafeMutableBufferPointer<Int>
        let index: UnsafeMutableBufferPointer<Int>
        let yIndex: UnsafeMutableBufferPointer<Int>
        let activeSizeI: UnsafeMutableBufferPointer<Int>
        let dInd: UnsafeMutableBufferPointer<Int>
        let g: UnsafeMutableBufferPointer<Double>
        let b: UnsafeMutableBufferPointer<Double>
        let alphaNew: UnsafeMutableBufferPointer<Double>
        let sortBuffer: UnsafeMutableBufferPointer<Double>
        let dVal: UnsafeMutableBufferPointer<Double>

        init(
            l: Int, nrClass: Int, start: UnsafeBufferPointer<Int>, column: UnsafeBufferPointer<Int32>,
            value: UnsafeBufferPointer<Double>, labels: UnsafeBufferPointer<Int>, cost: UnsafeBufferPointer<Double>,
            qd: UnsafeBufferPointer<Double>, w: UnsafeMutableBufferPointer<Double>,
            alpha: UnsafeMutableBufferPointer<Double>, alphaIndex: UnsafeMutableBufferPointer<Int>,
            ints: UnsafeMutableBufferPointer<Int>, doubles: UnsafeMutableBufferPointer<Double>
        ) {
            self.l = l
            self.nrClass = nrClass
            self.start = start
            self.column = column
            self.value = value
            self.labels = labels
            self.cost = cost
            self.qd = qd
            self.w = w
            self.alpha = alpha
            self.alphaIndex = alphaIndex
            index = UnsafeMutableBufferPointer(rebasing: ints[0..<l])
            yIndex = UnsafeMutableBufferPointer(rebasing: ints[l..<(2 * l)])
            activeSizeI = UnsafeMutableBufferPointer(rebasing: ints[(2 * l)..<(3 * l)])
            dInd = UnsafeMutableBufferPointer(rebasing: ints[(3 * l)...])
            g = UnsafeMutableBufferPointer(rebasing: doubles[0..<nrClass])
            b = UnsafeMutableBufferPointer(rebasing: doubles[nrClass..<(2 * nrClass)])
            alphaNew = UnsafeMutableBufferPointer(rebasing: doubles[(2 * nrClass)..<(3 * nrClass)])
            sortBuffer = UnsafeMutableBufferPointer(rebasing: doubles[(3 * nrClass)..<(4 * nrClass)])
            dVal = UnsafeMutableBufferPointer(rebasing: doubles[(4 * nrClass)...])
        }

        /// `be_shrunk`: class slot m of sample i sits at its bound with a gradient below minG.
        @inline(__always) func beShrunk(_ i: Int, _ m: Int, _ yi: Int, _ alphaI: Double, _ minG: Double) -> Bool {
            let bound = m == yi ? cost[i] : 0
            return alphaI == bound && g[m] < minG
        }

        func run(eps: Double, maxIter: Int, random: inout LiblinearRandom) -> Int {
            var activeSize = l
            var epsShrink = cMax(10.0 * eps, 1.0)
            var startFromAll = true
            var iter = 0
            while iter < maxIter {
                var stopping = -Double.infinity
                random.shuffle(index, active: activeSize)
                var s = 0
                while s < activeSize {
                    let i = index[s]
                    let ai = qd[i]
                    let base = i * nrClass
                    if ai > 0 {
                        let act0 = activeSizeI[i]
                        for m in 0..<act0 { g[m] = 1 }
                        if yIndex[i] < act0 { g[yIndex[i]] = 0 }

                        // Each g[m] still sums its terms in feature order (bit for bit the
                        // same), but four classes at a time in registers.
                        let k0 = start[i], k1 = start[i + 1]
                        var m0 = 0
                        while m0 + 4 <= act0 {
                            var g0 = g[m0], g1 = g[m0 + 1], g2 = g[m0 + 2], g3 = g[m0 + 3]
                            let a0 = alphaIndex[base &+ m0], a1 = alphaIndex[base &+ m0 &+ 1]
                            let a2 = alphaIndex[base &+ m0 &+ 2], a3 = alphaIndex[base &+ m0 &+ 3]
                            var k = k0
                            while k < k1 {
                                let wBase = Int(column[k]) &* nrClass
                                let v = value[k]
                                g0 += w[wBase &+ a0] * v
                                g1 += w[wBase &+ a1] * v
                                g2 += w[wBase &+ a2] * v
                                g3 += w[wBase &+ a3] * v
                                k &+= 1
                            }
                            g[m0] = g0; g[m0 + 1] = g1; g[m0 + 2] = g2; g[m0 + 3] = g3
                            m0 += 4
                        }
                        while m0 < act0 {
                            var g0 = g[m0]
                            let a0 = alphaIndex[base &+ m0]
                            var k = k0
                            while k < k1 {
                                g0 += w[(Int(column[k]) &* nrClass) &+ a0] * value[k]
                                k &+= 1
                            }
                            g[m0] = g0
                            m0 += 1
                        }

                        var minG = Double.infinity
                        var maxG = -Double.infinity
                        for m in 0..<act0 {
                            if alpha[base + alphaIndex[base + m]] < 0 && g[m] < minG { minG = g[m] }
                            if g[m] > maxG { maxG = g[m] }
                        }
                        if yIndex[i] < act0 {
                            if alpha[base + labels[i]] < cost[i] && g[yIndex[i]] < minG { minG = g[yIndex[i]] }
                        }

                        var m = 0
                        while m < activeSizeI[i] {
                            if beShrunk(i, m, yIndex[i], alpha[base + alphaIndex[base + m]], minG) {
                                activeSizeI[i] -= 1
                                while activeSizeI[i] > m {
                                    let last = activeSizeI[i]
                                    if !beShrunk(i, last, yIndex[i], alpha[base + alphaIndex[base + last]], minG) {
                                        alphaIndex.swapAt(base + m, base + last)
                                        g.swapAt(m, last)
                                        if yIndex[i] == last {
                                            yIndex[i] = m
                                        } else if yIndex[i] == m {
                                            yIndex[i] = last
                                        }
                                        break
                                    }
                                    activeSizeI[i] -= 1
                                }
                            }
                            m += 1
                        }

                        if activeSizeI[i] <= 1 {
                            activeSize -= 1
                            index.swapAt(s, activeSize)
                            continue
                        }

                        if maxG - minG <= 1e-12 {
                            s += 1
                            continue
                        }
                        stopping = cMax(maxG - minG, stopping)

                        let act = activeSizeI[i]
                        for m in 0..<act { b[m] = g[m] - ai * alpha[base + alphaIndex[base + m]] }

                        CrammerSingerSolver.solveSubProblem(
                            ai, yIndex[i], cost[i], act, b: b, sortBuffer: sortBuffer, alphaNew: alphaNew)
                        var nz = 0
                        for m in 0..<act {
                            let slot = base + alphaIndex[base + m]
                            let d = alphaNew[m] - alpha[slot]
                            alpha[slot] = alphaNew[m]
                            if d.magnitude >= 1e-12 {
                                dInd[nz] = alphaIndex[base + m]
                                dVal[nz] = d
                                nz += 1
                            }
                        }
                        for k in start[i]..<start[i + 1] {
                            let wBase = Int(column[k]) * nrClass
                            let v = value[k]
                            for t in 0..<nz { w[wBase + dInd[t]] += dVal[t] * v }
                        }
                    }
                    s += 1
                }

                iter += 1
                if stopping < epsShrink {
                    if stopping < eps && startFromAll { break }
                    activeSize = l
                    for i in 0..<l { activeSizeI[i] = nrClass }
                    epsShrink = cMax(epsShrink / 2, eps)
                    startFromAll = true
                } else {
                    startFromAll = false
                }
            }
            return iter
        }
    }

    /// `solve_sub_problem`: the closed-form minimiser of one sample's
    /// sub-problem over its `active` class slots, by sorting `D = B` (with
    /// `D[yi] += A·C`) in descending order and finding the threshold β.
    static func solveSubProblem(
        _ aI: Double, _ yi: Int, _ cYi: Double, _ active: Int, b: UnsafeMutableBufferPointer<Double>,
        sortBuffer d: UnsafeMutableBufferPointer<Double>, alphaNew: UnsafeMutableBufferPointer<Double>
    ) {
        for m in 0..<active { d[m] = b[m] }
        if yi < active { d[yi] += aI * cYi }
        // qsort(compare_double): descending. A stable insertion sort; equal
        // keys are interchangeable (±0 aside, which only the sign of a zero sum could show).
        for m in 1..<max(active, 1) {
            let key = d[m]
            var k = m - 1
            while k >= 0 && d[k] < key {
                d[k + 1] = d[k]
                k -= 1
            }
            d[k + 1] = key
        }

        var beta = d[0] - aI * cYi
        var r = 1
        while r < active && beta < Double(r) * d[r] {
            beta += d[r]
            r += 1
        }
        beta /= Double(r)

        for m in 0..<active {
            if m == yi {
                alphaNew[m] = cMin(cYi, (beta - b[m]) / aI)
            } else {
                alphaNew[m] = cMin(0, (beta - b[m]) / aI)
            }
        }
    }
}
