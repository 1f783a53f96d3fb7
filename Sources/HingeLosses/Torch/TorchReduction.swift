/// The reductions of PyTorch's composite losses (`hinge_embedding_loss`,
/// `margin_ranking_loss`, `soft_margin_loss`, `triplet_margin_loss`), which
/// finish with `torch.mean` / `torch.sum` over every element.
///
/// PyTorch's CPU sum is a vectorised cascade, not a sequential loop, so no
/// simple order reproduces it bit for bit; we accumulate in `Double`, which is
/// at least as accurate, and round once. The elementwise (`none`) outputs are
/// unaffected and stay exact.
enum TorchReduction {
    /// The reduced output of per-element losses in the broadcast `shape`.
    static func reduce<T: BinaryFloatingPoint>(_ values: [T], shape: [Int], _ reduction: Reduction) -> Tensor<T> {
        switch reduction {
        case .none:
            return Tensor(uncheckedShape: shape, scalars: values)
        case .sum, .mean:
            var total = 0.0
            for v in values { total += Double(v) }
            // `torch.mean` is `sum / numel` in the tensor's dtype: the sum is
            // rounded (a float32 sum past its range is inf) before dividing.
            let sum = T(total)
            return Tensor(scalar: reduction == .mean ? sum / T(values.count) : sum)
        }
    }

    /// The gradient flowing into each element from the reduction:
    /// `mean_backward`'s `1 / numel` (computed in `T`, as autograd divides the
    /// incoming gradient by the count) or 1.
    static func upstream<T: BinaryFloatingPoint>(count: Int, _ reduction: Reduction) -> T {
        reduction == .mean ? T(1) / T(count) : 1
    }
}
