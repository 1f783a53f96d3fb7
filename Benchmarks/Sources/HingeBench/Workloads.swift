// The loss calls HingeBench times: one forward closure and one forward+backward
// closure per workload. Everything else in HingeBench (loading, timing, output)
// is in main.swift; this file is the only one that touches the HingeLosses API.
import BenchSupport
import HingeLosses
import RealModule

/// One workload's inputs as tools/bench.py wrote them (loaded before timing).
struct WorkloadInputs<Scalar> {
    /// `[N, C]` (MultiMarginLoss, the Keras losses) or `[n]` (HingeEmbeddingLoss).
    let shape: [Int]
    /// Scores: torch's `input`, Keras's `y_pred`.
    let x: [Scalar]
    /// MultiMarginLoss's targets: one class index per row.
    let classIndices: [Int]
    /// Label tensor of `x`'s shape: ±1 (HingeEmbeddingLoss, Keras hinge), one-hot (categorical hinge).
    let labels: [Scalar]
}

/// What one timed call produced: the reduced loss and, forward+backward only,
/// the gradient with respect to the scores.
struct CallResult<Scalar> {
    let loss: Scalar
    let gradient: [Scalar]?
}

/// The two timed calls of a workload. Tensors and loss values are built once,
/// outside the closures, so a call times the loss alone.
struct Workload<Scalar> {
    /// The loss value only.
    let forward: () throws -> CallResult<Scalar>
    /// The loss value and its gradient.
    let forwardBackward: () throws -> CallResult<Scalar>
    /// Whether `forward` computes the gradient too (and throws it away): reported, so
    /// the benchmark's table can say so.
    var forwardComputesGradient = false
}

/// The thread count the closures below really run with for `--threads requested`:
/// MultiMarginLoss and HingeEmbeddingLoss take a `threads:` parameter; the Keras
/// losses are single-threaded.
func threadsUsed(loss: String, requested: Int) -> Int {
    loss == "multi_margin" || loss == "hinge_embedding" ? requested : 1
}

/// The workload `loss` names, on `inputs`.
///
/// - Parameters:
///   - loss: `multi_margin`, `hinge_embedding`, `keras_hinge` or `keras_categorical_hinge`.
///   - p: MultiMarginLoss's `p` (1 or 2); ignored by the others.
///   - backend: the Keras backend whose conventions the Keras losses follow (`tensorflow` or `jax`).
///   - threads: the `--threads` option (not used yet: see `threadsUsed`).
func makeWorkload<Scalar: Real & BinaryFloatingPoint & Sendable>(
    loss: String, p: Int, backend: String, inputs: WorkloadInputs<Scalar>, threads: Int
) throws -> Workload<Scalar> {
    // A reduced loss is a 0-d tensor of one scalar.
    func scalar(_ t: Tensor<Scalar>) -> Scalar { t.scalars[0] }
    switch loss {
    case "multi_margin":
        let f = try MultiMarginLoss<Scalar>(p: p, margin: 1, weight: nil, reduction: .mean, threads: threads)
        let input = try Tensor<Scalar>(shape: inputs.shape, scalars: inputs.x, argument: "input")
        let target = try Tensor<Int>(shape: [inputs.shape[0]], scalars: inputs.classIndices, argument: "target")
        return Workload(
            forward: {
                CallResult(loss: scalar(try f.loss(input: input, target: target)), gradient: nil)
            },
            forwardBackward: {
                let r = try f(input: input, target: target)
                return CallResult(loss: scalar(r.loss), gradient: r.gradient.scalars)
            })
    case "hinge_embedding":
        let f = try HingeEmbeddingLoss<Scalar>(margin: 1, reduction: .mean, threads: threads)
        let input = try Tensor<Scalar>(shape: inputs.shape, scalars: inputs.x, argument: "input")
        let target = try Tensor<Scalar>(shape: inputs.shape, scalars: inputs.labels, argument: "target")
        return Workload(
            forward: {
                CallResult(loss: scalar(try f.loss(input: input, target: target)), gradient: nil)
            },
            forwardBackward: {
                let r = try f(input: input, target: target)
                return CallResult(loss: scalar(r.loss), gradient: r.gradient.scalars)
            })
    case "keras_hinge", "keras_categorical_hinge":
        let function: KerasLossFunction = loss == "keras_hinge" ? .hinge : .categoricalHinge
        guard let kerasBackend = KerasBackend(rawValue: backend) else {
            throw BenchError(message: "backend must be tensorflow or jax, got \(backend)")
        }
        let f = KerasLoss<Scalar>(function, reduction: .sumOverBatchSize, backend: kerasBackend)
        let yTrue = try Tensor<Scalar>(shape: inputs.shape, scalars: inputs.labels, argument: "y_true")
        let yPred = try Tensor<Scalar>(shape: inputs.shape, scalars: inputs.x, argument: "y_pred")
        return Workload(
            forward: {
                CallResult(loss: scalar(try f.loss(yTrue: yTrue, yPred: yPred, sampleWeight: nil)), gradient: nil)
            },
            forwardBackward: {
                let r = try f(yTrue: yTrue, yPred: yPred, sampleWeight: nil)
                return CallResult(loss: scalar(r.loss), gradient: r.gradient.scalars)
            })
    default:
        throw BenchError(
            message: "unknown loss \(loss) (multi_margin, hinge_embedding, keras_hinge, keras_categorical_hinge)")
    }
}
