/// A dense, row-major matrix of `Double` features whose size is checked.
public struct DenseMatrix: Sendable, Hashable {
    public let rows: Int
    public let columns: Int
    /// `rows · columns` values, row after row.
    public let values: [Double]

    /// - Throws: `HingeError.shapeMismatch` naming `argument` when a dimension
    ///   is negative or `values` does not hold exactly `rows · columns` values.
    public init(rows: Int, columns: Int, values: [Double], argument: String = "X") throws(HingeError) {
        guard let count = Tensor<Double>.elementCount(of: [rows, columns]) else {
            throw .shapeMismatch(argument, "shape (\(rows), \(columns)) has a negative dimension or too many elements")
        }
        guard values.count == count else {
            throw .shapeMismatch(argument, "\(values.count) values do not fill shape (\(rows), \(columns)) (\(count))")
        }
        // toCSR() writes rows + 1 offsets, which no columns = 0 matrix bounds.
        guard Validate.fitsInMemory([rows]) else {
            throw .shapeMismatch(argument, "shape (\(rows), \(columns)) has more rows than memory can address offsets for")
        }
        self.rows = rows
        self.columns = columns
        self.values = values
    }
}

/// A compressed-sparse-row matrix, laid out like `scipy.sparse.csr_matrix`:
/// row `r` holds the entries `indptr[r]..<indptr[r+1]` of `indices` (0-based
/// columns) and `values`.
///
/// As in SciPy, the column indices of a row need not be sorted and explicitly
/// stored zeros are kept. scikit-learn hands the stored entries to LIBLINEAR as
/// they are (`csr_to_sparse` in `liblinear_helper.c`), whereas a dense row
/// contributes only its non-zeros; this port does the same, which only
/// matters for rounding (an explicit zero changes no sum in solvers 1–4, and
/// for solver 5 it adds the same term to two sums that are then subtracted).
public struct CSRMatrix: Sendable, Hashable {
    public let rows: Int
    public let columns: Int
    public let indptr: [Int]
    public let indices: [Int]
    public let values: [Double]

    /// - Throws: `HingeError.shapeMismatch` naming `argument` for a negative
    ///   dimension, an `indptr` that is not `rows + 1` non-decreasing offsets from
    ///   0 to `values.count`, `indices` and `values` of different lengths, or a
    ///   column index outside `0..<columns`.
    public init(rows: Int, columns: Int, indptr: [Int], indices: [Int], values: [Double], argument: String = "X")
        throws(HingeError)
    {
        guard rows >= 0, columns >= 0 else {
            throw .shapeMismatch(argument, "shape (\(rows), \(columns)) has a negative dimension")
        }
        // toDense() allocates rows · columns float64s.
        guard Validate.fitsInMemory([rows, columns], bytes: MemoryLayout<Double>.stride) else {
            throw .shapeMismatch(argument, "shape (\(rows), \(columns)) is too large for memory to address its dense form")
        }
        guard indptr.count - 1 == rows else {
            throw .shapeMismatch(argument, "indptr has \(indptr.count) entries, expected rows + 1 = \(rows) + 1")
        }
        guard indices.count == values.count else {
            throw .shapeMismatch(argument, "\(indices.count) column indices for \(values.count) values")
        }
        guard indptr[0] == 0, indptr[rows] == values.count else {
            throw .shapeMismatch(argument, "indptr must run from 0 to the number of stored values (\(values.count)), got \(indptr[0])...\(indptr[rows])")
        }
        for r in 0..<rows where indptr[r] > indptr[r + 1] {
            throw .shapeMismatch(argument, "indptr decreases at row \(r)")
        }
        for (k, column) in indices.enumerated() where !(0..<columns).contains(column) {
            throw .shapeMismatch(argument, "column index \(column) at position \(k) is outside 0..<\(columns)")
        }
        self.rows = rows
        self.columns = columns
        self.indptr = indptr
        self.indices = indices
        self.values = values
    }
}

/// The `X` of scikit-learn's `LinearSVC`: a dense array or a CSR matrix of
/// `float64` (float32 input is cast by scikit-learn, so cast it before).
///
/// Both cases hold validated storage; use ``dense(rows:columns:values:)`` and
/// ``csr(rows:columns:indptr:indices:values:)`` to build one from raw arrays.
public enum FeatureMatrix: Sendable, Hashable {
    case dense(DenseMatrix)
    case sparse(CSRMatrix)

