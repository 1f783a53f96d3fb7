import RealModule

/// The kernel of scikit-learn 1.9.1's libsvm (`svm/src/libsvm/svm.cpp`, class
/// `Kernel`), on the rows of a dense matrix.
///
/// Training values are `Kernel::kernel_*(i, j)`: dot products are SciPy's
/// OpenBLAS `ddot` (rounded like ``OpenBLASLevel1`` for the kernel set), `poly` is
/// `powi(γ·x·y + coef0, degree)` by binary exponentiation, `rbf` is
/// `exp(−γ·((‖x_i‖² + ‖x_j‖²) − 2·x_i·x_j))` with the squared norms themselves
/// `ddot`s, `sigmoid` is `tanh(γ·x·y + coef0)`; `exp` and `tanh` are the
/// platform libm's (glibc on Linux, like scikit-learn's wheel), whose last bits
/// are machine-dependent. `precomputed` reads `X[i][j]` of the full matrix.
/// Arithmetic is double without fused multiply-adds, as the wheel compiles
/// svm.cpp for baseline x86-64.
struct LibsvmKernel {
    let kernel: SVC.Kernel
    let degree: Int
    let gamma: Double
    let coef0: Double
    let blasKernel: LinearSVC.BLASKernel
    /// Row-major values, `columns` per row.
    let values: [Double]
    let columns: Int
    /// ‖x_i‖² as `ddot(x_i, x_i)` (rbf only).
    let squares: [Double]

    init(
        kernel: SVC.Kernel, degree: Int, gamma: Double, coef0: Double, blasKernel: LinearSVC.BLASKernel,
        values: [Double], columns: Int
    ) {
        self.kernel = kernel
        self.degree = degree
        self.gamma = gamma
        self.coef0 = coef0
        self.blasKernel = blasKernel
        self.values = values
        self.columns = columns
        let rows = columns == 0 ? 0 : values.count / columns
        if kernel == .rbf {
            var squares = [Double](repeating: 0, count: rows)
            values.withUnsafeBufferPointer { v in
                for i in 0..<rows {
                    let row = UnsafeBufferPointer(rebasing: v[(i * columns)..<((i + 1) * columns)])
                    squares[i] = OpenBLASLevel1.dot(row, row, kernel: blasKernel)
                }
            }
            self.squares = squares
        } else {
            self.squares = []
        }
    }

    /// svm.cpp's `powi`.
    static func powi(_ base: Double, _ times: Int) -> Double {
        var tmp = base
        var ret = 1.0
        var t = times
        while t > 0 {
            if t % 2 == 1 { ret *= tmp }
            tmp = tmp * tmp
            t /= 2
        }
        return ret
    }

    /// `Kernel::kernel_function(i, j)` on rows `i` and `j` of the matrix.
    func value(_ i: Int, _ j: Int) -> Double {
        if kernel == .precomputed { return values[i * columns + j] }
        let d = values.withUnsafeBufferPointer { v in
            OpenBLASLevel1.dot(
                UnsafeBufferPointer(rebasing: v[(i * columns)..<((i + 1) * columns)]),
                UnsafeBufferPointer(rebasing: v[(j * columns)..<((j + 1) * columns)]), kernel: blasKernel)
        }
        return Self.finish(kernel, d, gamma: gamma, coef0: coef0, degree: degree) {
            -gamma * ((squares[i] + squares[j]) - 2 * d)
        }
    }

    /// The kernel from a dot product; `rbfArgument` gives exp's argument.
    @inline(__always) static func finish(
        _ kernel: SVC.Kernel, _ d: Double, gamma: Double, coef0: Double, degree: Int, rbfArgument: () -> Double
    ) -> Double {
        switch kernel {
        case .linear, .precomputed: return d
        case .poly: return powi(gamma * d + coef0, degree)
        case .rbf: return Double.exp(rbfArgument())
        case .sigmoid: return Double.tanh(gamma * d + coef0)
        }
    }
}

