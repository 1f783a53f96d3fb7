import RealModule

/// PyTorch's multi-class margin loss, `torch.nn.MultiMarginLoss` /
/// `torch.nn.functional.multi_margin_loss`, bit for bit as its CPU kernel
/// computes it.
///
/// For a row `x` of `C` scores with target class `y`:
///
///     loss(x, y) = Σ_{i ≠ y} w[y] · max(0, margin − x[y] + x[i])^p / C
///
/// Quirks that ports get wrong:
/// - the sum is divided by **C**, the number of classes, not `C − 1`;
/// - `weight` is indexed by the **target** class and multiplies each term
///   **after** the power (`w[y]·z²`, not `(w[y]·z)²`); negative weights are allowed;
/// - `mean` averages over samples only (the `1/C` is already inside);
/// - a NaN score fails the strict `z > 0` test and so contributes **nothing**
///   (eager PyTorch drops it; `torch.compile` would propagate it);
/// - at the kink `z == 0` the gradient is 0, in every PyTorch version.
///
/// The evaluation order is the kernel's: `margin` rounded to the input's type,
/// `z = (margin − x[y]) + x[i]`, terms summed in the input's type per sample,
/// the batch in `Double`; the gradient step is `1/(N·C)` (mean) or `1/C`
/// rounded once to the input's type. The fixtures hold it to 0 ULP.
public struct MultiMarginLoss<Scalar: Real & BinaryFloatingPoint & Sendable>: Sendable {
    /// 1 or 2.
    public let p: Int
    public let margin: Scalar
    /// One weight per class, or `nil` for all ones.
    public let weight: Tensor<Scalar>?
    public let reduction: Reduction

    /// - Throws: `HingeError.invalidParameter` for `p` other than 1 or 2;
    ///   `.shapeMismatch` for a weight that is not one-dimensional.
    public init(p: Int = 1, margin: Scalar = 1, weight: Tensor<Scalar>? = nil, reduction: Reduction = .mean)
        throws(HingeError)
    {
        guard p == 1 || p == 2 else { throw .invalidParameter("p", "only p == 1 and p == 2 supported") }
        if let weight, weight.rank != 1 {
            throw .shapeMismatch("weight", "weight must be one-dimensional, got shape \(weight.shape)")
        }
        self.p = p
        self.margin = margin
        self.weight = weight
        self.reduction = reduction
    }

    /// The loss and its gradient with respect to `input`.
    ///
    /// - Parameters:
    ///   - input: `(N, C)`, `(C)` or a 0-d score (then C = 1).
    ///   - target: class indices, `(N)` for `(N, C)`; a 0-d or 1-element tensor for a single row.
    ///     A 0-d target makes the `none` output 0-d.
    /// - Throws: `HingeError.shapeMismatch` for an input of rank > 2 or C = 0, a target
    ///   that does not hold one index per row, or a weight without C elements;
    ///   `.invalidTarget` for an index outside `0..<C`.
    public func callAsFunction(input: Tensor<Scalar>, target: Tensor<Int>) throws(HingeError) -> LossAndGradient<Scalar> {
        let (rows, classes) = try TorchMultiClassShape.rowsAndClasses(of: input)
        guard target.rank <= 1, target.count == rows else {
            throw .shapeMismatch(
                "target",
                "multi_margin_loss: target tensor should be 1-D with size equal to the number of input samples (batch size). Expected target size [\(rows)], but got \(target.shape). Input has shape \(input.shape)."
            )
        }
        if let weight, weight.count != classes {
            throw .shapeMismatch("weight", "inconsistent weight size, expected \(classes) but got \(weight.shape)")
        }
        for label in target.scalars where !(0..<classes).contains(label) {
            throw .invalidTarget("target", "target out of range: class index \(label) is outside 0..<\(classes)")
        }

        let x = input.scalars
        let c = Scalar(classes)
        var values = [Scalar](repeating: 0, count: rows)
        var gradient = [Scalar](repeating: 0, count: x.count)
        let step = Scalar(reduction == .mean ? 1.0 / Double(rows * classes) : 1.0 / Double(classes))
        for n in 0..<rows {
            let y = target.scalars[n]
            let base = n * classes
            let xt = x[base + y]
            let w = weight?.scalars[y]
            var sum: Scalar = 0
            var gradientAtTarget: Scalar = 0
            for d in 0..<classes where d != y {
                let z = (margin - xt) + x[base + d]
                guard z > 0 else { continue }
                var h = p == 1 ? z : z * z
                var g = p == 1 ? step : (2 * step) * z
                if let w {
                    h = h * w
                    g = g * w
                }
                sum += h
                gradient[base + d] = g
                gradientAtTarget -= g
            }
            gradient[base + y] = gradientAtTarget
            values[n] = sum / c
        }

        let loss: Tensor<Scalar>
        switch reduction {
        case .none:
            loss = Tensor(uncheckedShape: target.rank == 0 ? [] : [rows], scalars: values)
        case .sum, .mean:
            // The kernel's batch accumulator is acc_type<scalar_t> on CPU: double.
            var total = 0.0
            for v in values { total += Double(v) }
            // PyTorch leaves the mean and sum of an empty batch unwritten
            // (uninitialised memory); we give 0/0 = NaN and 0.
            if reduction == .mean { total /= Double(rows) }
            loss = Tensor(scalar: Scalar(total))
        }
        return LossAndGradient(loss: loss, gradient: Tensor(uncheckedShape: input.shape, scalars: gradient))
    }
}
