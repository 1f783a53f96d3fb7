/// A tensor as this package keeps it: row-major scalars and a shape.
public struct Tensor<Scalar: Sendable>: Sendable {
    public var scalars: [Scalar]
    public var shape: [Int]

    public init(_ scalars: [Scalar], shape: [Int]) {
        self.scalars = scalars
        self.shape = shape
    }
}

/// How the per-sample losses are combined, as PyTorch spells it.
public enum Reduction: String, Sendable {
    case none, mean, sum
}

/// Why ``MultiMarginLoss`` refused its arguments (PyTorch raises for each).
public enum MultiMarginLossError: Error, Sendable, Equatable {
    case unsupportedP(Double)
    case inputShape([Int])
    case targetShape(expectedCount: Int, got: [Int])
    case weightShape(expectedCount: Int, got: [Int])
    case targetOutOfRange(Int, classes: Int)
}

/// A port of PyTorch's `torch.nn.functional.multi_margin_loss` (2.x, CPU): for scores `x`
/// of C classes and target class `y`,
///
///     loss(x, y) = Σ_{i ≠ y} w[y] · max(0, margin − x[y] + x[i])^p / C
///
/// evaluated in the order of PyTorch's CPU kernel (`aten/src/ATen/native/LossMultiMargin.cpp`),
/// so that it agrees to the last bit: each row summed in the input's type and divided by C, the
/// batch total accumulated in `Double`, the gradient step `1/(N·C)` (mean) or `1/C` rounded once.
public struct MultiMarginLoss: Sendable {
    public let p: Int
    public let margin: Double
    public let reduction: Reduction

    /// - Throws: ``MultiMarginLossError/unsupportedP(_:)`` unless `p` is 1 or 2 (2.0 is 2).
    public init(p: Double = 1, margin: Double = 1, reduction: Reduction = .mean) throws(MultiMarginLossError) {
        guard p == 1 || p == 2 else { throw .unsupportedP(p) }
        self.p = Int(p)
        self.margin = margin
        self.reduction = reduction
    }

    /// The loss and its gradient with respect to `input`.
    ///
    /// - Parameters:
    ///   - input: `(N, C)` scores, one row `(C)`, or a 0-d score (C = 1).
    ///   - target: one class index per row: `(N)`, or 0-d for a single row (then a `none`
    ///     loss is 0-d too).
    ///   - weight: one weight per class, applied by the target's class.
    public func callAsFunction<T: BinaryFloatingPoint & Sendable>(
        _ input: Tensor<T>, target: Tensor<Int>, weight: Tensor<T>? = nil
    ) throws(MultiMarginLossError) -> (loss: Tensor<T>, gradient: Tensor<T>) {
        let rows = input.shape.count == 2 ? input.shape[0] : 1
        let classes = input.shape.last ?? 1
        guard input.shape.count <= 2, classes > 0 else { throw .inputShape(input.shape) }
        guard target.shape.count <= 1, target.scalars.count == rows else {
            throw .targetShape(expectedCount: rows, got: target.shape)
        }
        if let weight, weight.shape != [classes] { throw .weightShape(expectedCount: classes, got: weight.shape) }
        if let bad = target.scalars.first(where: { !(0..<classes).contains($0) }) {
            throw .targetOutOfRange(bad, classes: classes)
        }

        let x = input.scalars
        let margin = T(margin)
        let step = T(reduction == .mean ? 1 / Double(rows * classes) : 1 / Double(classes))
        var losses = [T](repeating: 0, count: rows)
        var gradient = [T](repeating: 0, count: x.count)
        for n in 0..<rows {
            let y = target.scalars[n], base = n * classes
            let w = weight?.scalars[y] ?? 1
            var sum: T = 0
            for i in 0..<classes where i != y {
                let z = (margin - x[base + y]) + x[base + i]
                guard z > 0 else { continue }  // a NaN score fails this test too: it adds nothing
                let g = (p == 1 ? step : 2 * step * z) * w
                sum += (p == 1 ? z : z * z) * w
                gradient[base + i] = g
                gradient[base + y] -= g
            }
            losses[n] = sum / T(classes)
        }
        let grad = Tensor(gradient, shape: input.shape)
        switch reduction {
        case .none:
            return (Tensor(losses, shape: target.shape.isEmpty ? [] : [rows]), grad)
        case .sum, .mean:
            var total = 0.0
            for loss in losses { total += Double(loss) }
            if reduction == .mean { total /= Double(rows) }
            return (Tensor([T(total)], shape: []), grad)
        }
    }
}
