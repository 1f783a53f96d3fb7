import RealModule

/// PyTorch's multi-label margin loss, `torch.nn.MultiLabelMarginLoss` /
/// `torch.nn.functional.multilabel_margin_loss`, bit for bit as its CPU kernel
/// computes it.
///
/// For a row `x` of `C` scores and its target row (class indices padded with −1):
///
///     loss(x, y) = Σ_{j ∈ J} Σ_{i ∉ J} max(0, 1 − (x[j] − x[i])) / C
///
/// where `J` is the **prefix** of the target before its first −1. Quirks:
/// - entries after the first −1 are ignored but still range-checked (−1 ≤ t < C);
/// - a class listed twice before the −1 counts twice;
/// - a 1-D input gives a 0-d output, even for `none`;
/// - at the kink `z == 0` the gradient is 0, in every PyTorch version.
///
/// The evaluation order is the kernel's: `z = (1 − x[j]) + x[i]` in the input's
/// type, the per-sample sum in `Double`, the batch in `Double`; the gradient step
/// is `1/(N·C)` (mean) or `1/C` rounded once to the input's type.
public struct MultiLabelMarginLoss<Scalar: Real & BinaryFloatingPoint & Sendable>: Sendable {
    public let reduction: Reduction

    public init(reduction: Reduction = .mean) {
        self.reduction = reduction
    }

    /// The loss and its gradient with respect to `input`.
    ///
    /// - Parameters:
    ///   - input: `(N, C)`, `(C)`, or a 0-d score (C = 1).
    ///   - target: class indices of the same shape as `input` (one element for a 0-d input).
    /// - Throws: `HingeError.shapeMismatch` for an input of rank > 2 or C = 0, or a target
    ///   of another shape; `.invalidTarget` for an index outside `−1..<C`.
    public func callAsFunction(input: Tensor<Scalar>, target: Tensor<Int>) throws(HingeError) -> LossAndGradient<Scalar> {
        let (rows, classes) = try TorchMultiClassShape.rowsAndClasses(of: input)
        let targetFits = input.rank <= 1 ? (target.rank <= 1 && target.count == classes) : target.shape == input.shape
        guard targetFits else {
            throw .shapeMismatch("target", "inconsistent target size: \(target.shape) for input of size: \(input.shape)")
        }
        for label in target.scalars where !(-1..<classes).contains(label) {
            throw .invalidTarget("target", "argument #2 'target' is out of range: \(label) is outside -1..<\(classes)")
        }

        let x = input.scalars
        var perSample = [Double](repeating: 0, count: rows)
        var gradient = [Scalar](repeating: 0, count: x.count)
        let step = Scalar(reduction == .mean ? 1.0 / Double(rows * classes) : 1.0 / Double(classes))
        // Only rows use it: an empty batch may have any number of classes ([0, Int.max]).
        var isTarget = [Bool](repeating: false, count: rows == 0 ? 0 : classes)
        for n in 0..<rows {
            let base = n * classes
            let labels = target.scalars[base..<(base + classes)]
            let prefix = labels.prefix { $0 != -1 }
            for i in 0..<classes { isTarget[i] = false }
            for j in prefix { isTarget[j] = true }
            var sum = 0.0
            for j in prefix {
                let xj = x[base + j]
                for i in 0..<classes where !isTarget[i] {
                    let z = (1 - xj) + x[base + i]
                    guard z > 0 else { continue }
                    sum += Double(z)
                    gradient[base + j] -= step
                    gradient[base + i] += step
                }
            }
            perSample[n] = sum
        }

        let loss: Tensor<Scalar>
        switch reduction {
        case .none:
            let values = perSample.map { Scalar($0) / Scalar(classes) }
            loss = Tensor(uncheckedShape: input.rank <= 1 ? [] : [rows], scalars: values)
        case .sum, .mean:
            var total = 0.0
            for s in perSample { total += Double(Scalar(s)) }
            total /= Double(classes)
            // PyTorch leaves the mean and sum of an empty batch unwritten; we give NaN and 0.
            if reduction == .mean { total /= Double(rows) }
            loss = Tensor(scalar: Scalar(total))
        }
        return LossAndGradient(loss: loss, gradient: Tensor(uncheckedShape: input.shape, scalars: gradient))
    }
}
