import Foundation
import HingeLosses
import PropertyBased
import Testing

/// MLX's losses (`MLXLosses`): away from kinks every gradient equals the central finite
/// difference of the summed output, for both triplet formulas.
@Suite("MLX gradients equal central differences away from kinks")
struct MLXGradientProperties {
    static let draws = 300

    struct PairDraw: Sendable, CustomStringConvertible {
        var x1: [Double], x2: [Double], y: [Double], margin: Double, reduction: Reduction
        var description: String { "x1 \(x1), x2 \(x2), y \(y), margin \(margin), \(reduction)" }
    }

    /// Elementwise draws: hinge_loss uses x1 and y; margin_ranking_loss all three.
    static let pairDraws = zip(
        Gen.int(in: 1...12), Gen.double(in: -3...3).array(of: 12), Gen.double(in: -3...3).array(of: 12),
        Gen.double(in: -2...2).array(of: 12), Gen.double(in: -1...1), Gen<Reduction>.case
    ).map { t in
        PairDraw(x1: Array(t.1.prefix(t.0)), x2: Array(t.2.prefix(t.0)), y: Array(t.3.prefix(t.0)), margin: t.4, reduction: t.5)
    }

    @Test func hingeLoss() async throws {
        let draws = Self.pairDraws.filter { d in zip(d.x1, d.y).allSatisfy { clearance(1 - $0 * $1) >= kinkClearance } }
        await propertyCheck(count: Self.draws, input: draws) { d in
            func run(_ x: [Double], _ y: [Double]) throws -> MLXLosses.HingeResult<Double> {
                try MLXLosses.hingeLoss(inputs: Tensor(x), targets: Tensor(y), reduction: d.reduction)
            }
            let r = try run(d.x1, d.y)
            try FiniteDifference.check("hinge_loss inputs", at: d.x1, gradient: r.gradInputs.scalars) { total(try run($0, d.y).loss) }
            try FiniteDifference.check("hinge_loss targets", at: d.y, gradient: r.gradTargets.scalars) { total(try run(d.x1, $0).loss) }
        }
    }

    @Test func marginRankingLoss() async throws {
        let draws = Self.pairDraws.filter { d in
            d.x1.indices.allSatisfy { clearance(-d.y[$0] * (d.x1[$0] - d.x2[$0]) + d.margin) >= kinkClearance }
        }
        await propertyCheck(count: Self.draws, input: draws) { d in
            func run(_ a: [Double], _ b: [Double], _ y: [Double]) throws -> MLXLosses.MarginRankingResult<Double> {
                try MLXLosses.marginRankingLoss(inputs1: Tensor(a), inputs2: Tensor(b), targets: Tensor(y), margin: d.margin, reduction: d.reduction)
            }
            let r = try run(d.x1, d.x2, d.y)
            try FiniteDifference.check("margin_ranking_loss inputs1", at: d.x1, gradient: r.gradInputs1.scalars) { total(try run($0, d.x2, d.y).loss) }
            try FiniteDifference.check("margin_ranking_loss inputs2", at: d.x2, gradient: r.gradInputs2.scalars) { total(try run(d.x1, $0, d.y).loss) }
            try FiniteDifference.check("margin_ranking_loss targets", at: d.y, gradient: r.gradTargets.scalars) { total(try run(d.x1, d.x2, $0).loss) }
        }
    }

    struct TripletDraw: Sendable, CustomStringConvertible {
        var rows: Int, width: Int, a: [Double], p: [Double], n: [Double], norm: Double, margin: Double
        var formula: MLXLosses.TripletFormula, reduction: Reduction
        var description: String { "\(formula) p \(norm), rows \(rows), D \(width), margin \(margin), \(reduction), a \(a), p \(p), n \(n)" }

        /// The distance of one row, as the formula defines it (eps = 1e-6).
        func distance(_ x: ArraySlice<Double>, _ y: ArraySlice<Double>) -> Double {
            let s = zip(x, y).reduce(0.0) { sum, pair in
                let d = pair.0 - pair.1
                return sum + Foundation.pow(formula == .pNorm ? d.magnitude : d, norm)
            }
            return formula == .pNorm ? Foundation.pow(s + 1e-6, 1 / norm) : (s + 1e-6).squareRoot()
        }

        /// Distance to the clamp's kink, and for p = 1 to the nearest zero coordinate (|d|'s kink).
        var clearance: Double {
            var least = Double.infinity
            for r in 0..<rows {
                let range = (r * width)..<(r * width + width)
                least = min(least, HingePropertyTests.clearance(distance(a[range], p[range]) - distance(a[range], n[range]) + margin))
                if norm == 1 {
                    for k in range { least = min(least, (a[k] - p[k]).magnitude, (a[k] - n[k]).magnitude) }
                }
            }
            return least
        }
    }

    /// p ∈ {1, 2, 3} for the p-norm; the legacy formula with p = 2 (its odd p sum signed
    /// powers, NaN below zero) and p = 4 (even, so defined).
    static let tripletDraws = zip(
        Gen.int(in: 1...4), Gen.int(in: 1...4), Gen.double(in: -2...2).array(of: 48), Gen.int(in: 1...3), Gen.double(in: -1...2),
        Gen.bool, Gen<Reduction>.case
    ).map { t in
        let (rows, width) = (t.0, t.1)
        let count = rows * width
        let formula: MLXLosses.TripletFormula = t.5 ? .pNorm : .sqrtOfPowerSum
        return TripletDraw(
            rows: rows, width: width, a: Array(t.2[0..<count]), p: Array(t.2[16..<(16 + count)]), n: Array(t.2[32..<(32 + count)]),
            norm: formula == .pNorm ? Double(t.3) : (t.3 == 3 ? 4 : 2), margin: t.4, formula: formula, reduction: t.6)
    }.filter { $0.clearance >= kinkClearance }

    @Test func tripletLoss() async throws {
        await propertyCheck(count: Self.draws, input: Self.tripletDraws) { d in
            let shape = [d.rows, d.width]
            func run(_ a: [Double], _ p: [Double], _ n: [Double]) throws -> MLXLosses.TripletResult<Double> {
                try MLXLosses.tripletLoss(
                    anchors: .of(shape, a), positives: .of(shape, p), negatives: .of(shape, n), p: d.norm, margin: d.margin,
                    reduction: d.reduction, formula: d.formula)
            }
            let r = try run(d.a, d.p, d.n)
            try FiniteDifference.check("triplet_loss anchors", at: d.a, gradient: r.gradAnchors.scalars) { total(try run($0, d.p, d.n).loss) }
            try FiniteDifference.check("triplet_loss positives", at: d.p, gradient: r.gradPositives.scalars) { total(try run(d.a, $0, d.n).loss) }
            try FiniteDifference.check("triplet_loss negatives", at: d.n, gradient: r.gradNegatives.scalars) { total(try run(d.a, d.p, $0).loss) }
        }
    }
}
