import RealModule
import Testing

@testable import HingeLosses

/// Values every sweep visits: zeros of both signs, subnormals, the largest
/// finite magnitudes, infinities and NaN, around the margin m = 1.
func specialScores<T: Real & BinaryFloatingPoint>(_: T.Type) -> [T] {
    [
        0, -0.0, 1, -1, T(1).nextUp, T(1).nextDown, 2, -2, .leastNonzeroMagnitude, -.leastNonzeroMagnitude,
        .leastNormalMagnitude, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .infinity, -.infinity, .nan, 50, -50,
        1000, -1000,
    ]
}

/// Each binary loss, type-erased for sweeps.
struct AnyMarginLoss<T: Real & BinaryFloatingPoint & Sendable>: Sendable, CustomTestStringConvertible {
    let name: String
    let value: @Sendable (T) -> T
    let derivative: @Sendable (T) -> T
    let evaluate: @Sendable (Tensor<T>, Tensor<T>, Reduction) throws(HingeError) -> LossAndGradient<T>
    let smooth: Bool
    var testDescription: String { name }

    init<L: MarginLoss<T>>(_ name: String, _ loss: L, smooth: Bool) {
        self.name = name
        self.value = { loss.value(atMargin: $0) }
        self.derivative = { loss.derivative(atMargin: $0) }
        self.evaluate = { (y, z, r) throws(HingeError) in try loss(labels: y, scores: z, reduction: r) }
        self.smooth = smooth
    }

    static var all: [AnyMarginLoss] {
        [
            AnyMarginLoss("hinge", Hinge<T>(), smooth: false),
            AnyMarginLoss("squared_hinge", SquaredHinge<T>(), smooth: true),
            AnyMarginLoss("smooth_hinge", SmoothHinge<T>(), smooth: true),
            AnyMarginLoss("softplus_hinge", SoftplusHinge<T>(), smooth: true),
            AnyMarginLoss("logistic", Logistic<T>(), smooth: true),
            AnyMarginLoss("huber_margin", try! HuberMargin<T>(delta: 1), smooth: true),
            AnyMarginLoss("huber_margin(0.5)", try! HuberMargin<T>(delta: 0.5), smooth: true),
        ]
    }
}

@Suite("Binary margin losses")
struct MarginLossTests {
    @Test(arguments: AnyMarginLoss<Float>.all)
    func specialValuesFloat(_ loss: AnyMarginLoss<Float>) { checkSpecialValues(loss) }

    @Test(arguments: AnyMarginLoss<Double>.all)
    func specialValuesDouble(_ loss: AnyMarginLoss<Double>) { checkSpecialValues(loss) }

