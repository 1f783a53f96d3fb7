import RealModule

/// PaddlePaddle's `paddle.nn.functional.multi_label_margin_loss` (paddlepaddle 3.3.1),
/// a composite replayed in order: for each target `j` of a row (the labels before its
/// first −1, duplicates again) `Σ_{i∉J} maximum(1 − x[j] + x[i], 0)`, added to the row,
/// then divided by `C`.
///
/// Quirks against torch (each backed by a fixture case):
/// - NaN **propagates** (`maximum`), where torch drops it (`nan-inf`);
/// - `maximum`'s backward **splits a tie**: at the kink the gradient is half (`kink`);
/// - the label is range-checked over the whole tensor (`−1 ≤ v < C`), entries after a
///   row's first −1 included; a label with fewer rows or columns than the input is
///   accepted (missing rows have no targets: `label-2x5`); a label of −1 only fails;
/// - only 2-D inputs and labels.
public struct PaddleMultiLabelMarginLoss<Scalar: Real & BinaryFloatingPoint & Sendable>: Sendable {
    public let reduction: Reduction

    public init(reduction: Reduction = .mean) { self.reduction = reduction }

    /// - Throws: `shapeMismatch` for inputs or labels that are not 2-D (or a label with
    ///   more rows than the input, or `C = 0`); `invalidTarget` for a label outside
    ///   `−1..<C` or without any target.
    public func callAsFunction(input: Tensor<Scalar>, label: Tensor<Int>) throws(HingeError) -> LossAndGradient<Scalar> {
        guard input.rank == 2 else { throw .shapeMismatch("input", "Expected 2D input tensor, but got \(input.rank)D") }
        guard label.rank == 2 else { throw .shapeMismatch("label", "Expected 2D label tensor, but got \(label.rank)D") }
        let n = input.shape[0], c = input.shape[1]
        let rows = label.shape[0], width = label.shape[1]
        if let low = label.scalars.min(), low < -1 { throw .invalidTarget("label", "label values should be >= -1") }
        if let high = label.scalars.max(), high >= c { throw .invalidTarget("label", "label values should be < \(c)") }
        if label.count == 0 {
            guard n == 0 else { throw .shapeMismatch("label", "Broadcast dimension mismatch: an empty label for \(n) rows") }
            return LossAndGradient(
                loss: PaddleKernels.reduce([Scalar](), shape: [0], reduction), gradient: Tensor(uncheckedShape: input.shape, scalars: []))
        }
        var pairs: [(row: Int, target: Int)] = []
        for r in 0..<rows {
            for k in 0..<width {
                let t = label.scalars[r * width + k]
                if t == -1 { break }
                pairs.append((r, t))
            }
        }
        if let (r, _) = pairs.first(where: { $0.row >= n }) {
            throw .shapeMismatch("label", "row \(r) of the label has targets, but the input has \(n) rows (input[row_ids] is out of bounds)")
        }
        guard !pairs.isEmpty else { throw .invalidTarget("label", "no row has a target (every label starts with -1)") }
        var isTarget = [Bool](repeating: false, count: n * c)
        for (r, j) in pairs { isTarget[r * c + j] = true }
        let x = input.scalars
        var losses = [Scalar](repeating: 0, count: n)
        var margins = [[Scalar]]()
        margins.reserveCapacity(pairs.count)
        for (r, j) in pairs {
            let base = r * c
            let m = (0..<c).map { i -> Scalar in isTarget[base + i] ? 0 : (1 - x[base + j]) + x[base + i] }
            // maximum(m, 0) propagates NaN
            let relu = m.map { $0 > 0 || $0.isNaN ? $0 : 0 }
            margins.append(m)
            losses[r] += PaddleKernels.axisSum(relu[...])  // relu_margin.sum(axis=1), scatter_nd_add
        }
        let out = losses.map { $0 / Scalar(c) }
        let g: Scalar = PaddleKernels.seed(count: n, reduction)
        let gLoss = g / Scalar(c)
        var grad = [Scalar](repeating: 0, count: n * c)
        for ((r, j), m) in zip(pairs, margins) {
            let base = r * c
            var acc: Scalar = 0
            for i in 0..<c {
                let share: Scalar = m[i] > 0 ? 1 : (m[i] == 0 ? 0.5 : 0)
                let gm = isTarget[base + i] ? 0 : gLoss * share
                grad[base + i] += gm
                acc += gm
            }
            grad[base + j] -= acc
        }
        return LossAndGradient(
            loss: PaddleKernels.reduce(out, shape: [n], reduction), gradient: Tensor(uncheckedShape: input.shape, scalars: grad))
    }
}