/// libsvm's `Solver` for C-SVC (`Solver::Solve` with `select_working_set`,
/// `do_shrinking`, `reconstruct_gradient`, `calculate_rho`), a line-for-line
/// port of scikit-learn 1.9.1's svm.cpp.
///
/// It minimises ½αᵀQα − eᵀα subject to yᵀα = 0 and 0 ≤ α_i ≤ C_i with
/// `Q_ij = y_i y_j K(x_i, x_j)` stored as `Float` (libsvm's `Qfloat`), the
/// diagonal `QD` in double. Working sets are chosen by WSS3 (Fan, Chen & Lin,
/// JMLR 6, 2005): i is the *last* index reaching the maximum of −y_i∇f_i over
/// I_up, j the *last* reaching the minimum of −b²/a over I_low (libsvm compares
/// with `>=` and `<=`). Shrinking runs every min(l, 1000) iterations, with one
/// full gradient reconstruction when the violation first drops to 10·eps.
///
/// libsvm caches columns of Q in an LRU cache of `cache_size` MB; a column holds
/// the same values whether cached or recomputed, so results do not depend on the
/// cache. This port caches whole columns (indexed by sample, not by the
/// shrinking permutation) up to the same budget.
struct LibsvmSolver {
    struct Solution {
        /// α_i · y_i in the sub-problem's sample order (libsvm's `alpha[i] *= y[i]`,
        /// so an unused negative sample carries −0.0).
        var alpha: [Double]
        var rho: Double
        var iterations: Int
        var timedOut: Bool
    }

    private enum Status: UInt8 { case lower, upper, free }

    /// The Q columns of one sub-problem, by sample index, in an LRU cache.
    private final class QColumns {
        let l: Int
        let y: [Int8]
        let kernelAt: (Int, Int) -> Double
        var columns: [[Float]?]
        var capacity: Int
        var stamp: [Int]
        var clock = 0
        var cached = 0

        init(l: Int, y: [Int8], cacheBytes: Double, kernelAt: @escaping (Int, Int) -> Double) {
            self.l = l
            self.y = y
            self.kernelAt = kernelAt
            columns = [[Float]?](repeating: nil, count: l)
            stamp = [Int](repeating: 0, count: l)
            let perColumn = Double(max(l, 1) * MemoryLayout<Float>.stride)
            capacity = max(2, Int(min(cacheBytes / perColumn, Double(l))))
        }

        /// Column `i` (sample index): `Float(y_i y_j K(i, j))` for every sample j.
        func column(_ i: Int) -> [Float] {
            clock += 1
            stamp[i] = clock
            if let c = columns[i] { return c }
            if cached >= capacity, let victim = (0..<l).lazy.filter({ self.columns[$0] != nil }).min(by: {
                self.stamp[$0] < self.stamp[$1]
            }) {
                columns[victim] = nil
                cached -= 1
            }
            var c = [Float](repeating: 0, count: l)
            let yi = Double(y[i])
            for j in 0..<l { c[j] = Float(yi * Double(y[j]) * kernelAt(i, j)) }
            columns[i] = c
            cached += 1
            return c
        }
    }