    func checkSpecialValues<T: Real & BinaryFloatingPoint & Sendable>(_ loss: AnyMarginLoss<T>) {
        for m in specialScores(T.self) {
            let v = loss.value(m)
            let d = loss.derivative(m)
            if m.isNaN {
                #expect(v.isNaN && d.isNaN, "\(loss.name): NaN margin must give NaN value and slope")
                continue
            }
            // Margin losses are non-negative, never NaN for a non-NaN margin, and non-increasing.
            #expect(!v.isNaN && v >= 0, "\(loss.name) at \(m): \(v)")
            #expect(!d.isNaN && d <= 0, "\(loss.name)′ at \(m): \(d)")
            // A large positive margin costs (almost) nothing; a −inf margin costs +inf.
            if m == .infinity { #expect(v == 0 && d == 0) }
            if m == -.infinity { #expect(v == .infinity) }
            // Finite margins give finite slopes, except where the squared hinge's
            // slope −2(1 − m) genuinely exceeds the largest finite value.
            let slopeOverflows = loss.name == "squared_hinge" && -m > T.greatestFiniteMagnitude / 2
            if m.isFinite, !slopeOverflows { #expect(d.isFinite, "\(loss.name)′ at \(m)") }
            if m.isFinite, slopeOverflows { #expect(d == -.infinity) }
        }
    }

    @Test func hingeIsZeroWithZeroSlopeOnTheMarginAndBeyond() {
        for m: Double in [1, 1.5, 1e300, .infinity] {
            #expect(Hinge<Double>().value(atMargin: m) == 0)
            #expect(Hinge<Double>().derivative(atMargin: m) == 0)
        }
        #expect(Hinge<Double>().derivative(atMargin: Double(1).nextDown) == -1)
        #expect(Hinge<Float>().value(atMargin: -1) == 2)
    }

    @Test func softplusIdentityAndNoOverflow() {
        // softplus(x) − softplus(−x) = x, exactly enough to hold to a few ULPs.
        for x: Double in [-30, -1, -1e-10, 0, 1e-10, 0.5, 3, 30] {
            let lhs = Double.softplus(x) - Double.softplus(-x)
            #expect((lhs - x).magnitude <= 4 * Double.ulpOfOne * max(1, x.magnitude))
        }
        // exp(100) overflows Float, the stable form does not.
        #expect(Float.softplus(100) == 100)
        #expect(Float.softplus(-100) > 0)
        #expect(Float.sigmoid(-100) > 0 && Float.sigmoid(100) == 1)
        #expect(Logistic<Float>().value(atMargin: -1e30) == 1e30)
        #expect(Logistic<Float>().derivative(atMargin: -1e30) == -1)
    }

    @Test(arguments: AnyMarginLoss<Double>.all.filter(\.smooth))
    func derivativeMatchesCentralDifferences(_ loss: AnyMarginLoss<Double>) {
        // Away from the kinks of the piecewise losses (m = 1, and 1 − delta for Huber).
        for m in stride(from: -3.0, through: 3.0, by: 0.37) where (m - 1).magnitude > 1e-3 && (m - 0.5).magnitude > 1e-3 && m.magnitude > 1e-3 {
            let h = 1e-6
            let numeric = (loss.value(m + h) - loss.value(m - h)) / (2 * h)
            #expect((numeric - loss.derivative(m)).magnitude <= 1e-6 * max(1, numeric.magnitude), "\(loss.name) at \(m)")
        }
    }

    @Test func hubersPiecesMeetAtDelta() throws {
        let huber = try HuberMargin<Double>(delta: 0.5)
        let kink = 1 - 0.5  // deficit equal to delta
        let left = huber.value(atMargin: kink.nextDown)
        let right = huber.value(atMargin: kink.nextUp)
        #expect((left - right).magnitude < 1e-15)
        #expect(huber.derivative(atMargin: kink) == -0.5)
    }

    @Test func invalidHuberDelta() {
        for delta: Double in [0, -1, .nan, .infinity] {
            #expect(throws: HingeError.invalidParameter("delta", "must be a finite number > 0, got \(delta)")) {
                try HuberMargin<Double>(delta: delta)
            }
        }
    }

    @Test(arguments: AnyMarginLoss<Double>.all)
    func reductionsAgree(_ loss: AnyMarginLoss<Double>) throws {
        let y = Tensor<Double>([1, -1, 1, -1, 1])
        let z = Tensor<Double>([0.3, 2, -1.5, -0.2, 4])
        let none = try loss.evaluate(y, z, .none)
        let sum = try loss.evaluate(y, z, .sum)
        let mean = try loss.evaluate(y, z, .mean)
        #expect(none.loss.shape == [5] && sum.loss.shape == [] && mean.loss.shape == [])
        #expect(sum.loss.scalar == Reduction.sequentialSum(none.loss.scalars))
        #expect(mean.loss.scalar == sum.loss.scalar! / 5)
        #expect(sum.gradient == none.gradient)
        #expect(mean.gradient.scalars == none.gradient.scalars.map { $0 / 5 })
        // The gradient is y·ℓ′(y·z), elementwise.
        for i in 0..<5 {
            #expect(none.gradient.scalars[i] == y.scalars[i] * loss.derivative(y.scalars[i] * z.scalars[i]))
            #expect(none.loss.scalars[i] == loss.value(y.scalars[i] * z.scalars[i]))
        }
    }

    @Test func emptyBatchAndRankZero() throws {
        let empty = Tensor<Float>([])
        #expect(try Hinge<Float>()(labels: empty, scores: empty, reduction: .mean).loss.scalar!.isNaN)
        #expect(try Hinge<Float>()(labels: empty, scores: empty, reduction: .sum).loss.scalar == 0)
        #expect(try Hinge<Float>()(labels: empty, scores: empty, reduction: .none).loss.shape == [0])
        let scalar = try Hinge<Float>()(labels: Tensor(scalar: -1), scores: Tensor(scalar: 0.25), reduction: .none)
        #expect(scalar.loss.shape == [] && scalar.gradient.shape == [])
        #expect(scalar.gradient.scalar == 1)
    }

    @Test func labelAndShapeErrorsNameTheArgument() {
        let z = Tensor<Double>([1, 2])
        for bad: Double in [0, 0.5, 2, -1.5, .nan, .infinity] {
            do {
                _ = try Hinge<Double>()(labels: Tensor([1, bad]), scores: z)
                Issue.record("accepted label \(bad)")
            } catch {
                #expect(error.kind == .invalidTarget && error.argument == "y")
                #expect(error.message.contains("flat index 1"))
            }
        }
        #expect(throws: HingeError.self) { try Hinge<Double>()(labels: Tensor([1]), scores: z) }
        do {
            _ = try SquaredHinge<Double>()(labels: Tensor([1, 1, 1]), scores: z)
        } catch {
            #expect(error.kind == .shapeMismatch && error.argument == "y")
        }
    }

    @Test func reductionParsing() throws {
        #expect(try Reduction(parsing: "sum") == .sum)
        #expect(throws: HingeError.self) { try Reduction(parsing: "avg") }
        #expect(throws: HingeError.self) { try Reduction(parsing: "Mean") }
    }

    @Test func tensorInvariants() throws {
        #expect(throws: HingeError.self) { try Tensor<Float>(shape: [2, 2], scalars: [1, 2, 3]) }
        #expect(throws: HingeError.self) { try Tensor<Float>(shape: [-1], scalars: []) }
        #expect(throws: HingeError.self) { try Tensor<Float>(shape: [Int.max, 2], scalars: []) }
        #expect(try Tensor<Float>(shape: [0, 5], scalars: []).count == 0)
        #expect(Tensor<Float>(scalar: 3).rank == 0)
        #expect(Tensor<Float>.elementCount(of: []) == 1)
    }
}
