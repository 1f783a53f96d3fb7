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
    /// Threads to split the batch over (PyTorch's kernel is single-threaded; the
    /// result does not depend on this).
    public let threads: Int

    /// - Throws: `HingeError.invalidParameter` for `p` other than 1 or 2 or `threads < 1`;
    ///   `.shapeMismatch` for a weight that is not one-dimensional.
    public init(
        p: Int = 1, margin: Scalar = 1, weight: Tensor<Scalar>? = nil, reduction: Reduction = .mean, threads: Int = 1
    ) throws(HingeError) {
        guard p == 1 || p == 2 else { throw .invalidParameter("p", "only p == 1 and p == 2 supported") }
        if let weight, weight.rank != 1 {
            throw .shapeMismatch("weight", "weight must be one-dimensional, got shape \(weight.shape)")
        }
        guard threads >= 1 else { throw .invalidParameter("threads", "threads must be at least 1, got \(threads)") }
        self.p = p
        self.margin = margin
        self.weight = weight
        self.reduction = reduction
        self.threads = threads
    }

    /// The loss alone (PyTorch's forward, no gradient work).
    ///
    /// - Parameters and errors: as ``callAsFunction(input:target:)``.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func loss(input: Tensor<Scalar>, target: Tensor<Int>) throws(HingeError) -> Tensor<Scalar> {
        let (rows, classes) = try validate(input: input, target: target)
        var values = [Scalar](repeating: 0, count: rows)
        values.withUnsafeMutableBufferPointer { values in
            if let v = values.baseAddress {
                run(input.scalars, target.scalars, rows: rows, classes: classes, values: v, gradient: nil)
            }
        }
        return reduce(values, targetRank: target.rank)
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
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func callAsFunction(input: Tensor<Scalar>, target: Tensor<Int>) throws(HingeError) -> LossAndGradient<Scalar> {
        let (rows, classes) = try validate(input: input, target: target)
        var values = [Scalar](repeating: 0, count: rows)
        // The kernel writes every gradient element, so it starts uninitialised.
        let gradient = [Scalar](unsafeUninitializedCapacity: input.count) { gradient, initialized in
            values.withUnsafeMutableBufferPointer { values in
                if let v = values.baseAddress, let g = gradient.baseAddress {
                    run(input.scalars, target.scalars, rows: rows, classes: classes, values: v, gradient: g)
                }
            }
            initialized = input.count
        }
        return LossAndGradient(
            loss: reduce(values, targetRank: target.rank), gradient: Tensor(uncheckedShape: input.shape, scalars: gradient))
    }

    private func validate(input: Tensor<Scalar>, target: Tensor<Int>) throws(HingeError) -> (rows: Int, classes: Int) {
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
        return (rows, classes)
    }

    private func reduce(_ values: [Scalar], targetRank: Int) -> Tensor<Scalar> {
        switch reduction {
        case .none:
            return Tensor(uncheckedShape: targetRank == 0 ? [] : [values.count], scalars: values)
        case .sum, .mean:
            // The kernel's batch accumulator is acc_type<scalar_t> on CPU: double.
            var total = 0.0
            for v in values { total += Double(v) }
            // PyTorch leaves the mean and sum of an empty batch unwritten
            // (uninitialised memory); we give 0/0 = NaN and 0.
            if reduction == .mean { total /= Double(values.count) }
            return Tensor(scalar: Scalar(total))
        }
    }

    /// Per-row losses into `values` and, when `gradient` is given, the gradient
    /// (zero-initialised, `rows × classes`), split over ``threads``.
    private func run(
        _ x: [Scalar], _ targets: [Int], rows: Int, classes: Int,
        values: UnsafeMutablePointer<Scalar>, gradient: UnsafeMutablePointer<Scalar>?
    ) {
        let step = Scalar(reduction == .mean ? 1.0 / Double(rows * classes) : 1.0 / Double(classes))
        let chunks = Swift.max(1, Swift.min(threads, rows * classes / 32_768, rows / 8))
        let rowsPerChunk = (rows + chunks - 1) / chunks
        let v = SendablePointer(values)
        let g = gradient.map(SendablePointer.init)
        x.withUnsafeBufferPointer { x in
            targets.withUnsafeBufferPointer { targets in
                let w = weight?.scalars
                w.withOptionalBuffer { w in
                    guard let xBase = x.baseAddress, let targetBase = targets.baseAddress else { return }
                    let kernel = MultiMarginKernel(
                        x: xBase, targets: targetBase, weight: w, classes: classes, p: p,
                        margin: margin, step: step, values: v.pointer, gradient: g?.pointer)
                    _ = Parallel.map(count: chunks, threads: chunks) { c in
                        kernel.rows((c * rowsPerChunk)..<Swift.min(rows, (c + 1) * rowsPerChunk))
                    }
                }
            }
        }
    }
}

extension Optional {
    /// The buffer of an optional array, or `nil`.
    func withOptionalBuffer<Element, R>(_ body: (UnsafePointer<Element>?) -> R) -> R where Wrapped == [Element] {
        switch self {
        case .some(let array): return array.withUnsafeBufferPointer { body($0.baseAddress) }
        case .none: return body(nil)
        }
    }
}

