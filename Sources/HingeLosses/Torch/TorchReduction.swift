/// The reductions of PyTorch's composite losses (`hinge_embedding_loss`,
/// `margin_ranking_loss`, `soft_margin_loss`, `triplet_margin_loss`), which
/// finish with `torch.mean` / `torch.sum` over every element.
///
/// The sum is ``TorchSum``, PyTorch's vectorised cascade in its own order, and
/// the mean divides that rounded sum by the count in the element type, so both
/// are PyTorch's bits. Above 32,768 elements PyTorch's sum depends on its thread
/// count: ``HingeEmbeddingLoss`` takes it as `threads`; the other composite losses
/// reduce as `torch.set_num_threads(1)` does (their outputs are rarely that long:
/// one per sample).
enum TorchReduction {
    /// The reduced output of per-element losses in the broadcast `shape`.
    static func reduce<T: BinaryFloatingPoint>(_ values: [T], shape: [Int], _ reduction: Reduction, threads: Int = 1) -> Tensor<T> {
        switch reduction {
        case .none:
            return Tensor(uncheckedShape: shape, scalars: values)
        case .sum, .mean:
            return scalar(sum: TorchSum.sum(values, threads: threads), count: values.count, reduction)
        }
    }

    /// A reduced output from its sum: `torch.mean` is that rounded sum divided by
    /// the count in the element type (a float32 sum past its range stays inf).
    static func scalar<T: BinaryFloatingPoint>(sum: T, count: Int, _ reduction: Reduction) -> Tensor<T> {
        Tensor(scalar: reduction == .mean ? sum / T(count) : sum)
    }

    /// The gradient flowing into each element from the reduction:
    /// `mean_backward`'s `1 / numel` (computed in `T`, as autograd divides the
    /// incoming gradient by the count) or 1.
    static func upstream<T: BinaryFloatingPoint>(count: Int, _ reduction: Reduction) -> T {
        reduction == .mean ? T(1) / T(count) : 1
    }
}
