import HingeConformance

/// Two conventions of one loss run on the same canonical problems: where their
/// per-sample losses, gradients, errors and default outputs differ, and by how much,
/// for each ``CanonicalProblem/Kind``.
public struct ConventionComparison: Sendable {
    /// The tally of one kind of problem.
    public struct Cell: Sendable {
        public var draws = 0
        public var bothRaised = 0
        public var onlyFirstRaised = 0
        public var onlySecondRaised = 0
        /// Draws where both gave losses, and where those were equal element for element
        /// (NaN equals NaN, −0 equals +0, nothing else is forgiven).
        public var lossesCompared = 0
        public var lossesEqual = 0
        public var lossMaxAbs = 0.0
        /// Draws where both gave a gradient for a canonical array, and where all were equal.
        public var gradientsCompared = 0
        public var gradientsEqual = 0
        public var gradientMaxAbs = 0.0
        /// Calls with each suite's defaults: draws where both ran, shapes differed, values were equal.
        public var defaultsCompared = 0
        public var defaultShapesDiffer = 0
        public var defaultsEqual = 0
        /// The first problem on which the two disagreed, described.
        public var example: String?
    }

    public let first: Convention
    public let second: Convention
    public private(set) var cells: [CanonicalProblem.Kind: Cell] = [:]

    /// Runs both conventions' implementations from `registry` on `problems`.
    public init(_ first: Convention, _ second: Convention, problems: [CanonicalProblem], registry: SuiteRegistry) {
        self.init(
            first, second, problems: problems,
            firstOutcomes: Self.outcomes(first, problems, registry), secondOutcomes: Self.outcomes(second, problems, registry))
    }

    /// Tallies outcomes already computed (one per problem, in order).
    public init(
        _ first: Convention, _ second: Convention, problems: [CanonicalProblem],
        firstOutcomes: [Result<CanonicalOutcome, any Error>], secondOutcomes: [Result<CanonicalOutcome, any Error>]
    ) {
        self.first = first
        self.second = second
        for (problem, (a, b)) in zip(problems, zip(firstOutcomes, secondOutcomes)) {
            tally(problem, a, b)
        }
    }

    /// Each problem's outcome under `convention`; an error when the suite raised or has no implementation.
    public static func outcomes(_ convention: Convention, _ problems: [CanonicalProblem], _ registry: SuiteRegistry)
        -> [Result<CanonicalOutcome, any Error>]
    {
        guard let implementation = registry.implementation(for: convention.suite) else {
            let missing = CaseError(.invalidParameter, argument: "suite", "no implementation for \(convention.suite)")
            return problems.map { _ in .failure(missing) }
        }
        return problems.map { problem in Result { try convention.evaluate(problem, implementation) } }
    }

    private mutating func tally(
        _ problem: CanonicalProblem, _ a: Result<CanonicalOutcome, any Error>, _ b: Result<CanonicalOutcome, any Error>
    ) {
        var cell = cells[problem.kind] ?? Cell()
        cell.draws += 1
        var differences: [String] = []
        switch (a, b) {
        case (.failure, .failure):
            cell.bothRaised += 1
        case (.failure(let error), .success):
            cell.onlyFirstRaised += 1
            differences.append("\(first.name) raised (\(error)), \(second.name) returned")
        case (.success, .failure(let error)):
            cell.onlySecondRaised += 1
            differences.append("\(second.name) raised (\(error)), \(first.name) returned")
        case (.success(let x), .success(let y)):
            cell.lossesCompared += 1
            let loss = Self.difference(x.losses, y.losses)
            if loss == 0 { cell.lossesEqual += 1 } else {
                cell.lossMaxAbs = Swift.max(cell.lossMaxAbs, loss)
                differences.append("losses \(Self.describe(x.losses)) vs \(Self.describe(y.losses))")
            }
            let shared = problem.family.arrayNames.filter { x.gradients[$0] != nil && y.gradients[$0] != nil }
            if !shared.isEmpty {
                cell.gradientsCompared += 1
                var worst = 0.0
                for name in shared {
                    let d = Self.difference(x.gradients[name] ?? [], y.gradients[name] ?? [])
                    if d != 0 {
                        differences.append(
                            "d/d\(name) \(Self.describe(x.gradients[name] ?? [])) vs \(Self.describe(y.gradients[name] ?? []))")
                    }
                    worst = Swift.max(worst, d)
                }
                if worst == 0 { cell.gradientsEqual += 1 } else { cell.gradientMaxAbs = Swift.max(cell.gradientMaxAbs, worst) }
            }
            if let dx = x.defaults, let dy = y.defaults {
                cell.defaultsCompared += 1
                if dx.shape != dy.shape { cell.defaultShapesDiffer += 1 } else if Self.difference(dx.values, dy.values) == 0 {
                    cell.defaultsEqual += 1
                }
            }
        }
        if cell.example == nil, !differences.isEmpty {
            cell.example = "\(problem.dtype) \(Self.describe(problem)): " + differences.joined(separator: "; ")
        }
        cells[problem.kind] = cell
    }

    /// The largest element difference: 0 when equal (NaN = NaN, −0 = +0), infinity when
    /// the lengths differ or one side is NaN or infinite where the other is not.
    static func difference(_ x: [Double], _ y: [Double]) -> Double {
        guard x.count == y.count else { return .infinity }
        var worst = 0.0
        for (a, b) in zip(x, y) where !(a == b || (a.isNaN && b.isNaN)) {
            worst = Swift.max(worst, a.isFinite && b.isFinite ? (a - b).magnitude : .infinity)
        }
        return worst
    }

    static func describe(_ values: [Double]) -> String {
        "[" + values.prefix(6).map { "\($0)" }.joined(separator: ", ") + (values.count > 6 ? ", …" : "") + "]"
    }

    static func describe(_ problem: CanonicalProblem) -> String {
        var parts = problem.family.arrayNames.map { "\($0)=\(describe(problem.values($0)))" }
        if !problem.labels.isEmpty { parts.append("y=[" + problem.labels.map(String.init).joined(separator: ", ") + "]") }
        return parts.joined(separator: " ")
    }
}

extension ConventionComparison.Cell {
    /// One line: the errors, then `loss` and `grad` as ≡ (equal on every draw) or
    /// ≠ with the count and the largest |Δ|.
    public var summary: String {
        if draws > 0 && bothRaised == draws { return "both raise" }
        var parts: [String] = []
        if onlyFirstRaised > 0 { parts.append("A raises \(onlyFirstRaised)/\(draws)") }
        if onlySecondRaised > 0 { parts.append("B raises \(onlySecondRaised)/\(draws)") }
        if lossesCompared > 0 {
            parts.append(
                lossesEqual == lossesCompared
                    ? "loss ≡" : "loss ≠ \(lossesCompared - lossesEqual)/\(lossesCompared) \(Self.bound(lossMaxAbs))")
        }
        if gradientsCompared > 0 {
            parts.append(
                gradientsEqual == gradientsCompared
                    ? "grad ≡"
                    : "grad ≠ \(gradientsCompared - gradientsEqual)/\(gradientsCompared) \(Self.bound(gradientMaxAbs))")
        } else if lossesCompared > 0 {
            parts.append("grad –")
        }
        return parts.joined(separator: ", ")
    }

    /// `(|Δ| ≤ x)`, or `(NaN/inf)` when a NaN or an infinity met another value.
    static func bound(_ worst: Double) -> String {
        worst.isFinite ? "(|Δ| ≤ \(NumberText.short(worst)))" : "(NaN/inf)"
    }
}
