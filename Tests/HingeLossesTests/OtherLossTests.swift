import Testing

@testable import HingeLosses

@Suite("Ranking and multi-class losses")
struct OtherLossTests {
    @Test func rankingHingeGradientsAndKink() throws {
        let loss = try RankingHinge<Double>(margin: 0.5)
        let pos = Tensor<Double>([1, 2, 0.5, .nan])
        let neg = Tensor<Double>([0.5, 0, 1, 0])
        let r = try loss(positive: pos, negative: neg, reduction: .none)
        // Element 0 sits exactly on the kink: (0.5 + 0.5) − 1 == 0, so no gradient.
        #expect(r.loss.scalars[0] == 0 && r.gradPositive.scalars[0] == 0 && r.gradNegative.scalars[0] == 0)
        #expect(r.loss.scalars[1] == 0 && r.gradPositive.scalars[1] == 0)
        #expect(r.loss.scalars[2] == (0.5 + 1) - 0.5 && r.gradPositive.scalars[2] == -1 && r.gradNegative.scalars[2] == 1)
        #expect(r.loss.scalars[3].isNaN && r.gradPositive.scalars[3].isNaN && r.gradNegative.scalars[3].isNaN)
        #expect(throws: HingeError.self) { try RankingHinge<Double>(margin: .nan) }
        #expect(throws: HingeError.self) { try loss(positive: pos, negative: Tensor([1])) }
    }

    @Test func crammerSingerWithTwoClassesIsTheHingeOfTheScoreDifference() throws {
        let z = try Tensor<Double>(shape: [4, 2], scalars: [0.3, -0.2, 2, 0, -1, 1.5, 0.5, -0.5])
        let y = Tensor<Int>([0, 0, 1, 1])
        let cs = try CrammerSinger<Double>()(labels: y, scores: z, reduction: .none)
        for i in 0..<4 {
            let wrong = z.scalars[2 * i + (1 - y.scalars[i])]
            let right = z.scalars[2 * i + y.scalars[i]]
            #expect(cs.loss.scalars[i] == Hinge<Double>().value(atMargin: right - wrong) || cs.loss.scalars[i] == (1 + wrong) - right)
        }
        // Where the loss equals Weston–Watkins: one wrong class only.
        let ww = try WestonWatkins<Double>()(labels: y, scores: z, reduction: .none)
        #expect(ww.loss == cs.loss)
        #expect(ww.gradient == cs.gradient)
    }

    @Test func crammerSingerTiesGoToTheFirstIndex() throws {
        let z = try Tensor<Float>(shape: [1, 4], scalars: [0, 0.5, 0.5, 0.2])
        let r = try CrammerSinger<Float>()(labels: Tensor([3]), scores: z, reduction: .sum)
        #expect(r.gradient.scalars == [0, 1, 0, -1])
    }

    @Test func crammerSingerNaNPoisonsTheRow() throws {
        let z = try Tensor<Double>(shape: [2, 3], scalars: [0, .nan, 0, 0, 1, 2])
        let r = try CrammerSinger<Double>()(labels: Tensor([0, 2]), scores: z, reduction: .none)
        #expect(r.loss.scalars[0].isNaN)
        #expect(r.gradient.scalars[0..<3].allSatisfy { $0.isNaN })
        #expect(!r.loss.scalars[1].isNaN)
    }

    @Test func westonWatkinsCountsViolations() throws {
        let z = try Tensor<Double>(shape: [1, 4], scalars: [2, 1.5, 1, -3])
        let r = try WestonWatkins<Double>()(labels: Tensor([0]), scores: z, reduction: .none)
        // Class 1 violates (1 + 1.5 − 2 > 0); class 2 sits on the margin (1 + 1 − 2 == 0); class 3 is clear.
        #expect(r.gradient.scalars == [-1, 1, 0, 0])
        #expect(r.loss.scalars == [(1 + 1.5) - 2])
    }

    @Test func westonWatkinsNaNReachesOnlyTheScoresItDependsOn() throws {
        let z = try Tensor<Double>(shape: [1, 3], scalars: [0, .nan, 2])
        let r = try WestonWatkins<Double>()(labels: Tensor([0]), scores: z, reduction: .none)
        #expect(r.loss.scalars[0].isNaN)
        #expect(r.gradient.scalars[0].isNaN && r.gradient.scalars[1].isNaN)
        #expect(r.gradient.scalars[2] == 1)
    }

    @Test func singleClassHasNoWrongClass() throws {
        let z = try Tensor<Double>(shape: [2, 1], scalars: [5, -5])
        for loss in [AnyMulticlass(CrammerSinger<Double>()), AnyMulticlass(WestonWatkins<Double>())] {
            let r = try loss.evaluate(Tensor([0, 0]), z)
            #expect(r.loss.scalars == [0, 0] && r.gradient.scalars == [0, 0])
        }
    }

    @Test func multiclassErrorsNameTheArgument() throws {
        let z = try Tensor<Double>(shape: [2, 3], scalars: [0, 1, 2, 3, 4, 5])
        let cases: [(Tensor<Int>, Tensor<Double>, HingeError.Kind, String)] = [
            (Tensor([0, 3]), z, .invalidTarget, "y"),
            (Tensor([-1, 0]), z, .invalidTarget, "y"),
            (Tensor([0]), z, .shapeMismatch, "y"),
            (try Tensor(shape: [1, 2], scalars: [0, 1]), z, .shapeMismatch, "y"),
            (Tensor([0, 1]), Tensor([0, 1]), .shapeMismatch, "z"),
        ]
        for (y, scores, kind, argument) in cases {
            do {
                _ = try CrammerSinger<Double>()(labels: y, scores: scores)
                Issue.record("accepted y \(y) z \(scores.shape)")
            } catch {
                #expect(error.kind == kind && error.argument == argument, "\(error)")
            }
        }
        // An empty batch needs no valid labels and has a NaN mean.
        let empty = try WestonWatkins<Double>()(labels: Tensor([]), scores: try Tensor(shape: [0, 3], scalars: []))
        #expect(empty.loss.scalar!.isNaN && empty.gradient.shape == [0, 3])
    }
}

struct AnyMulticlass {
    let evaluate: (Tensor<Int>, Tensor<Double>) throws -> LossAndGradient<Double>
    init<L: MulticlassMarginLoss<Double>>(_ loss: L) {
        evaluate = { try loss(labels: $0, scores: $1, reduction: .none) }
    }
}