    /// Solves the C-SVC dual of one binary problem of `l` samples.
    ///
    /// - Parameters:
    ///   - y: ±1 per sample.
    ///   - upper: C_i per sample (`W_i · Cp` or `W_i · Cn`), all > 0.
    ///   - kernelAt: `K(i, j)` on sample indices.
    ///   - maxIter: −1 for no limit.
    static func solve(
        l: Int, y: [Int8], upper: [Double], kernelAt: @escaping (Int, Int) -> Double, eps: Double, shrinking: Bool,
        maxIter: Int, cacheBytes: Double
    ) -> Solution {
        let Q = QColumns(l: l, y: y, cacheBytes: cacheBytes, kernelAt: kernelAt)
        let QDsample = (0..<l).map { kernelAt($0, $0) }
        var active = Array(0..<l)  // position -> sample
        var yv = y
        var C = upper
        var alpha = [Double](repeating: 0, count: l)
        var p = [Double](repeating: -1, count: l)
        var G = p
        var Gbar = [Double](repeating: 0, count: l)
        var status = [Status](repeating: .lower, count: l)
        func updateStatus(_ i: Int) {
            status[i] = alpha[i] >= C[i] ? .upper : (alpha[i] <= 0 ? .lower : .free)
        }
        for i in 0..<l { updateStatus(i) }
        var activeSize = l
        var unshrink = false

        func swapIndex(_ i: Int, _ j: Int) {
            active.swapAt(i, j)
            yv.swapAt(i, j)
            G.swapAt(i, j)
            status.swapAt(i, j)
            alpha.swapAt(i, j)
            p.swapAt(i, j)
            Gbar.swapAt(i, j)
            C.swapAt(i, j)
        }

        func reconstructGradient() {
            if activeSize == l { return }
            for j in activeSize..<l { G[j] = Gbar[j] + p[j] }
            var nrFree = 0
            for j in 0..<activeSize where status[j] == .free { nrFree += 1 }
            if nrFree * l > 2 * activeSize * (l - activeSize) {
                for i in activeSize..<l {
                    let Qi = Q.column(active[i])
                    for j in 0..<activeSize where status[j] == .free {
                        G[i] += alpha[j] * Double(Qi[active[j]])
                    }
                }
            } else {
                for i in 0..<activeSize where status[i] == .free {
                    let Qi = Q.column(active[i])
                    let alphaI = alpha[i]
                    for j in activeSize..<l { G[j] += alphaI * Double(Qi[active[j]]) }
                }
            }
        }

        func selectWorkingSet() -> (Int, Int)? {
            var Gmax = -Double.infinity
            var Gmax2 = -Double.infinity
            var GmaxIdx = -1
            var GminIdx = -1
            var objDiffMin = Double.infinity
            for t in 0..<activeSize {
                if yv[t] == 1 {
                    if status[t] != .upper, -G[t] >= Gmax {
                        Gmax = -G[t]
                        GmaxIdx = t
                    }
                } else {
                    if status[t] != .lower, G[t] >= Gmax {
                        Gmax = G[t]
                        GmaxIdx = t
                    }
                }
            }
            let i = GmaxIdx
            let Qi: [Float] = i != -1 ? Q.column(active[i]) : []
            let QDi = i != -1 ? QDsample[active[i]] : 0
            let yi2 = i != -1 ? 2.0 * Double(yv[i]) : 0
            for j in 0..<activeSize {
                if yv[j] == 1 {
                    if status[j] != .lower {
                        let gradDiff = Gmax + G[j]
                        if G[j] >= Gmax2 { Gmax2 = G[j] }
                        if gradDiff > 0 {
                            let quad = QDi + QDsample[active[j]] - yi2 * Double(Qi[active[j]])
                            let objDiff = quad > 0 ? -(gradDiff * gradDiff) / quad : -(gradDiff * gradDiff) / 1e-12
                            if objDiff <= objDiffMin {
                                GminIdx = j
                                objDiffMin = objDiff
                            }
                        }
                    }
                } else {
                    if status[j] != .upper {
                        let gradDiff = Gmax - G[j]
                        if -G[j] >= Gmax2 { Gmax2 = -G[j] }
                        if gradDiff > 0 {
                            let quad = QDi + QDsample[active[j]] + yi2 * Double(Qi[active[j]])
                            let objDiff = quad > 0 ? -(gradDiff * gradDiff) / quad : -(gradDiff * gradDiff) / 1e-12
                            if objDiff <= objDiffMin {
                                GminIdx = j
                                objDiffMin = objDiff
                            }
                        }
                    }
                }
            }
            if Gmax + Gmax2 < eps || GminIdx == -1 { return nil }
            return (GmaxIdx, GminIdx)
        }

        func beShrunk(_ i: Int, _ Gmax1: Double, _ Gmax2: Double) -> Bool {
            switch status[i] {
            case .upper: return yv[i] == 1 ? -G[i] > Gmax1 : -G[i] > Gmax2
            case .lower: return yv[i] == 1 ? G[i] > Gmax2 : G[i] > Gmax1
            case .free: return false
            }
        }

        func doShrinking() {
            var Gmax1 = -Double.infinity
            var Gmax2 = -Double.infinity
            for i in 0..<activeSize {
                if yv[i] == 1 {
                    if status[i] != .upper, -G[i] >= Gmax1 { Gmax1 = -G[i] }
                    if status[i] != .lower, G[i] >= Gmax2 { Gmax2 = G[i] }
                } else {
                    if status[i] != .upper, -G[i] >= Gmax2 { Gmax2 = -G[i] }
                    if status[i] != .lower, G[i] >= Gmax1 { Gmax1 = G[i] }
                }
            }
            if !unshrink && Gmax1 + Gmax2 <= eps * 10 {
                unshrink = true
                reconstructGradient()
                activeSize = l
            }
            var i = 0
            while i < activeSize {
                if beShrunk(i, Gmax1, Gmax2) {
                    activeSize -= 1
                    while activeSize > i {
                        if !beShrunk(activeSize, Gmax1, Gmax2) {
                            swapIndex(i, activeSize)
                            break
                        }
                        activeSize -= 1
                    }
                }
                i += 1
            }
        }

        var iter = 0
        var counter = min(l, 1000) + 1
        var timedOut = false
        while true {
            if maxIter != -1 && iter >= maxIter {
                timedOut = true
                break
            }
            counter -= 1
            if counter == 0 {
                counter = min(l, 1000)
                if shrinking { doShrinking() }
            }
            var pair = selectWorkingSet()
            if pair == nil {
                reconstructGradient()
                activeSize = l
                pair = selectWorkingSet()
                if pair == nil { break }
                counter = 1
            }
            guard let (i, j) = pair else { break }
            iter += 1

            let Qi = Q.column(active[i])
            let Qj = Q.column(active[j])
            let Ci = C[i]
            let Cj = C[j]
            let oldI = alpha[i]
            let oldJ = alpha[j]
            let Qij = Double(Qi[active[j]])
            let QDi = QDsample[active[i]]
            let QDj = QDsample[active[j]]
            if yv[i] != yv[j] {
                var quad = QDi + QDj + 2 * Qij
                if quad <= 0 { quad = 1e-12 }
                let delta = (-G[i] - G[j]) / quad
                let diff = alpha[i] - alpha[j]
                alpha[i] += delta
                alpha[j] += delta
                if diff > 0 {
                    if alpha[j] < 0 {
                        alpha[j] = 0
                        alpha[i] = diff
                    }
                } else {
                    if alpha[i] < 0 {
                        alpha[i] = 0
                        alpha[j] = -diff
                    }
                }
                if diff > Ci - Cj {
                    if alpha[i] > Ci {
                        alpha[i] = Ci
                        alpha[j] = Ci - diff
                    }
                } else {
                    if alpha[j] > Cj {
                        alpha[j] = Cj
                        alpha[i] = Cj + diff
                    }
                }
            } else {
                var quad = QDi + QDj - 2 * Qij
                if quad <= 0 { quad = 1e-12 }
                let delta = (G[i] - G[j]) / quad
                let sum = alpha[i] + alpha[j]
                alpha[i] -= delta
                alpha[j] += delta
                if sum > Ci {
                    if alpha[i] > Ci {
                        alpha[i] = Ci
                        alpha[j] = sum - Ci
                    }
                } else {
                    if alpha[j] < 0 {
                        alpha[j] = 0
                        alpha[i] = sum
                    }
                }
                if sum > Cj {
                    if alpha[j] > Cj {
                        alpha[j] = Cj
                        alpha[i] = sum - Cj
                    }
                } else {
                    if alpha[i] < 0 {
                        alpha[i] = 0
                        alpha[j] = sum
                    }
                }
            }

            let deltaI = alpha[i] - oldI
            let deltaJ = alpha[j] - oldJ
            for k in 0..<activeSize {
                let s = active[k]
                G[k] += Double(Qi[s]) * deltaI + Double(Qj[s]) * deltaJ
            }

            let wasUpperI = status[i] == .upper
            let wasUpperJ = status[j] == .upper
            updateStatus(i)
            updateStatus(j)
            if wasUpperI != (status[i] == .upper) {
                if wasUpperI {
                    for k in 0..<l { Gbar[k] -= Ci * Double(Qi[active[k]]) }
                } else {
                    for k in 0..<l { Gbar[k] += Ci * Double(Qi[active[k]]) }
                }
            }
            if wasUpperJ != (status[j] == .upper) {
                if wasUpperJ {
                    for k in 0..<l { Gbar[k] -= Cj * Double(Qj[active[k]]) }
                } else {
                    for k in 0..<l { Gbar[k] += Cj * Double(Qj[active[k]]) }
                }
            }
        }

        // calculate_rho
        var nrFree = 0
        var ub = Double.infinity
        var lb = -Double.infinity
        var sumFree = 0.0
        for i in 0..<activeSize {
            let yG = Double(yv[i]) * G[i]
            switch status[i] {
            case .upper:
                if yv[i] == -1 { ub = ub < yG ? ub : yG } else { lb = lb > yG ? lb : yG }
            case .lower:
                if yv[i] == 1 { ub = ub < yG ? ub : yG } else { lb = lb > yG ? lb : yG }
            case .free:
                nrFree += 1
                sumFree += yG
            }
        }
        let rho = nrFree > 0 ? sumFree / Double(nrFree) : (ub + lb) / 2

        var out = [Double](repeating: 0, count: l)
        for i in 0..<l { out[active[i]] = alpha[i] }
        for i in 0..<l { out[i] *= Double(y[i]) }
        return Solution(alpha: out, rho: rho, iterations: iter, timedOut: timedOut)
    }
}
