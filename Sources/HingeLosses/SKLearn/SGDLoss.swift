/// The per-sample losses `sklearn.linear_model.SGDClassifier` trains with
/// (`linear_model/_sgd_fast.pyx.tp`), for a decision value `p` and a label
/// `y ∈ {−1, +1}`, with their derivatives `dloss/dp` as SGD uses them
/// (`py_loss` / `py_dloss`), each in the Cython code's comparisons and order.
///
/// | loss | class | loss | dloss/dp |
/// |---|---|---|---|
/// | hinge | `Hinge(1.0)` | `z ≤ 1 ? 1 − z : 0` | `z ≤ 1 ? −y : 0`: **active at z = 1** |
/// | perceptron | `Hinge(0.0)` | `z ≤ 0 ? −z : 0` | `z ≤ 0 ? −y : 0`: a zero model still updates |
/// | squared_hinge | `SquaredHinge(1.0)` | `u = 1 − z; u > 0 ? u² : 0` | `u > 0 ? −2y·u : 0` |
/// | modified_huber | `ModifiedHuber` | `z ≥ 1: 0; z ≥ −1: (1 − z)²; else −4z` | `z ≥ 1: 0; z ≥ −1: 2(1 − z)·(−y); else −4y` |
///
/// with `z = p·y`. The comparisons are the Cython's, so a NaN `z` fails them:
/// hinge, perceptron and squared hinge give 0 there, modified Huber `−4·NaN`.
public enum SGDLoss: String, Hashable, Sendable, CaseIterable {
    case hinge
    case squaredHinge = "squared_hinge"
    case modifiedHuber = "modified_huber"
    case perceptron

    /// - Throws: `HingeError.invalidParameter` naming `loss` for any other name.
    public init(parsing name: String) throws(HingeError) {
        guard let value = SGDLoss(rawValue: name) else {
            throw .invalidParameter("loss", "The loss \(name) is not supported. ")
        }
        self = value
    }

    /// `py_loss(p, y)`.
    public func loss(_ p: Double, _ y: Double) -> Double {
        switch self {
        case .hinge, .perceptron:
            let threshold: Double = self == .hinge ? 1 : 0
            let z = p * y
            return z <= threshold ? threshold - z : 0
        case .squaredHinge:
            let z = 1 - p * y
            return z > 0 ? z * z : 0
        case .modifiedHuber:
            let z = p * y
            if z >= 1 { return 0 }
            if z >= -1 { return (1 - z) * (1 - z) }
            return -4 * z
        }
    }

    /// `py_dloss(p, y)`, the derivative with respect to `p`.
    public func derivative(_ p: Double, _ y: Double) -> Double {
        switch self {
        case .hinge, .perceptron:
            let threshold: Double = self == .hinge ? 1 : 0
            return p * y <= threshold ? -y : 0
        case .squaredHinge:
            let z = 1 - p * y
            return z > 0 ? -2 * y * z : 0
        case .modifiedHuber:
            let z = p * y
            if z >= 1 { return 0 }
            if z >= -1 { return 2 * (1 - z) * -y }
            return -4 * y
        }
    }
}
