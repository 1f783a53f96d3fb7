import RealModule

/// The Keras 3 hinge-family loss functions, `keras.losses.hinge`,
/// `keras.losses.squared_hinge` and `keras.losses.categorical_hinge`
/// (`keras/src/losses/losses.py`). Each returns one value per sample: the last
/// axis of the (broadcast) inputs is reduced.
///
///     hinge:             mean(maximum(1 − y·p, 0), axis=−1)
///     squared_hinge:     mean(square(maximum(1 − y·p, 0)), axis=−1)
///     categorical_hinge: maximum(max((1 − y)·p, axis=−1) − sum(y·p, axis=−1) + 1, 0)
///
/// Quirks:
/// - `hinge` and `squared_hinge` convert {0,1} labels to {−1,+1} only when
///   **every** label of the whole tensor is 0 or 1 (one −1, 0.5 or NaN anywhere
///   disables it for all rows); `categorical_hinge` never converts.
/// - `categorical_hinge`'s `neg` includes the true class's slot, `(1 − 1)·p = 0`,
///   so it is `max(0, best wrong score)`: `y = [1, 0]`, `p = [−3, −5]` gives 4, not 0.
///   A tie in that max splits the gradient equally, the masked slot included.
/// - The functions broadcast `y_true` against `y_pred` without aligning ranks.
/// - At the kink (`maximum`'s argument exactly 0) the gradient follows the backend:
///   full on TensorFlow, half on JAX (``KerasBackend/kinkGradient``).
/// - Both backends flush subnormals on CPU, so a subnormal score acts as 0
///   (``SubnormalMode``).
public enum KerasLossFunction: String, Hashable, Sendable, CaseIterable {
    case hinge
    case squaredHinge = "squared_hinge"
    case categoricalHinge = "categorical_hinge"

    /// Per-sample losses and the means to backpropagate through them.
    public struct Evaluation<Scalar: Real & BinaryFloatingPoint & Sendable>: Sendable {
        /// One loss per sample: the broadcast shape without its last axis.
        public let values: Tensor<Scalar>
        let predictionShape: [Int]
        let layout: LastAxis.Layout
        let labels: [Scalar]
        /// Per element: the argument of the outer `maximum` (hinge, squared) or, per
        /// row, its outer argument (categorical), for the kink rule.
        let margins: [Scalar]
        /// Categorical only: per element, 1 where it equals the row's `neg` max, else 0.
        let maxIndicators: [Scalar]
        /// Categorical only: per row, how many elements tie for the max (0 for a NaN max).
        let maxTies: [Scalar]
        let function: KerasLossFunction
        let backend: KerasBackend

        /// The gradient with respect to `y_pred` of `Σ upstream[n] · values[n]`.
        ///
        /// Every product and quotient is flushed like the backend's kernels flush it, and
        /// the sum of a broadcast gradient back to `y_pred`'s shape follows the backend's
        /// ``ReductionOrder``.
        ///
        /// - Throws: `HingeError.shapeMismatch` naming `upstream` unless it has one value per sample.
        @_specialize(where Scalar == Float)
        @_specialize(where Scalar == Double)
        public func gradient(upstream: [Scalar]) throws(HingeError) -> Tensor<Scalar> {
            guard upstream.count == layout.rows else {
                throw .shapeMismatch("upstream", "\(upstream.count) upstream values for \(layout.rows) per-sample losses \(values.shape)")
            }
            let f = backend.subnormals
            var gradient = [Scalar](repeating: 0, count: layout.shape.reduce(1, *))
            let width = Scalar(layout.width)
            for row in 0..<layout.rows {
                let range = layout.range(ofRow: row)
                let u = f(upstream[row])
                switch function {
                case .hinge, .squaredHinge:
                    // mean's backward: TensorFlow's _MeanGrad divides by the width; XLA turns the
                    // division by a constant into a multiplication by 1/C, except for a
                    // one-element gradient. maximum's backward, then 1 − y·p negates and scales by y.
                    let g = backend == .tensorflow || upstream.count == 1 ? f(u / width) : f(u * (1 / width))
                    for k in range {
                        var incoming = g
                        if function == .squaredHinge {
                            // square's backward, 2·h, comes before maximum's mask (NaN h included).
                            let h = margins[k].isNaN ? margins[k] : Swift.max(margins[k], 0)
                            incoming = f(g * f(h * 2))
                        }
                        gradient[k] = f((-f(backend.maximumBackward(incoming, at: margins[k]))) * labels[k])
                    }
                case .categoricalHinge:
                    let g = f(backend.maximumBackward(u, at: margins[row]))
                    let ties = maxTies[row]
                    // reduce_max's backward: TensorFlow's _MinOrMaxGrad is (indicators / k) · g,
                    // JAX's transposed chooser rule (g / k) · indicators.
                    let perTie = backend == .tensorflow ? 0 : f(g / ties)
                    for k in range {
                        let share =
                            backend == .tensorflow ? f(f(maxIndicators[k] / ties) * g) : f(perTie * maxIndicators[k])
                        gradient[k] = f(f((-g) * labels[k]) + f(share * (1 - labels[k])))
                    }
                }
            }
            return Tensor(
                uncheckedShape: predictionShape,
                scalars: f(backend.reductionOrder.sum(gradient, from: layout.shape, to: predictionShape)))
        }
    }

