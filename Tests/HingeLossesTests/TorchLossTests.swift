import RealModule
import Testing

@testable import HingeLosses

/// Properties of the PyTorch losses that hold whatever the inputs; the exact
/// values are checked against torch itself by the fixtures.
@Suite("PyTorch losses")
struct TorchLossTests {
    let scores = try! Tensor<Double>(shape: [3, 4], scalars: [0.25, -1, 2, 0.5, 3, 0.75, -0.5, 1.5, 0, 0, 0, 0])
    let labels = Tensor<Int>([2, 0, 1])

    @Test func multiMarginIsWestonWatkinsDividedByTheClassCount() throws {
        let torch = try MultiMarginLoss<Double>(reduction: .none)(input: scores, target: labels)
        let ww = try WestonWatkins<Double>()(labels: labels, scores: scores, reduction: .none)
        for n in 0..<3 {
            #expect(torch.loss.scalars[n] == ww.loss.scalars[n] / 4)
        }
        // The gradient of the per-sample sum is the Weston–Watkins gradient over C.
        let sum = try MultiMarginLoss<Double>(reduction: .sum)(input: scores, target: labels)
        #expect(sum.gradient.scalars == ww.gradient.scalars.map { $0 / 4 })
    }

    @Test func multiMarginWeightIsTheTargetClassWeightAppliedAfterThePower() throws {
        let weight = Tensor<Double>([1, 2, 3, 4])
        let plain = try MultiMarginLoss<Double>(p: 2, reduction: .none)(input: scores, target: labels)
        let weighted = try MultiMarginLoss<Double>(p: 2, weight: weight, reduction: .none)(input: scores, target: labels)
        for n in 0..<3 {
            let w = weight.scalars[labels.scalars[n]]
            #expect((weighted.loss.scalars[n] - w * plain.loss.scalars[n]).magnitude <= 1e-15 * w * plain.loss.scalars[n])
        }
    }

    @Test func multiMarginDropsNaNClassesAndHasNoGradientAtTheKink() throws {
        // Row: class 0 is NaN, class 1 sits exactly on the margin of target 2.
        let input = try Tensor<Float>(shape: [1, 3], scalars: [.nan, 1, 2])
        let result = try MultiMarginLoss<Float>(reduction: .sum)(input: input, target: Tensor([2]))
        #expect(result.loss.scalar == 0)
        #expect(result.gradient.scalars.allSatisfy { $0 == 0 })
    }

    @Test func multiMarginShapesAndErrors() throws {
        let row = Tensor<Double>([1, -1, 0.5])
        #expect(try MultiMarginLoss<Double>(reduction: .none)(input: row, target: Tensor(scalar: 0)).loss.shape == [])
        #expect(try MultiMarginLoss<Double>(reduction: .none)(input: row, target: Tensor([0])).loss.shape == [1])
        // C = 1: no other class, no loss.
        let single = try MultiMarginLoss<Double>(reduction: .sum)(input: Tensor(scalar: 3), target: Tensor(scalar: 0))
        #expect(single.loss.scalar == 0)
        let empty = try MultiMarginLoss<Double>(reduction: .mean)(input: try Tensor(shape: [0, 3], scalars: []), target: Tensor([]))
        #expect(empty.loss.scalar!.isNaN)

        #expect(failure { _ = try MultiMarginLoss<Double>(p: 3) } == ["invalid_parameter", "p"])
        #expect(failure { _ = try MultiMarginLoss<Double>()(input: scores, target: Tensor([0, 4, 1])) } == ["invalid_target", "target"])
        #expect(failure { _ = try MultiMarginLoss<Double>()(input: scores, target: Tensor([0, 1])) } == ["shape_mismatch", "target"])
        #expect(failure { _ = try MultiMarginLoss<Double>(weight: Tensor([1, 2]))(input: scores, target: labels) } == ["shape_mismatch", "weight"])
        #expect(failure { _ = try MultiMarginLoss<Double>()(input: try Tensor(shape: [2, 0], scalars: []), target: Tensor([0, 0])) } == ["shape_mismatch", "input"])
        #expect(failure { _ = try MultiMarginLoss<Double>()(input: try Tensor(shape: [1, 1, 2], scalars: [0, 1]), target: Tensor([0])) } == ["shape_mismatch", "input"])
    }

