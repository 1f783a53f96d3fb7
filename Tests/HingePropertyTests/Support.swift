import HingeLosses
import PropertyBased
import Testing

// Shared pieces of the property tests: generators (PropertyBased's seeded, shrinking
// ones, so a failure prints a `.fixedSeed(...)` that replays it) and the
// finite-difference check.

/// How close to a kink a draw may come before it is resampled: far enough that a
/// step of `FiniteDifference.step` never crosses one.
let kinkClearance = 1e-3

enum FiniteDifference {
    /// The central-difference step.
    static let step = 1e-6
    static let rtol = 1e-5
    static let atol = 1e-7

    /// Checks every component of `gradient` against `(f(x + h·e_i) − f(x − h·e_i)) / (2h)`.
    ///
    /// The tolerance is `atol + rtol·|g|` plus the rounding of the quotient itself:
    /// each of the two evaluations of `f` is off by a few ulps of its magnitude, which
    /// the division by `2h` magnifies to `≈ 8·ε·max|f| / 2h`. Away from kinks the
    /// losses are piecewise polynomial or smooth, so the truncation error (`O(h²)`) is
    /// far below that.
    static func check(
        _ label: String, at x: [Double], gradient: [Double], sourceLocation: SourceLocation = #_sourceLocation,
        _ f: ([Double]) throws -> Double
    ) rethrows {
        #expect(gradient.count == x.count, "\(label): gradient has \(gradient.count) components for \(x.count) inputs", sourceLocation: sourceLocation)
        guard gradient.count == x.count else { return }
        for i in x.indices {
            var plus = x, minus = x
            plus[i] += step
            minus[i] -= step
            let fPlus = try f(plus), fMinus = try f(minus)
            let quotient = (fPlus - fMinus) / (plus[i] - minus[i])
            let rounding = 8 * Double.ulpOfOne * max(fPlus.magnitude, fMinus.magnitude) / (plus[i] - minus[i])
            let tolerance = atol + rtol * gradient[i].magnitude + rounding
            #expect(
                (gradient[i] - quotient).magnitude <= tolerance,
                "\(label): ∂/∂x[\(i)] = \(gradient[i]), central difference \(quotient) (tolerance \(tolerance)) at x = \(x)",
                sourceLocation: sourceLocation)
        }
    }
}

/// The sum of a tensor's elements: the scalar whose gradient the losses return.
func total(_ t: Tensor<Double>) -> Double { t.scalars.reduce(0, +) }

/// The distance of `z` from the kink at `at`.
func clearance(_ z: Double, from at: Double = 0) -> Double { (z - at).magnitude }

/// The gap between the largest and the second largest of `values` (∞ for fewer than two):
/// a max whose arguments tie within the clearance is a kink.
func topGap(_ values: [Double]) -> Double {
    guard values.count >= 2 else { return .infinity }
    let sorted = values.sorted(by: >)
    return sorted[0] - sorted[1]
}

extension Gen where Value == Double {
    /// Finite doubles across the whole exponent range: `m · 10^e` with `|m| ≤ 1` and
    /// `|e| ≤ maxExponent`, exact zeros and subnormals included.
    static func wide(maxExponent: Int = 300) -> Generator<Double, some SendableSequenceType> {
        zip(Gen<Double>.double(in: -1...1), Gen<Int>.int(in: -maxExponent...maxExponent), Gen<Int>.int(in: 0...15)).map { t in
            t.2 == 0 ? 0 : t.0 * powerOfTen(t.1)
        }
    }
}

/// `10^e` for `|e| ≤ 308` without Foundation.
func powerOfTen(_ e: Int) -> Double {
    var result = 1.0
    let base = e < 0 ? 0.1 : 10.0
    for _ in 0..<e.magnitude { result *= base }
    return result
}

/// A uniformly random permutation of `0..<n` for any `n ≤ 16`, from one shuffled 0..<16.
func permutation(_ shuffled: [Int], count n: Int) -> [Int] { shuffled.filter { $0 < n } }

let shuffled16 = Gen<[Int]>.shuffled(Array(0..<16))

/// `values` reordered: element `k` of the result is `values[order[k]]`.
func permuted<T>(_ values: [T], _ order: [Int]) -> [T] { order.map { values[$0] } }

/// Rows of `width` elements reordered by `order`.
func permutedRows<T>(_ values: [T], width: Int, _ order: [Int]) -> [T] {
    order.flatMap { values[($0 * width)..<($0 * width + width)] }
}

/// Sums agree up to reassociation: `|a − b| ≤ n·ε·Σ|terms|` (plus a few ulps of the result).
func sumsAgree(_ a: Double, _ b: Double, terms: [Double]) -> Bool {
    if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
    let magnitude = terms.reduce(0) { $0 + $1.magnitude }
    return (a - b).magnitude <= Double(terms.count + 4) * Double.ulpOfOne * max(magnitude, a.magnitude, b.magnitude)
}

extension Tensor where Scalar == Double {
    /// A float64 tensor of a shape the generators produce consistently.
    static func of(_ shape: [Int], _ scalars: [Double]) -> Tensor<Double> {
        do {
            return try Tensor(shape: shape, scalars: scalars, argument: "generated")
        } catch {
            fatalError("generator bug: \(error)")
        }
    }
}

func intTensor(_ shape: [Int], _ scalars: [Int]) -> Tensor<Int> {
    do {
        return try Tensor(shape: shape, scalars: scalars, argument: "generated")
    } catch {
        fatalError("generator bug: \(error)")
    }
}