/// The CPU kernel of `multi_margin_loss` over a range of rows. Each row is summed
/// in the kernel's order, class by class in the input's type; SIMD lanes take 8
/// rows at once, so the order within a row, and every bit, is unchanged.
struct MultiMarginKernel<Scalar: Real & BinaryFloatingPoint>: @unchecked Sendable {
    let x: UnsafePointer<Scalar>
    let targets: UnsafePointer<Int>
    let weight: UnsafePointer<Scalar>?
    let classes: Int
    let p: Int
    let margin: Scalar
    let step: Scalar
    let values: UnsafeMutablePointer<Scalar>
    let gradient: UnsafeMutablePointer<Scalar>?

    func rows(_ range: Range<Int>) {
        var r = range.lowerBound
        // Lane-exact class indices: Float holds integers exactly up to 2^24.
        if classes < (1 << 24) {
            if Scalar.self == Float.self {
                let kernel = unsafeBitCast(self, to: MultiMarginKernel<Float>.self)
                while r + 8 <= range.upperBound {
                    kernel.block(r)
                    r += 8
                }
            } else if Scalar.self == Double.self {
                let kernel = unsafeBitCast(self, to: MultiMarginKernel<Double>.self)
                while r + 8 <= range.upperBound {
                    kernel.block(r)
                    r += 8
                }
            }
        }
        while r < range.upperBound {
            row(r)
            r += 1
        }
    }

    /// One row, scalar: the reference order.
    func row(_ n: Int) {
        let y = targets[n]
        let base = n * classes
        let xt = x[base + y]
        let w = weight?[y]
        var sum: Scalar = 0
        var gradientAtTarget: Scalar = 0
        for d in 0..<classes where d != y {
            let z = (margin - xt) + x[base + d]
            guard z > 0 else {
                gradient?[base + d] = 0
                continue
            }
            var h = p == 1 ? z : z * z
            var g = p == 1 ? step : (2 * step) * z
            if let w {
                h = h * w
                g = g * w
            }
            sum += h
            gradient?[base + d] = g
            gradientAtTarget -= g
        }
        gradient?[base + y] = gradientAtTarget
        values[n] = sum / Scalar(classes)
    }
}

/// The lane operations ``MultiMarginKernel`` needs, written per type so that they
/// compile to vector compares and blends (in a generic context the standard
/// library's mask operations run lane by lane).
protocol MarginLaneScalar: BinaryFloatingPoint & SIMDScalar & Codable {
    /// `v` where `z > 0` and `labels != d`, else +0.
    static func keep(_ v: SIMD8<Self>, where z: SIMD8<Self>, labels: SIMD8<Self>, notEqualTo d: SIMD8<Self>) -> SIMD8<Self>
}

extension Float: MarginLaneScalar {
    @inline(__always)
    static func keep(_ v: SIMD8<Float>, where z: SIMD8<Float>, labels: SIMD8<Float>, notEqualTo d: SIMD8<Float>) -> SIMD8<Float> {
        let active = (z .> 0) .& (labels .!= d)
        return v.replacing(with: 0, where: .!active)
    }
}

extension Double: MarginLaneScalar {
    @inline(__always)
    static func keep(_ v: SIMD8<Double>, where z: SIMD8<Double>, labels: SIMD8<Double>, notEqualTo d: SIMD8<Double>) -> SIMD8<Double> {
        let active = (z .> 0) .& (labels .!= d)
        return v.replacing(with: 0, where: .!active)
    }
}

extension MultiMarginKernel where Scalar: MarginLaneScalar {
    /// Rows `r..<r+8` in the lanes of a vector. Inactive terms add +0, which leaves
    /// every partial sum as skipping them does (a sum is never −0 here).
    @inline(__always)
    func block(_ r: Int) {
        typealias V = SIMD8<Scalar>
        var labels = V()
        var xt = V()
        var w = V(repeating: 1)
        for k in 0..<8 {
            let y = targets[r + k]
            labels[k] = Scalar(y)
            xt[k] = x[(r + k) * classes + y]
            if let weight { w[k] = weight[y] }
        }
        let base = V(repeating: margin) - xt
        let weighted = weight != nil
        var sum = V()
        var gradientAtTarget = V()
        let stepVector = V(repeating: p == 1 ? step : 2 * step)
        for d in 0..<classes {
            var xd = V()
            for k in 0..<8 { xd[k] = x[(r + k) * classes + d] }
            let z = base + xd
            let column = V(repeating: Scalar(d))
            var h = p == 1 ? z : z * z
            if weighted { h = h * w }
            sum += Scalar.keep(h, where: z, labels: labels, notEqualTo: column)
            if let gradient {
                var g = p == 1 ? stepVector : stepVector * z
                if weighted { g = g * w }
                g = Scalar.keep(g, where: z, labels: labels, notEqualTo: column)
                for k in 0..<8 { gradient[(r + k) * classes + d] = g[k] }
                gradientAtTarget -= g
            }
        }
        let losses = sum / V(repeating: Scalar(classes))
        for k in 0..<8 {
            values[r + k] = losses[k]
            gradient?[(r + k) * classes + Int(labels[k])] = gradientAtTarget[k]
        }
    }
}
