import RealModule

/// PyTorch's `torch.nn.TripletMarginWithDistanceLoss` /
/// `torch.nn.functional.triplet_margin_with_distance_loss` (torch 2.15.0, Python in
/// `torch/nn/functional.py`):
///
///     loss = clamp_min(margin + d(a, p) − d(a, n), 0)     with swap: d(a, n) := minimum(d(a, n), d(p, n))
///
/// followed by `torch.sum` / `torch.mean`. The distance is a callable in torch; here it
/// is one of the ``DistanceFunction``s, each of which makes the loss the same chain of
/// ATen ops as ``TripletMarginLoss`` with that distance's `p` and `eps`, so that loss
/// computes it.
///
/// Quirks (each in the fixtures):
/// - The checks are Python's, in its order: `reduction` (an invalid one, `None`
///   included, is reported before a bad margin), `margin > 0`, equal ranks; then the
///   distance's broadcasting.
/// - The default distance is `torch.pairwise_distance`: p = 2 with `eps = 1e-6`
///   added to each **difference**, so `a == p` still has a gradient.
/// - There is no `p` or `eps` parameter: a different norm needs a distance function.
public struct TripletMarginWithDistanceLoss<Scalar: Real & BinaryFloatingPoint & Sendable>: Sendable {
    /// The distance functions this port knows, by what torch would be handed.
    public enum DistanceFunction: Hashable, Sendable {
        /// `torch.nn.functional.pairwise_distance(x1, x2, p, eps)`: `‖x1 − x2 + eps‖_p`
        /// over the last dimension. `pairwiseDistance()` is torch's default
        /// (`distance_function=None`).
        case pairwiseDistance(p: Scalar = 2, eps: Scalar = 1e-6)
    }

    public let distanceFunction: DistanceFunction
    public let margin: Scalar
    public let swap: Bool
    public let reduction: Reduction
    public let kinkGradient: KinkGradient
    private let triplet: TripletMarginLoss<Scalar>

    /// - Throws: `HingeError.invalidParameter` for `margin ≤ 0` (or a distance's
    ///   non-positive `p`).
    public init(
        distanceFunction: DistanceFunction = .pairwiseDistance(), margin: Scalar = 1, swap: Bool = false,
        reduction: Reduction = .mean, kinkGradient: KinkGradient = .zero
    ) throws(HingeError) {
        self.distanceFunction = distanceFunction
        self.margin = margin
        self.swap = swap
        self.reduction = reduction
        self.kinkGradient = kinkGradient
        switch distanceFunction {
        case .pairwiseDistance(let p, let eps):
            triplet = try TripletMarginLoss(
                margin: margin, p: p, eps: eps, swap: swap, reduction: reduction, kinkGradient: kinkGradient)
        }
    }

    /// - Throws: `HingeError.shapeMismatch` when the ranks differ or the shapes do not broadcast.
    public func callAsFunction(
        anchor: Tensor<Scalar>, positive: Tensor<Scalar>, negative: Tensor<Scalar>
    ) throws(HingeError) -> TripletMarginLoss<Scalar>.Result {
        try triplet(anchor: anchor, positive: positive, negative: negative)
    }
}