    /// A dense matrix from row-major values.
    /// - Throws: `HingeError.shapeMismatch` naming `X` when the sizes disagree.
    public static func dense(rows: Int, columns: Int, values: [Double]) throws(HingeError) -> FeatureMatrix {
        .dense(try DenseMatrix(rows: rows, columns: columns, values: values))
    }

    /// A CSR matrix from SciPy's three arrays.
    /// - Throws: `HingeError.shapeMismatch` naming `X` when they are inconsistent.
    public static func csr(rows: Int, columns: Int, indptr: [Int], indices: [Int], values: [Double])
        throws(HingeError) -> FeatureMatrix
    {
        .sparse(try CSRMatrix(rows: rows, columns: columns, indptr: indptr, indices: indices, values: values))
    }

    public var rows: Int {
        switch self {
        case .dense(let m): m.rows
        case .sparse(let m): m.rows
        }
    }

    public var columns: Int {
        switch self {
        case .dense(let m): m.columns
        case .sparse(let m): m.columns
        }
    }

    /// The stored values (every entry of a dense matrix).
    var storedValues: [Double] {
        switch self {
        case .dense(let m): m.values
        case .sparse(let m): m.values
        }
    }

    /// The same matrix in CSR form, keeping only the non-zeros of a dense
    /// matrix (`scipy.sparse.csr_matrix(X)`); a CSR matrix is returned as is.
    public func toCSR() -> CSRMatrix {
        switch self {
        case .sparse(let m):
            return m
        case .dense(let m):
            var indptr = [0]
            indptr.reserveCapacity(m.rows + 1)
            var indices: [Int] = []
            var values: [Double] = []
            for r in 0..<m.rows {
                for c in 0..<m.columns {
                    let v = m.values[r * m.columns + c]
                    if v != 0 {
                        indices.append(c)
                        values.append(v)
                    }
                }
                indptr.append(values.count)
            }
            // Built from a valid dense matrix: the invariants hold by construction.
            return CSRMatrix(unchecked: m.rows, m.columns, indptr, indices, values)
        }
    }

    /// The row-major dense values (stored duplicates of a CSR entry are summed, as SciPy's `toarray`).
    public func toDense() -> DenseMatrix {
        switch self {
        case .dense(let m):
            return m
        case .sparse(let m):
            var values = [Double](repeating: 0, count: m.rows * m.columns)
            for r in 0..<m.rows {
                for k in m.indptr[r]..<m.indptr[r + 1] {
                    values[r * m.columns + m.indices[k]] += m.values[k]
                }
            }
            return DenseMatrix(unchecked: m.rows, m.columns, values)
        }
    }

    /// scikit-learn's `check_array(..., ensure_all_finite=True)` and minimum-size checks.
    ///
    /// - Throws: `HingeError.invalidParameter` naming `X` with scikit-learn's
    ///   message for a NaN or an infinity; `.shapeMismatch` for no rows or no columns.
    func validateForSKLearn(estimator: String = "LinearSVC") throws(HingeError) {
        guard rows >= 1 else {
            throw .shapeMismatch(
                "X", "Found array with 0 sample(s) (shape=(\(rows), \(columns))) while a minimum of 1 is required by \(estimator).")
        }
        guard columns >= 1 else {
            throw .shapeMismatch(
                "X", "Found array with 0 feature(s) (shape=(\(rows), \(columns))) while a minimum of 1 is required by \(estimator).")
        }
        try FeatureMatrix.requireFinite(storedValues, "X")
    }

    /// NumPy's finiteness check: NaN is reported before infinity, whichever comes first.
    static func requireFinite(_ values: [Double], _ name: String) throws(HingeError) {
        var sawInfinity = false
        for v in values where !v.isFinite {
            if v.isNaN { throw .invalidParameter(name, "Input \(name) contains NaN.") }
            sawInfinity = true
        }
        if sawInfinity {
            throw .invalidParameter(name, "Input \(name) contains infinity or a value too large for dtype('float64').")
        }
    }
}

extension DenseMatrix {
    /// For matrices built inside this package, whose size is known to match.
    init(unchecked rows: Int, _ columns: Int, _ values: [Double]) {
        assert(values.count == rows * columns)
        self.rows = rows
        self.columns = columns
        self.values = values
    }
}

extension CSRMatrix {
    /// For matrices built inside this package from valid storage.
    init(unchecked rows: Int, _ columns: Int, _ indptr: [Int], _ indices: [Int], _ values: [Double]) {
        assert(indptr.count == rows + 1 && indices.count == values.count)
        self.rows = rows
        self.columns = columns
        self.indptr = indptr
        self.indices = indices
        self.values = values
    }
}