    @Test func multiLabelCountsDuplicatesAndIgnoresEntriesAfterTheFirstPad() throws {
        let input = try Tensor<Double>(shape: [1, 4], scalars: [0.1, 0.2, 0.4, 0.8])
        let loss = MultiLabelMarginLoss<Double>(reduction: .sum)
        let once = try loss(input: input, target: try Tensor(shape: [1, 4], scalars: [3, -1, 0, 1]))
        let twice = try loss(input: input, target: try Tensor(shape: [1, 4], scalars: [3, 3, -1, 2]))
        #expect(twice.loss.scalar! == 2 * once.loss.scalar!)
        // Ignored, but range-checked.
        #expect(throws: HingeError.self) { try loss(input: input, target: try Tensor(shape: [1, 4], scalars: [3, -1, 4, 0])) }
        #expect(throws: HingeError.self) { try loss(input: input, target: try Tensor(shape: [1, 4], scalars: [-2, -1, 0, 0])) }
        let allTargets = try loss(input: input, target: try Tensor(shape: [1, 4], scalars: [0, 1, 2, 3]))
        #expect(allTargets.loss.scalar == 0 && allTargets.gradient.scalars.allSatisfy { $0 == 0 })
        #expect(try MultiLabelMarginLoss<Double>(reduction: .none)(input: Tensor([0.5, 1]), target: Tensor([0, -1])).loss.shape == [])
    }

    @Test func hingeEmbeddingIsNotTheSVMHinge() throws {
        let x = Tensor<Double>([0.3, -0.5, 1, 2, 0.5])
        let loss = try HingeEmbeddingLoss<Double>(reduction: .none)
        // y = 1: the loss is x itself, negative values included.
        let positive = try loss(input: x, target: Tensor([1, 1, 1, 1, 1]))
        #expect(positive.loss.scalars == x.scalars)
        #expect(positive.gradient.scalars == [1, 1, 1, 1, 1])
        // Any other target takes both branches: max(0, 1 − x) + x.
        let other = try loss(input: x, target: Tensor([0, 2, 0.5, 0, 0]))
        for i in 0..<5 {
            #expect(other.loss.scalars[i] == Swift.max(0, 1 - x.scalars[i]) + x.scalars[i])
        }
    }

    @Test func hingeEmbeddingKinkFollowsTheTorchVersion() throws {
        let x = Tensor<Float>([1])
        let y = Tensor<Float>([-1])
        let v215 = try HingeEmbeddingLoss<Float>(reduction: .sum)(input: x, target: y)
        let v213 = try HingeEmbeddingLoss<Float>(reduction: .sum, kinkGradient: .full)(input: x, target: y)
        #expect(v215.gradient.scalars == [0])
        #expect(v213.gradient.scalars == [-1])
        #expect(v215.loss == v213.loss)
    }

