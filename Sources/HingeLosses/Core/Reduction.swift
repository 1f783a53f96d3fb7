/// How a loss combines its per-element values into the returned output.
///
/// This is the `reduction` keyword of PyTorch's losses and of the textbook
/// suites: `none` returns the per-element losses, `sum` their sum and `mean`
/// their sum divided by their count. The framework-specific reductions (Keras's
/// `sum_over_batch_size`, TF v1's `weighted_sum_by_nonzero_weights`, ...) live
/// with their frameworks.
public enum Reduction: String, Hashable, Sendable, CaseIterable {
    case none
    case mean
    case sum

    /// Parses a framework's `reduction` string.
    ///
    /// - Throws: `HingeError.invalidParameter` naming `reduction` for any other string.
    public init(parsing name: String) throws(HingeError) {
        self = try .parsed(name) {
            .invalidParameter("reduction", "\"\($0)\" is not a valid value; expected one of \"none\", \"mean\", \"sum\"")
        }
    }
}

extension Reduction {
    /// Reduces per-element losses and scales their per-element gradients to match.
    ///
    /// The sum runs sequentially, left to right, in `T`: the order the NumPy
    /// mirror uses, so textbook results agree to rounding of the last operation.
    /// `mean` of no elements is NaN (0/0), `sum` of none is 0; the gradient of
    /// `mean` is each element's derivative divided by the count.
    ///
    /// - Parameters:
    ///   - values: per-element losses, in the shape of `shape`.
    ///   - gradients: per-element derivatives of the loss with respect to one input,
    ///     rewritten in place to the gradient of the reduced output.
    /// - Throws: `HingeError.shapeMismatch` naming `values` when they do not fill `shape`.
    @inlinable
    package func apply<T: BinaryFloatingPoint>(
        to values: [T], shape: [Int], gradients: inout [[T]]
    ) throws(HingeError) -> Tensor<T> {
        guard Tensor<T>.elementCount(of: shape) == values.count else {
            throw .shapeMismatch("values", "\(values.count) values do not fill shape \(shape)")
        }
        switch self {
        case .none:
            return Tensor(uncheckedShape: shape, scalars: values)
        case .sum:
            return Tensor(scalar: Reduction.sequentialSum(values))
        case .mean:
            let n = T(values.count)
            for g in gradients.indices {
                for i in gradients[g].indices { gradients[g][i] /= n }
            }
            return Tensor(scalar: Reduction.sequentialSum(values) / n)
        }
    }

    /// The left-to-right sum of `values` in `T`: `((v0 + v1) + v2) + ...`.
    ///
    /// It starts from the first element rather than from +0 so that the sum of
    /// `[-0.0]` is `-0.0`, as NumPy's reductions give; the sum of nothing is +0.
    @inlinable
    package static func sequentialSum<T: BinaryFloatingPoint>(_ values: [T]) -> T {
        guard var total = values.first else { return 0 }
        for v in values.dropFirst() { total += v }
        return total
    }
}
