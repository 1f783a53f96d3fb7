import Foundation
import HingeConformance
@testable import HingeSuites
import Testing

@Suite("Conventions and the divergence matrix")
struct ConventionsTests {
    static let registry = SuiteRegistry.bundled

    /// CONVENTIONS.md is the matrix the code gives today (regenerate it with the command it names).
    @Test func conventionsFileIsCurrent() throws {
        let file = BundledFixtures.packageRoot.appendingPathComponent("CONVENTIONS.md")
        let committed = try String(contentsOf: file, encoding: .utf8)
        let matrix = DivergenceMatrix(
            conventions: Convention.bundled, registry: Self.registry, perKind: DivergenceDefaults.draws, seed: DivergenceDefaults.seed)
        let current = matrix.markdown(command: DivergenceDefaults.command)
        #expect(committed == current, "CONVENTIONS.md is stale: run \(DivergenceDefaults.command)")
    }

    @Test func everyConventionNamesARegisteredSuiteOnce() {
        let names = Convention.bundled.map(\.name)
        #expect(Set(names).count == names.count, "duplicate convention names")
        for convention in Convention.bundled {
            #expect(Self.registry.implementation(for: convention.suite) != nil, "\(convention.name): no implementation")
            #expect(!convention.notes.isEmpty)
        }
    }

    /// A mapping that names a wrong argument would raise on every problem and read as "both
    /// raise" in the matrix: every convention must run on the regular problems (scikit-learn's
    /// multiclass hinge_loss aside, which takes 2 classes as a binary problem and then wants
    /// 1-D decisions).
    @Test func everyConventionRunsOnRegularProblems() throws {
        for convention in Convention.bundled {
            let problems = CanonicalDraws.problems(convention.family, perKind: 8, seed: 3).filter { $0.kind == .regular }
            let outcomes = ConventionComparison.outcomes(convention, problems, Self.registry)
            for (problem, outcome) in zip(problems, outcomes) {
                if convention.suite == "sklearn.metrics.hinge_loss" && convention.family == .multiclass && problem.width == 2 {
                    continue
                }
                guard case .success(let result) = outcome else {
                    Issue.record("\(convention.name) raised on \(ConventionComparison.describe(problem)): \(outcome)")
                    continue
                }
                #expect(result.losses.count == problem.count, "\(convention.name): \(result.losses.count) losses for \(problem.count) samples")
                for (name, gradient) in result.gradients {
                    #expect(gradient.count == problem.values(name).count, "\(convention.name): d/d\(name) has \(gradient.count) elements")
                }
            }
        }
    }

    // MARK: Known divergences, each read off the matrix

    static func comparison(_ a: String, _ b: String, perKind: Int = 8) throws -> ConventionComparison {
        let first = try #require(Convention.bundled.first { $0.name == a })
        let second = try #require(Convention.bundled.first { $0.name == b })
        let problems = CanonicalDraws.problems(first.family, perKind: perKind, seed: 7)
        return ConventionComparison(first, second, problems: problems, registry: registry)
    }

    /// Keras on TensorFlow passes the full gradient at the kink, on JAX half of it; elsewhere they agree.
    @Test func kerasBackendsDifferOnlyAtTheKink() throws {
        let c = try Self.comparison("keras.losses.hinge[backend=tensorflow]", "keras.losses.hinge[backend=jax]")
        let regular = try #require(c.cells[.regular]), kink = try #require(c.cells[.kink])
        #expect(regular.lossesEqual == regular.draws && regular.gradientsEqual == regular.draws)
        #expect(kink.lossesEqual == kink.draws)
        #expect(kink.gradientsEqual < kink.draws && kink.gradientMaxAbs == 0.5)
    }

    /// torch's MultiMarginLoss is Weston–Watkins divided by C.
    @Test func multiMarginIsWestonWatkinsOverC() throws {
        let torch = try #require(Convention.bundled.first { $0.suite == "torch.nn.functional.multi_margin_loss" })
        let ww = try #require(Convention.bundled.first { $0.suite == "math.weston_watkins" })
        let problems = CanonicalDraws.problems(.multiclass, perKind: 8, seed: 5).filter { $0.kind == .regular && $0.dtype == .float64 }
        let t = ConventionComparison.outcomes(torch, problems, Self.registry)
        let w = ConventionComparison.outcomes(ww, problems, Self.registry)
        for (problem, (a, b)) in zip(problems, zip(t, w)) {
            let (x, y) = (try a.get(), try b.get())
            for (torchLoss, wwLoss) in zip(x.losses, y.losses) {
                #expect((torchLoss * Double(problem.width) - wwLoss).magnitude <= 1e-12 * max(1, wwLoss))
            }
        }
    }

