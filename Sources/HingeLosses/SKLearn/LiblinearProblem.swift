/// Rows of a LIBLINEAR problem, stored as LIBLINEAR's `feature_node` lists:
/// row `i` is the entries `start[i]..<start[i+1]` of `index` (0-based column,
/// LIBLINEAR's 1-based index minus one) and `value`.
struct SparseRows: Sendable {
    var start: [Int]
    var index: [Int32]
    var value: [Double]

    var count: Int { start.count - 1 }

    init() {
        start = [0]
        index = []
        value = []
    }

    mutating func append(index j: Int, value v: Double) {
        index.append(Int32(truncatingIfNeeded: j))
        value.append(v)
    }

    mutating func endRow() { start.append(value.count) }

    /// The three arrays as buffers, for the solvers' kernels: one closure instead of three.
    func withUnsafeBuffers<R>(_ body: (SparseRowBuffers) throws -> R) rethrows -> R {
        try start.withUnsafeBufferPointer { start in
            try index.withUnsafeBufferPointer { column in
                try value.withUnsafeBufferPointer { value in
                    try body(SparseRowBuffers(start: start, column: column, value: value))
                }
            }
        }
    }

    /// LIBLINEAR's `transpose`: the columns of an `count × columns` matrix as
    /// rows, each listing its entries in increasing row order.
    func transposed(columns: Int) -> SparseRows {
        var counts = [Int](repeating: 0, count: columns + 1)
        for j in index { counts[Int(j) + 1] += 1 }
        for j in 0..<columns { counts[j + 1] += counts[j] }
        var result = SparseRows()
        result.start = counts
        result.index = [Int32](repeating: 0, count: index.count)
        result.value = [Double](repeating: 0, count: value.count)
        var next = counts
        for i in 0..<count {
            for k in start[i]..<start[i + 1] {
                let j = Int(index[k])
                result.index[next[j]] = Int32(truncatingIfNeeded: i)
                result.value[next[j]] = value[k]
                next[j] += 1
            }
        }
        return result
    }
}

/// ``SparseRows`` as buffers, valid inside ``SparseRows/withUnsafeBuffers(_:)``.
struct SparseRowBuffers {
    /// Row `i` is the entries `start[i]..<start[i+1]`.
    let start: UnsafeBufferPointer<Int>
    /// Each entry's 0-based column.
    let column: UnsafeBufferPointer<Int32>
    let value: UnsafeBufferPointer<Double>
}

extension UnsafeMutableBufferPointer where Element: BitwiseCopyable {
    /// A solver's work array, every element `value`: allocated for one `solve`
    /// (free it with `deallocate()` in a `defer`), so that its kernel takes the
    /// buffer directly instead of one `withUnsafeMutableBufferPointer` closure per array.
    static func workArray(count: Int, repeating value: Element) -> Self {
        let buffer = allocate(capacity: count)
        buffer.initialize(repeating: value)
        return buffer
    }
}

/// The problem LIBLINEAR's `train()` works on, after scikit-learn's
/// conversion (`liblinear_helper.c`) and `train()`'s own preparation
/// (`linear.cpp`):
///
/// - each row keeps only its non-zeros (dense input) or its stored entries
///   (CSR input), in column order, then the bias node `(n_features, bias)`
///   when the intercept is fitted (`bias = intercept_scaling`);
/// - `remove_zero_weight` drops every sample whose weight is ≤ 0 (negative too);
/// - `group_classes` regroups the samples stably by class index (scikit-learn
///   sorts the labels): all class-0 rows in their original order, then class 1, …
///
/// The solvers see the rows in this order, which fixes the random shuffles.
struct LiblinearProblem: Sendable {
    /// The grouped rows, bias node included.
    let rows: SparseRows
    /// Variables: features plus one when the bias is on.
    let variableCount: Int
    /// The class index of each grouped row.
    let labels: [Int]
    /// The sample weight `W_i` of each grouped row (all > 0).
    let weights: [Double]
    let classCount: Int
    /// The first grouped row of each class, and each class's row count.
    let classStart: [Int]
    let classSize: [Int]

    var sampleCount: Int { labels.count }

