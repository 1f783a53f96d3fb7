import RealModule

/// PyTorch's hinge embedding loss, `torch.nn.HingeEmbeddingLoss` /
/// `torch.nn.functional.hinge_embedding_loss`: a loss on **distances**, and
/// **not** the SVM hinge `max(0, 1 − y·x)`.
///
///     loss = where(y != 1, max(0, margin − x), 0) + where(y != −1, x, 0)
///
/// - For `y = 1` the loss is `x` itself, unbounded below: negative losses are normal.
/// - For `y = −1` it is `max(0, margin − x)`.
/// - Any other target value (0, 2, 0.5, ...) takes **both** branches:
///   `max(0, margin − x) + x`. Targets are not validated.
/// - Input and target broadcast; `mean` divides by the broadcast element count.
/// - The gradient of the clamp at `margin − x == 0` follows ``kinkGradient``:
///   `.zero` in PyTorch 2.15 (`clamp_min`'s strict `>`), `.full` in PyTorch ≤ 2.13.
/// - A NaN input gives a NaN loss; its gradient is 1 for `y = 1` and 0 for `y = −1`.
public struct HingeEmbeddingLoss<Scalar: Real & BinaryFloatingPoint & Sendable>: Sendable {
    public let margin: Scalar
    public let reduction: Reduction
    public let kinkGradient: KinkGradient
    /// `torch.get_num_threads()` of the run to reproduce, and the threads we use.
    /// PyTorch splits sums of more than 32,768 elements over its threads, which
    /// changes the sum's last bits; ``TorchSum`` splits the same way.
    public let threads: Int

    /// - Throws: `HingeError.invalidParameter` for `threads < 1`.
    public init(margin: Scalar = 1, reduction: Reduction = .mean, kinkGradient: KinkGradient = .zero, threads: Int = 1)
        throws(HingeError)
    {
        guard threads >= 1 else { throw .invalidParameter("threads", "threads must be at least 1, got \(threads)") }
        self.margin = margin
        self.reduction = reduction
        self.kinkGradient = kinkGradient
        self.threads = threads
    }

    /// The loss alone (no gradient work).
    ///
    /// - Throws: `HingeError.shapeMismatch` when the shapes do not broadcast.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func loss(input: Tensor<Scalar>, target: Tensor<Scalar>) throws(HingeError) -> Tensor<Scalar> {
        try evaluate(input: input, target: target, withGradient: false).loss
    }

    /// The loss and its gradient with respect to `input` (the target has none).
    ///
    /// - Throws: `HingeError.shapeMismatch` when the shapes do not broadcast.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func callAsFunction(input: Tensor<Scalar>, target: Tensor<Scalar>) throws(HingeError) -> LossAndGradient<Scalar> {
        try evaluate(input: input, target: target, withGradient: true)
    }

    private func evaluate(input: Tensor<Scalar>, target: Tensor<Scalar>, withGradient: Bool) throws(HingeError)
        -> LossAndGradient<Scalar>
    {
        let shape = try Broadcasting.shape(input.shape, "input", target.shape, "target")
        let x = Broadcasting.expand(input, to: shape)
        let y = Broadcasting.expand(target, to: shape)
        let n = x.count
        var loss = Tensor<Scalar>(scalar: 0)
        // Every gradient element is written exactly once, so it starts uninitialised.
        let gradient = [Scalar](unsafeUninitializedCapacity: withGradient ? n : 0) { gradient, initialized in
            loss = x.withUnsafeBufferPointer { x in
                y.withUnsafeBufferPointer { y in
                    let elements = Elements(
                        x: x.baseAddress, y: y.baseAddress, count: n, margin: margin,
                        kink: kinkGradient.activeFraction(at: Scalar(0)),
                        upstream: TorchReduction.upstream(count: n, reduction), gradient: withGradient ? gradient.baseAddress : nil)
                    if reduction == .none {
                        let values = [Scalar](unsafeUninitializedCapacity: n) { buffer, initialized in
                            if let base = buffer.baseAddress {
                                let out = SendablePointer(base)
                                Parallel.forEachChunk(count: n, threads: threads) { range in
                                    elements.fill(out.pointer + range.lowerBound, from: range.lowerBound, count: range.count)
                                }
                            }
                            initialized = n
                        }
                        return Tensor(uncheckedShape: shape, scalars: values)
                    }
                    // The sum is taken as the elements are evaluated (each exactly once).
                    return TorchReduction.scalar(sum: TorchSum.sum(elements, threads: threads), count: n, reduction)
                }
            }
            initialized = withGradient ? n : 0
        }
        // Forward only: no gradient was written, so there is nothing to sum back (an empty tensor).
        guard withGradient else { return LossAndGradient(loss: loss, gradient: Tensor([])) }
        return LossAndGradient(
            loss: loss,
            gradient: Tensor(uncheckedShape: input.shape, scalars: Broadcasting.sumToShape(gradient, from: shape, to: input.shape)))
    }

    /// The elementwise losses as a ``TorchSumSource``; filling an element also
    /// writes `upstream · ∂loss/∂x` for it when `gradient` is set. Branch-free, so
    /// the loop vectorises.
    struct Elements: TorchSumSource, @unchecked Sendable {
        let x: UnsafePointer<Scalar>?
        let y: UnsafePointer<Scalar>?
        let count: Int
        let margin: Scalar
        let kink: Scalar
        let upstream: Scalar
        let gradient: UnsafeMutablePointer<Scalar>?

        func fill(_ out: UnsafeMutablePointer<Scalar>, from start: Int, count: Int) {
            guard count > 0, let x, let y else { return }
            let out = out - start
            let end = start + count
            let margin = margin, upstream = upstream, kink = kink
            // Written as selects (z != z for isNaN) so that the loop vectorises.
            if let gradient {
                for i in start..<end {
                    let xi = x[i], yi = y[i]
                    let z = margin - xi
                    let clamped: Scalar = z > 0 || z != z ? z : 0
                    out[i] = (yi != 1 ? clamped : 0) + (yi != -1 ? xi : 0)
                    let active: Scalar = z > 0 ? 1 : (z == 0 ? kink : 0)
                    gradient[i] = (yi != -1 ? upstream : 0) - (yi != 1 ? upstream * active : 0)
                }
            } else {
                for i in start..<end {
                    let xi = x[i], yi = y[i]
                    let z = margin - xi
                    let clamped: Scalar = z > 0 || z != z ? z : 0
                    out[i] = (yi != 1 ? clamped : 0) + (yi != -1 ? xi : 0)
                }
            }
        }
    }
}