    /// scikit-learn's hinge_loss encodes a binary batch of one class as all −1.
    @Test func sklearnHingeLossOfOneClassTreatsItAsNegative() throws {
        let sklearn = try #require(Convention.bundled.first { $0.suite == "sklearn.metrics.hinge_loss" && $0.family == .binary })
        let implementation = try #require(Self.registry.implementation(for: sklearn.suite))
        let problem = CanonicalProblem(
            family: .binary, kind: .regular, dtype: .float64, arrays: ["scores": try .float64([2.5, -0.5], shape: [2])],
            labels: [1, 1], count: 2, width: 1)
        let outcome = try sklearn.evaluate(problem, implementation)
        #expect(outcome.losses == [3.5, 0.5], "max(0, 1 + z): the labels were taken as −1")
        #expect(outcome.gradients.isEmpty)
    }

    @Test func differentLengthsAndNonFiniteValuesAreDifferences() {
        #expect(ConventionComparison.difference([1, .nan, -0.0], [1, .nan, 0]) == 0)
        #expect(ConventionComparison.difference([1], [1, 2]) == .infinity)
        #expect(ConventionComparison.difference([.nan], [0]) == .infinity)
        #expect(ConventionComparison.difference([1, 2], [1.5, 2]) == 0.5)
        #expect(ConventionComparison.Cell.bound(.infinity) == "(NaN/inf)")
        #expect(ConventionComparison.Cell.bound(0.25) == "(|Δ| ≤ 0.25)")
    }

    // MARK: The canonical problems

    @Test func regularProblemsStayOffTheKinksAndKinkProblemsHitThem() {
        var kinksHit = 0
        for problem in CanonicalDraws.problems(.binary, perKind: 50, seed: 11) where problem.kind == .regular || problem.kind == .kink {
            let margins = zip(problem.values("scores"), problem.labels).map { $0 * Double($1) }
            let onKink = margins.contains { $0 == 1 || $0 == 0 || $0 == -1 }
            if problem.kind == .regular { #expect(!onKink, "\(margins)") } else if onKink { kinksHit += 1 }
        }
        #expect(kinksHit > 50, "kink problems should mostly sit on a kink: \(kinksHit) of 100")
        for problem in CanonicalDraws.problems(.multiclass, perKind: 50, seed: 11) where problem.kind == .regular {
            let z = problem.values("scores")
            for n in 0..<problem.count {
                let row = Array(z[(n * problem.width)..<((n + 1) * problem.width)])
                #expect(Set(row).count == row.count, "tied scores \(row)")
                let y = problem.labels[n]
                #expect(!row.indices.contains { $0 != y && 1 - row[y] + row[$0] == 0 }, "a margin on the kink: \(row), y \(y)")
            }
        }
        for problem in CanonicalDraws.problems(.ranking, perKind: 50, seed: 11) where problem.kind == .regular {
            for (a, b) in zip(problem.values("x1"), problem.values("x2")) { #expect(![0, 1, -1].contains(a - b)) }
        }
    }

    @Test func specialKindsHoldWhatTheyName() {
        for family in LossFamily.allCases {
            let problems = CanonicalDraws.problems(family, perKind: 10, seed: 2)
            #expect(problems.count == 10 * CanonicalProblem.Kind.allCases.count * 2)
            for problem in problems {
                let first = problem.values(family.arrayNames[0])
                switch problem.kind {
                case .nan: #expect(first.filter(\.isNaN).count == 1)
                case .inf: #expect(first.filter(\.isInfinite).count == 1 && !first.contains { $0.isNaN })
                case .empty: #expect(problem.count == 0 && first.isEmpty)
                case .regular, .kink: #expect(problem.count > 0 && first.allSatisfy(\.isFinite))
                }
                for name in family.arrayNames { #expect(problem.arrays[name]?.dtype == problem.dtype) }
            }
            let again = CanonicalDraws.problems(family, perKind: 10, seed: 2)
            let repeated = zip(problems, again).allSatisfy { a, b in
                a.labels == b.labels && family.arrayNames.allSatisfy { ConventionComparison.difference(a.values($0), b.values($0)) == 0 }
            }
            #expect(repeated, "seeded draws repeat")
        }
    }
}