    /// - Parameters:
    ///   - x: validated features.
    ///   - labels: class indices in `0..<classCount`, one per row of `x`.
    ///   - weights: one finite sample weight per row.
    ///   - bias: the bias feature's value, or `nil` for no intercept.
    /// - Throws: `HingeError.invalidParameter` naming `sample_weight` when a
    ///   class keeps no sample of positive weight. LIBLINEAR would then train a
    ///   model with one class fewer than `classes_` (scikit-learn 1.9.1 returns a
    ///   malformed `coef_` and prints "WARNING: class label k specified in weight
    ///   is not found"); this port refuses instead.
    init(x: FeatureMatrix, labels: [Int], classCount: Int, weights: [Double], bias: Double?) throws(HingeError) {
        let featureCount = x.columns
        let kept = labels.indices.filter { weights[$0] > 0 }
        var classSize = [Int](repeating: 0, count: classCount)
        for i in kept { classSize[labels[i]] += 1 }
        if let empty = classSize.firstIndex(of: 0) {
            throw .invalidParameter(
                "sample_weight",
                "every sample of class index \(empty) has a weight <= 0; LIBLINEAR would drop the class and return a model with fewer classes than classes_")
        }
        var classStart = [Int](repeating: 0, count: classCount)
        for k in 1..<max(classCount, 1) { classStart[k] = classStart[k - 1] + classSize[k - 1] }
        // Stable counting sort by class (group_classes' perm).
        var order = [Int](repeating: 0, count: kept.count)
        var next = classStart
        for i in kept {
            order[next[labels[i]]] = i
            next[labels[i]] += 1
        }

        var rows = SparseRows()
        rows.start.reserveCapacity(order.count + 1)
        let entries: Int
        switch x {
        case .dense(let m): entries = m.values.count
        case .sparse(let m): entries = m.values.count
        }
        rows.index.reserveCapacity(entries + order.count)
        rows.value.reserveCapacity(entries + order.count)
        switch x {
        case .dense(let m):
            m.values.withUnsafeBufferPointer { values in
                for i in order {
                    let base = i * m.columns
                    for j in 0..<m.columns where values[base + j] != 0 {
                        rows.append(index: j, value: values[base + j])
                    }
                    if let bias { rows.append(index: featureCount, value: bias) }
                    rows.endRow()
                }
            }
        case .sparse(let m):
            // One pass into storage of the final size, without per-element bounds or capacity checks.
            var total = order.count * (bias == nil ? 0 : 1)
            for i in order { total += m.indptr[i + 1] - m.indptr[i] }
            var start = [Int](repeating: 0, count: order.count + 1)
            var index = [Int32](repeating: 0, count: total)
            var value = [Double](repeating: 0, count: total)
            m.indptr.withUnsafeBufferPointer { indptr in
                m.indices.withUnsafeBufferPointer { indices in
                    m.values.withUnsafeBufferPointer { values in
                        index.withUnsafeMutableBufferPointer { index in
                            value.withUnsafeMutableBufferPointer { value in
                                var e = 0
                                for (r, i) in order.enumerated() {
                                    for k in indptr[i]..<indptr[i + 1] {
                                        index[e] = Int32(truncatingIfNeeded: indices[k])
                                        value[e] = values[k]
                                        e &+= 1
                                    }
                                    if let bias {
                                        index[e] = Int32(truncatingIfNeeded: featureCount)
                                        value[e] = bias
                                        e &+= 1
                                    }
                                    start[r + 1] = e
                                }
                            }
                        }
                    }
                }
            }
            rows.start = start
            rows.index = index
            rows.value = value
        }
        self.rows = rows
        self.variableCount = featureCount + (bias == nil ? 0 : 1)
        self.labels = order.map { labels[$0] }
        self.weights = order.map { weights[$0] }
        self.classCount = classCount
        self.classStart = classStart
        self.classSize = classSize
    }
}

/// `min`/`max` exactly as LIBLINEAR's templates (`(x<y)?x:y`, `(x>y)?x:y`), so
/// that ties between ±0 and comparisons with NaN resolve as in C.
@inline(__always) func cMin(_ x: Double, _ y: Double) -> Double { x < y ? x : y }
@inline(__always) func cMax(_ x: Double, _ y: Double) -> Double { x > y ? x : y }
