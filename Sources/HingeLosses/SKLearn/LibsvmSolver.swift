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
    /// CSR rows with sorted columns when the model is sparse (libsvm's `svm_csr`):
    /// dot products are then sequential sums over matching columns, without BLAS.
    let sparse: SortedCSR?

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
        self.sparse = nil
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

    /// The sparse kernel (`svm_csr`) on the rows of `sparse`.
    init(kernel: SVC.Kernel, degree: Int, gamma: Double, coef0: Double, sparse: SortedCSR) {
        self.kernel = kernel
        self.degree = degree
        self.gamma = gamma
        self.coef0 = coef0
        self.blasKernel = .haswell
        self.values = []
        self.columns = 0
        self.sparse = sparse
        squares = kernel == .rbf ? (0..<sparse.rows).map { sparse.dot($0, sparse, $0) } : []
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
        values.withUnsafeBufferPointer { value($0, i, j) }
    }

    /// `value(i, j)` with the matrix's storage already at hand.
    @inline(__always) func value(_ v: UnsafeBufferPointer<Double>, _ i: Int, _ j: Int) -> Double {
        if kernel == .precomputed { return v[i * columns + j] }
        if let sparse {
            let d = sparse.dot(i, sparse, j)
            return Self.finish(kernel, d, gamma: gamma, coef0: coef0, degree: degree) {
                -gamma * ((squares[i] + squares[j]) - 2 * d)
            }
        }
        let d = OpenBLASLevel1.dot(
            UnsafeBufferPointer(rebasing: v[(i * columns)..<((i + 1) * columns)]),
            UnsafeBufferPointer(rebasing: v[(j * columns)..<((j + 1) * columns)]), kernel: blasKernel)
        switch kernel {
        case .rbf: return Double.exp(-gamma * ((squares[i] + squares[j]) - 2 * d))
        case .poly: return Self.powi(gamma * d + coef0, degree)
        case .sigmoid: return Double.tanh(gamma * d + coef0)
        case .linear, .precomputed: return d
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

/// CSR rows whose columns are sorted within each row (scikit-learn calls
/// `X.sort_indices()` before handing the rows to libsvm's `svm_csr` code);
/// explicitly stored zeros are kept, as scikit-learn keeps them.
struct SortedCSR: Sendable {
    let rows: Int
    let indptr: [Int]
    let indices: [Int]
    let values: [Double]

    init(_ m: CSRMatrix) {
        var indices = m.indices
        var values = m.values
        for r in 0..<m.rows {
            let range = m.indptr[r]..<m.indptr[r + 1]
            if range.count > 1 && !zip(indices[range].dropLast(), indices[range].dropFirst()).allSatisfy({ $0 <= $1 }) {
                let order = range.sorted { (indices[$0], $0) < (indices[$1], $1) }
                let (i, v) = (order.map { indices[$0] }, order.map { values[$0] })
                indices.replaceSubrange(range, with: i)
                values.replaceSubrange(range, with: v)
            }
        }
        rows = m.rows
        indptr = m.indptr
        self.indices = indices
        self.values = values
    }

    private init(rows: Int, indptr: [Int], indices: [Int], values: [Double]) {
        self.rows = rows
        self.indptr = indptr
        self.indices = indices
        self.values = values
    }

    /// The rows `picked`, in that order.
    func rows(_ picked: [Int]) -> SortedCSR {
        var indptr = [0]
        var indices: [Int] = []
        var values: [Double] = []
        for r in picked {
            indices.append(contentsOf: self.indices[self.indptr[r]..<self.indptr[r + 1]])
            values.append(contentsOf: self.values[self.indptr[r]..<self.indptr[r + 1]])
            indptr.append(values.count)
        }
        return SortedCSR(rows: picked.count, indptr: indptr, indices: indices, values: values)
    }

    /// `svm_csr` `Kernel::dot`: products of matching columns, summed in column order.
    func dot(_ i: Int, _ other: SortedCSR, _ j: Int) -> Double {
        var sum = 0.0
        var p = indptr[i]
        var q = other.indptr[j]
        let pEnd = indptr[i + 1]
        let qEnd = other.indptr[j + 1]
        while p < pEnd && q < qEnd {
            if indices[p] == other.indices[q] {
                sum += values[p] * other.values[q]
                p += 1
                q += 1
            } else if indices[p] > other.indices[q] {
                q += 1
            } else {
                p += 1
            }
        }
        return sum
    }

    /// `svm_csr` `k_function`'s rbf sum: (x − y)² on shared columns, x² or y² on the
    /// others, in column order, then the rest of x, then the rest of y.
    func squaredDistance(_ i: Int, _ other: SortedCSR, _ j: Int) -> Double {
        var sum = 0.0
        var p = indptr[i]
        var q = other.indptr[j]
        let pEnd = indptr[i + 1]
        let qEnd = other.indptr[j + 1]
        while p < pEnd && q < qEnd {
            if indices[p] == other.indices[q] {
                let d = values[p] - other.values[q]
                sum += d * d
                p += 1
                q += 1
            } else if indices[p] > other.indices[q] {
                sum += other.values[q] * other.values[q]
                q += 1
            } else {
                sum += values[p] * values[p]
                p += 1
            }
        }
        while p < pEnd {
            sum += values[p] * values[p]
            p += 1
        }
        while q < qEnd {
            sum += other.values[q] * other.values[q]
            q += 1
        }
        return sum
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
/// with `>=` and `<=`, so NaN gradients never qualify). Shrinking runs every
/// min(l, 1000) iterations, with one full gradient reconstruction when the
/// violation first drops to 10·eps.
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
    private struct QColumns {
        let l: Int
        let y: [Int8]
        let kernel: LibsvmKernel
        /// The kernel's row of each sample.
        let rows: [Int]
        var columns: [[Float]?]
        let capacity: Int
        var stamp: [Int]
        var clock = 0
        var cached = 0

        init(y: [Int8], kernel: LibsvmKernel, rows: [Int], cacheBytes: Double) {
            l = y.count
            self.y = y
            self.kernel = kernel
            self.rows = rows
            columns = [[Float]?](repeating: nil, count: l)
            stamp = [Int](repeating: 0, count: l)
            let perColumn = Double(max(l, 1) * MemoryLayout<Float>.stride)
            capacity = max(2, Int(min(cacheBytes / perColumn, Double(l))))
        }

        /// Column `i` (sample index): `Float(y_i y_j K(i, j))` for every sample j.
        mutating func column(_ i: Int) -> [Float] {
            clock += 1
            stamp[i] = clock
            if let c = columns[i] { return c }
            if cached >= capacity {
                var victim = -1
                for k in 0..<l where columns[k] != nil && (victim == -1 || stamp[k] < stamp[victim]) { victim = k }
                if victim >= 0 {
                    columns[victim] = nil
                    cached -= 1
                }
            }
            let yi = Double(y[i])
            let ri = rows[i]
            let c = [Float](unsafeUninitializedCapacity: l) { out, count in
                kernel.values.withUnsafeBufferPointer { v in
                    for j in 0..<l { out[j] = Float(yi * Double(y[j]) * kernel.value(v, ri, rows[j])) }
                }
                count = l
            }
            columns[i] = c
            cached += 1
            return c
        }
    }

    private var Q: QColumns
    private let QD: [Double]  // by sample
    private let l: Int
    private let eps: Double
    private var active: [Int]  // position -> sample
    private var y: [Int8]
    private var C: [Double]
    private var alpha: [Double]
    private var p: [Double]
    private var G: [Double]
    private var Gbar: [Double]
    private var status: [Status]
    private var activeSize: Int
    private var unshrink = false

    private init(y: [Int8], upper: [Double], kernel: LibsvmKernel, rows: [Int], eps: Double, cacheBytes: Double) {
        l = y.count
        Q = QColumns(y: y, kernel: kernel, rows: rows, cacheBytes: cacheBytes)
        QD = kernel.values.withUnsafeBufferPointer { v in rows.map { kernel.value(v, $0, $0) } }
        self.eps = eps
        active = Array(0..<l)
        self.y = y
        C = upper
        alpha = [Double](repeating: 0, count: l)
        p = [Double](repeating: -1, count: l)
        G = p
        Gbar = [Double](repeating: 0, count: l)
        status = [Status](repeating: .lower, count: l)
        activeSize = l
        for i in 0..<l { updateStatus(i) }
    }

    /// Solves the C-SVC dual of one binary problem.
    ///
    /// - Parameters:
    ///   - y: ±1 per sample.
    ///   - upper: C_i per sample (`W_i · Cp` or `W_i · Cn`), all > 0.
    ///   - kernel, rows: `K(i, j) = kernel.value(rows[i], rows[j])`.
    ///   - maxIter: −1 for no limit.
    static func solve(
        y: [Int8], upper: [Double], kernel: LibsvmKernel, rows: [Int], eps: Double, shrinking: Bool, maxIter: Int,
        cacheBytes: Double
    ) -> Solution {
        var solver = LibsvmSolver(y: y, upper: upper, kernel: kernel, rows: rows, eps: eps, cacheBytes: cacheBytes)
        let (iterations, timedOut) = solver.run(shrinking: shrinking, maxIter: maxIter)
        let rho = solver.calculateRho()
        var out = [Double](repeating: 0, count: solver.l)
        for i in 0..<solver.l { out[solver.active[i]] = solver.alpha[i] }
        for i in 0..<solver.l { out[i] *= Double(y[i]) }
        return Solution(alpha: out, rho: rho, iterations: iterations, timedOut: timedOut)
    }

    private mutating func updateStatus(_ i: Int) {
        status[i] = alpha[i] >= C[i] ? .upper : (alpha[i] <= 0 ? .lower : .free)
    }

    private mutating func swapIndex(_ i: Int, _ j: Int) {
        active.swapAt(i, j)
        y.swapAt(i, j)
        G.swapAt(i, j)
        status.swapAt(i, j)
        alpha.swapAt(i, j)
        p.swapAt(i, j)
        Gbar.swapAt(i, j)
        C.swapAt(i, j)
    }

    private mutating func reconstructGradient() {
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

    private mutating func selectWorkingSet() -> (Int, Int)? {
        var Gmax = -Double.infinity
        var Gmax2 = -Double.infinity
        var GmaxIdx = -1
        var GminIdx = -1
        var objDiffMin = Double.infinity
        for t in 0..<activeSize {
            if y[t] == 1 {
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
        let QDi = i != -1 ? QD[active[i]] : 0
        let yi2 = i != -1 ? 2.0 * Double(y[i]) : 0
        for j in 0..<activeSize {
            if y[j] == 1 {
                if status[j] != .lower {
                    let gradDiff = Gmax + G[j]
                    if G[j] >= Gmax2 { Gmax2 = G[j] }
                    if gradDiff > 0 {
                        let quad = QDi + QD[active[j]] - yi2 * Double(Qi[active[j]])
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
                        let quad = QDi + QD[active[j]] + yi2 * Double(Qi[active[j]])
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

    private func beShrunk(_ i: Int, _ Gmax1: Double, _ Gmax2: Double) -> Bool {
        switch status[i] {
        case .upper: return y[i] == 1 ? -G[i] > Gmax1 : -G[i] > Gmax2
        case .lower: return y[i] == 1 ? G[i] > Gmax2 : G[i] > Gmax1
        case .free: return false
        }
    }

    private mutating func doShrinking() {
        var Gmax1 = -Double.infinity
        var Gmax2 = -Double.infinity
        for i in 0..<activeSize {
            if y[i] == 1 {
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

    /// The optimisation loop of `Solver::Solve`: (iterations, stopped at max_iter).
    private mutating func run(shrinking: Bool, maxIter: Int) -> (Int, Bool) {
        var iter = 0
        var counter = min(l, 1000) + 1
        while true {
            if maxIter != -1 && iter >= maxIter { return (iter, true) }
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
                if pair == nil { return (iter, false) }
                counter = 1
            }
            guard let (i, j) = pair else { return (iter, false) }
            iter += 1
            step(i, j)
        }
    }

    /// One SMO update of α_i and α_j ("handle bounds carefully"), then G, the
    /// statuses and G_bar.
    private mutating func step(_ i: Int, _ j: Int) {
        let Qi = Q.column(active[i])
        let Qj = Q.column(active[j])
        let Ci = C[i]
        let Cj = C[j]
        let oldI = alpha[i]
        let oldJ = alpha[j]
        let Qij = Double(Qi[active[j]])
        let QDi = QD[active[i]]
        let QDj = QD[active[j]]
        if y[i] != y[j] {
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
        let n = activeSize
        Qi.withUnsafeBufferPointer { qi in
            Qj.withUnsafeBufferPointer { qj in
                active.withUnsafeBufferPointer { a in
                    G.withUnsafeMutableBufferPointer { g in
                        for k in 0..<n {
                            let s = a[k]
                            g[k] += Double(qi[s]) * deltaI + Double(qj[s]) * deltaJ
                        }
                    }
                }
            }
        }

        let wasUpperI = status[i] == .upper
        let wasUpperJ = status[j] == .upper
        updateStatus(i)
        updateStatus(j)
        if wasUpperI != (status[i] == .upper) { updateGbar(Qi, Ci, subtract: wasUpperI) }
        if wasUpperJ != (status[j] == .upper) { updateGbar(Qj, Cj, subtract: wasUpperJ) }
    }

    /// `G_bar[k] -= C·Q[k]` (`subtract`) or `G_bar[k] += C·Q[k]`, over every position.
    private mutating func updateGbar(_ column: [Float], _ c: Double, subtract: Bool) {
        for k in 0..<l {
            let term = c * Double(column[active[k]])
            if subtract { Gbar[k] -= term } else { Gbar[k] += term }
        }
    }

    /// `calculate_rho`: the mean of y_i G_i over the free variables, else the
    /// midpoint of the bounds (libsvm's `min`/`max` templates: `(x<y)?x:y`).
    private func calculateRho() -> Double {
        var nrFree = 0
        var ub = Double.infinity
        var lb = -Double.infinity
        var sumFree = 0.0
        for i in 0..<activeSize {
            let yG = Double(y[i]) * G[i]
            switch status[i] {
            case .upper:
                if y[i] == -1 { ub = ub < yG ? ub : yG } else { lb = lb > yG ? lb : yG }
            case .lower:
                if y[i] == 1 { ub = ub < yG ? ub : yG } else { lb = lb > yG ? lb : yG }
            case .free:
                nrFree += 1
                sumFree += yG
            }
        }
        return nrFree > 0 ? sumFree / Double(nrFree) : (ub + lb) / 2
    }
}