    @Test func hingeEmbeddingBroadcastsAndSumsGradientsBack() throws {
        let result = try HingeEmbeddingLoss<Double>(reduction: .mean)(
            input: Tensor([0.3]), target: try Tensor(shape: [2, 2], scalars: [1, -1, -1, -1]))
        #expect(result.gradient.shape == [1])
        // One +1/4 from the y = 1 element, three −1/4 from the others.
        #expect(result.gradient.scalars == [0.25 - 0.25 - 0.25 - 0.25])
        #expect(throws: HingeError.self) {
            try HingeEmbeddingLoss<Double>()(input: Tensor([1, 2]), target: Tensor([1, 1, 1]))
        }
    }

    @Test func marginRankingMatchesTheRankingHingeAndDifferentiatesTheTarget() throws {
        let x1 = Tensor<Double>([0.5, 0.2, -1, 0.3])
        let x2 = Tensor<Double>([0.1, 0.6, 0, 0.3])
        let loss = MarginRankingLoss<Double>(margin: 0.5, reduction: .none)
        let result = try loss(input1: x1, input2: x2, target: Tensor([1, 1, 1, 1]))
        let textbook = try RankingHinge<Double>(margin: 0.5)(positive: x1, negative: x2, reduction: .none)
        for i in 0..<4 {
            #expect((result.loss.scalars[i] - textbook.loss.scalars[i]).magnitude <= 1e-15)
        }
        #expect(result.gradInput1.scalars == textbook.gradPositive.scalars)
        #expect(result.gradInput2.scalars == textbook.gradNegative.scalars)
        for i in 0..<4 where result.loss.scalars[i] > 0 {
            #expect(result.gradTarget.scalars[i] == -(x1.scalars[i] - x2.scalars[i]))
        }
        #expect(throws: HingeError.self) { try loss(input1: x1, input2: x2, target: Tensor(scalar: 1)) }
    }

    @Test func softMarginOverflowsLikeTorchInFloat32() throws {
        let result = try SoftMarginLoss<Float>(reduction: .none)(input: Tensor([-100, 20, 0]), target: Tensor<Float>([1, 1, 1]))
        #expect(result.loss.scalars[0] == .infinity)
        #expect(result.gradient.scalars[0].isNaN)
        #expect(result.loss.scalars[1] > 0)
        #expect(result.gradient.scalars[2] == -0.5)
        let double = try SoftMarginLoss<Double>(reduction: .none)(input: Tensor([-100]), target: Tensor<Double>([1]))
        #expect(double.loss.scalars[0].isFinite)
        #expect(throws: HingeError.self) {
            try SoftMarginLoss<Float>()(input: Tensor([1, 2]), target: try Tensor<Float>(shape: [2, 2], scalars: [1, 1, 1, 1]))
        }
    }

    @Test func softMarginGradientMatchesCentralDifferences() throws {
        let loss = SoftMarginLoss<Double>(reduction: .sum)
        for x in stride(from: -4.0, through: 4.0, by: 0.7) {
            for y in [-1.0, 1.0] {
                let h = 1e-6
                let up = try loss(input: Tensor([x + h]), target: Tensor([y])).loss.scalar!
                let down = try loss(input: Tensor([x - h]), target: Tensor([y])).loss.scalar!
                let analytic = try loss(input: Tensor([x]), target: Tensor([y])).gradient.scalars[0]
                #expect((((up - down) / (2 * h)) - analytic).magnitude < 1e-8)
            }
        }
    }

    @Test func tripletGradientsMatchCentralDifferences() throws {
        let a = try Tensor<Double>(shape: [2, 3], scalars: [0.1, -0.4, 0.9, 1.2, 0.3, -0.7])
        let p = try Tensor<Double>(shape: [2, 3], scalars: [0.5, 0.2, 0.1, 0.8, -0.2, 0.4])
        let n = try Tensor<Double>(shape: [2, 3], scalars: [0.2, -0.3, 0.6, 0.1, 1.5, -0.9])
        for norm in [1.5, 2, 3] {
            for swap in [false, true] {
                let loss = try TripletMarginLoss<Double>(margin: 2, p: norm, eps: 0, swap: swap, reduction: .sum)
                let result = try loss(anchor: a, positive: p, negative: n)
                for k in 0..<6 {
                    let h = 1e-6
                    var up = a.scalars, down = a.scalars
                    up[k] += h
                    down[k] -= h
                    let f = { (v: [Double]) throws -> Double in
                        try loss(anchor: Tensor(shape: [2, 3], scalars: v), positive: p, negative: n).loss.scalar!
                    }
                    let numeric = (try f(up) - f(down)) / (2 * h)
                    #expect((numeric - result.gradAnchor.scalars[k]).magnitude < 1e-6, "p \(norm) swap \(swap) k \(k)")
                }
            }
        }
    }

    @Test func tripletDefaultEpsGivesAGradientWhenAnchorEqualsPositive() throws {
        let a = try Tensor<Double>(shape: [1, 2], scalars: [0, 0])
        let n = try Tensor<Double>(shape: [1, 2], scalars: [0.5, 0])
        let result = try TripletMarginLoss<Double>(reduction: .sum)(anchor: a, positive: a, negative: n)
        #expect(result.gradPositive.scalars.allSatisfy { $0 != 0 })
        #expect(throws: HingeError.self) { try TripletMarginLoss<Double>(margin: 0) }
        #expect(throws: HingeError.self) {
            try TripletMarginLoss<Double>()(anchor: a, positive: Tensor([0, 0]), negative: n)
        }
    }

    @Test func cosineEmbeddingGradientsMatchCentralDifferences() throws {
        let x1 = try Tensor<Double>(shape: [3, 3], scalars: [0.1, -0.4, 0.9, 1.2, 0.3, -0.7, 0.5, 0.5, 0.5])
        let x2 = try Tensor<Double>(shape: [3, 3], scalars: [0.5, 0.2, 0.1, 0.8, -0.2, 0.4, -0.3, 1, 0.2])
        let y = Tensor<Double>([1, -1, -1])
        let loss = CosineEmbeddingLoss<Double>(margin: -0.2, reduction: .sum)
        let result = try loss(input1: x1, input2: x2, target: y)
        for k in 0..<9 {
            let h = 1e-6
            var up = x1.scalars, down = x1.scalars
            up[k] += h
            down[k] -= h
            let f = { (v: [Double]) throws -> Double in
                try loss(input1: Tensor(shape: [3, 3], scalars: v), input2: x2, target: y).loss.scalar!
            }
            let numeric = (try f(up) - f(down)) / (2 * h)
            #expect((numeric - result.gradInput1.scalars[k]).magnitude < 1e-6, "k \(k)")
        }
    }

    @Test func cosineEmbeddingQuirks() throws {
        // ATen's EPSILON is a float: float64 adds Float(1e-12).
        #expect(CosineEmbeddingLoss<Double>.epsilon == Double(Float(1e-12)))
        #expect(CosineEmbeddingLoss<Double>.epsilon != 1e-12)
        // float32: m1 · m2 overflows before the square root, so equal large vectors cost 1.
        let big = try Tensor<Float>(shape: [1, 2], scalars: [3e18, 4e18])
        let f32 = try CosineEmbeddingLoss<Float>(reduction: .none)(input1: big, input2: big, target: Tensor<Double>([1]))
        #expect(f32.loss.scalars == [1])
        let f64 = try CosineEmbeddingLoss<Double>(reduction: .none)(
            input1: big.map(Double.init), input2: big.map(Double.init), target: Tensor<Double>([1]))
        #expect(f64.loss.scalars[0].magnitude < 1e-12)
        // Targets other than ±1 select neither branch.
        let x = try Tensor<Double>(shape: [3, 2], scalars: [1, 0, 0, 1, 1, 1])
        let other = try CosineEmbeddingLoss<Double>(reduction: .none)(input1: x, input2: x, target: Tensor([0, 2, .nan]))
        #expect(other.loss.scalars == [0, 0, 0])
        #expect(failure { _ = try CosineEmbeddingLoss<Double>()(input1: x, input2: x, target: Tensor<Double>(scalar: 1)) }
            == ["shape_mismatch", "input1"])
    }

    @Test func tripletWithDistanceIsTripletWithThatNorm() throws {
        let a = try Tensor<Double>(shape: [2, 3], scalars: [0.1, -0.4, 0.9, 1.2, 0.3, -0.7])
        let p = try Tensor<Double>(shape: [2, 3], scalars: [0.5, 0.2, 0.1, 0.8, -0.2, 0.4])
        let n = try Tensor<Double>(shape: [2, 3], scalars: [0.2, -0.3, 0.6, 0.1, 1.5, -0.9])
        let withDistance = try TripletMarginWithDistanceLoss<Double>(
            distanceFunction: .pairwiseDistance(p: 1), margin: 2, swap: true)(anchor: a, positive: p, negative: n)
        let plain = try TripletMarginLoss<Double>(margin: 2, p: 1, swap: true)(anchor: a, positive: p, negative: n)
        #expect(withDistance.loss.scalars == plain.loss.scalars)
        #expect(withDistance.gradNegative.scalars == plain.gradNegative.scalars)
        #expect(failure { _ = try TripletMarginWithDistanceLoss<Double>(margin: 0) } == ["invalid_parameter", "margin"])
    }

    @Test func broadcastingHelpers() throws {
        #expect(Broadcasting.shape([2, 1], [3]) == [2, 3])
        #expect(Broadcasting.shape([2], [3]) == nil)
        #expect(Broadcasting.shape([], [4, 1]) == [4, 1])
        #expect(Broadcasting.sourceIndices(of: [2, 1], in: [2, 3]) == [0, 0, 0, 1, 1, 1])
        #expect(Broadcasting.sourceIndices(of: [3], in: [2, 3]) == [0, 1, 2, 0, 1, 2])
        #expect(Broadcasting.sumToShape([1.0, 2, 3, 4, 5, 6], from: [2, 3], to: [3]) == [5, 7, 9])
        #expect(Broadcasting.sumToShape([1.0, 2, 3, 4, 5, 6], from: [2, 3], to: []) == [21])
        #expect(throws: HingeError.self) { try Broadcasting.shape([2, 2], "input", [3], "target") }
    }
}

/// The kind and argument of the `HingeError` that `body` throws, as `[kind, argument]`.
func failure(_ body: () throws -> Void) -> [String] {
    do {
        try body()
        return ["no error"]
    } catch let error as HingeError {
        return [error.kind.rawValue, error.argument]
    } catch {
        return ["unexpected \(error)"]
    }
}