    /// Evaluates the function on `y_true` (already cast to `y_pred`'s type) and `y_pred`.
    ///
    /// - Throws: `HingeError.shapeMismatch` when the inputs do not broadcast or are 0-d.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func callAsFunction<Scalar: Real & BinaryFloatingPoint & Sendable>(
        yTrue: Tensor<Scalar>, yPred: Tensor<Scalar>, backend: KerasBackend
    ) throws(HingeError) -> Evaluation<Scalar> {
        let shape = try Broadcasting.shape(yTrue.shape, "y_true", yPred.shape, "y_pred")
        let layout = try LastAxis.Layout(shape, argument: "y_pred")
        if self == .categoricalHinge {
            // keras.ops.max refuses empty input: on TensorFlow any empty tensor, on JAX
            // (like NumPy) a reduction over an empty axis.
            let empty = backend == .tensorflow ? layout.rows * layout.width == 0 : layout.width == 0
            if empty {
                throw .shapeMismatch(
                    "y_pred",
                    backend == .tensorflow
                        ? "Cannot compute the max of an empty tensor." : "zero-size array to reduction operation max which has no identity")
            }
        }
        // Inputs read through the backend's denormals-are-zero flag.
        let f = backend.subnormals
        var y = f(Broadcasting.expand(yTrue, to: shape))
        let p = f(Broadcasting.expand(yPred, to: shape))
        // The conversion decision looks at the labels as given, before broadcasting.
        if self != .categoricalHinge, yTrue.scalars.allSatisfy({ f($0) == 0 || f($0) == 1 }) {
            y = y.map { 2 * $0 - 1 }
        }
        var values = [Scalar](repeating: 0, count: layout.rows)
        var margins = [Scalar](repeating: 0, count: self == .categoricalHinge ? layout.rows : p.count)
        var maxIndicators = [Scalar](repeating: 0, count: self == .categoricalHinge ? p.count : 0)
        var maxTies = [Scalar](repeating: 0, count: self == .categoricalHinge ? layout.rows : 0)
        var negs = [Scalar](repeating: 0, count: self == .categoricalHinge ? layout.rows : 0)
        // hinge, squared: the per-element terms of the mean; categorical: y·p, the terms of `pos`.
        var terms = [Scalar](repeating: 0, count: p.count)
        for row in 0..<layout.rows {
            let range = layout.range(ofRow: row)
            switch self {
            case .hinge, .squaredHinge:
                for k in range {
                    let z = f(1 - f(y[k] * p[k]))
                    margins[k] = z
                    let h = z.isNaN ? z : Swift.max(z, 0)
                    terms[k] = self == .hinge ? h : f(h * h)
                }
            case .categoricalHinge:
                var neg: Scalar = -.infinity
                func masked(_ k: Int) -> Scalar { f(f(1 - y[k]) * p[k]) }
                for k in range {
                    terms[k] = f(y[k] * p[k])
                    let m = masked(k)
                    if m.isNaN || neg.isNaN { neg = .nan } else { neg = Swift.max(neg, m) }
                }
                // reduce_max's gradient: split equally among the elements equal to the
                // max. A NaN max equals nothing, and both backends then divide 0 by 0.
                for k in range where masked(k) == neg {
                    maxIndicators[k] = 1
                    maxTies[row] += 1
                }
                negs[row] = neg
            }
        }
        // The sums over the last axis, in the backend's order.
        let sums = backend.reductionOrder.rowSums(terms, rows: layout.rows, width: layout.width)
        let width = Scalar(layout.width)
        for row in 0..<layout.rows {
            switch self {
            case .hinge, .squaredHinge:
                // mean: TensorFlow divides by C, XLA multiplies by the constant 1/C.
                values[row] = f(backend == .tensorflow ? sums[row] / width : sums[row] * (1 / width))
            case .categoricalHinge:
                let z = f(f(negs[row] - sums[row]) + 1)
                margins[row] = z
                values[row] = z.isNaN ? z : Swift.max(z, 0)
            }
        }
        return Evaluation(
            values: Tensor(uncheckedShape: layout.rowShape, scalars: values), predictionShape: yPred.shape,
            layout: layout, labels: y, margins: margins, maxIndicators: maxIndicators, maxTies: maxTies,
            function: self, backend: backend)
    }
}
