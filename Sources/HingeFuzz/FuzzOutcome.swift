import Foundation
import HingeConformance

/// What a reference (mirror or framework) or the Swift implementation did with a case.
package enum FuzzOutcome: Sendable {
    case outputs(NamedArrays)
    case error(ErrorKind, message: String)
    /// The framework leaves the result undefined (torch's empty-batch mean), or the mirror
    /// does not model these inputs: not compared.
    case skipped(reason: String, message: String)
    /// Python raised something that is not the suite's LossError: a bug in the mirror or the harness.
    case crashed(String)

    /// How `--stats` counts a reference's result.
    package var statsLabel: String {
        switch self {
        case .outputs(let outputs):
            var nonFinite = false
            for (_, array) in outputs {
                switch array.storage {
                case .float32(let a): nonFinite = nonFinite || a.contains { !$0.isFinite }
                case .float64(let a): nonFinite = nonFinite || a.contains { !$0.isFinite }
                default: break
                }
            }
            return nonFinite ? "reference: outputs with NaN/inf" : "reference: finite outputs"
        case .error(let kind, _): return "reference: \(kind) error"
        case .skipped(let reason, _): return "reference: skipped (\(reason))"
        case .crashed: return "reference: crashed"
        }
    }

    /// A reference's outcome as if it were an implementation's, to compare the mirror with the framework.
    package var asResult: Result<NamedArrays, any Error> {
        switch self {
        case .outputs(let outputs): .success(outputs)
        case .error(let kind, let message): .failure(CaseError(kind, argument: "mirror", message))
        case .skipped(let reason, let text): .failure(MirrorFailure(text: "\(reason): " + text))
        case .crashed(let text): .failure(MirrorFailure(text: text))
        }
    }

    /// Why `actual` does not match this expected outcome (nil when it does): outputs under
    /// the fixture file's tolerance for `base`, errors by kind.
    package func disagreement(with actual: Result<NamedArrays, any Error>, file: FixtureFile, base: FixtureCase) -> String? {
        switch (self, actual) {
        case (.crashed(let traceback), _):
            return "the reference crashed: " + (traceback.split(separator: "\n").last.map(String.init) ?? traceback)
        case (.skipped, _):
            return nil
        case (.outputs(let want), .success(let got)):
            var problems: [String] = []
            for (name, array) in want {
                guard let mine = got[name] else {
                    problems.append("\(name): missing (returned \(got.keys))")
                    continue
                }
                let result = Comparator.compare(
                    name: name, actual: mine, expected: array, tolerance: file.tolerance(for: base, dtype: array.dtype))
                if !result.passed { problems.append(result.message ?? name) }
            }
            return problems.isEmpty ? nil : problems.joined(separator: "; ")
        case (.outputs, .failure(let error)):
            return "threw \(Self.describe(error)), the reference returned outputs"
        case (.error(let kind, let message), .success(let got)):
            return "returned \(got.keys), the reference raised \(kind): \(message)"
        case (.error(let kind, let message), .failure(let error)):
            if let classified = error as? any ClassifiedError, classified.errorKind == kind { return nil }
            return "threw \(Self.describe(error)), the reference raised \(kind): \(message)"
        }
    }

    private static func describe(_ error: any Error) -> String {
        if let classified = error as? any ClassifiedError { return "\(classified.errorKind) '\(error)'" }
        return "'\(error)'"
    }
}

private struct MirrorFailure: Error, CustomStringConvertible {
    var text: String
    var description: String { text }
}

/// One suite's fuzz totals.
package struct FuzzTally: Sendable {
    package var cases = 0
    package var agree = 0
    package var disagree = 0
    /// Draws not judged, by reason (`TorchUndefined`, `NotCertified`, `timeout`, ...).
    package var skipped: [String: Int] = [:]
    package var seconds = 0.0
    /// What the reference did with the judged cases (for `--stats`).
    package var outcomes: [String: Int] = [:]

    package init(cases: Int = 0, agree: Int = 0, disagree: Int = 0, skipped: [String: Int] = [:], seconds: Double = 0) {
        self.cases = cases
        self.agree = agree
        self.disagree = disagree
        self.skipped = skipped
        self.seconds = seconds
    }

    package var rate: Double { seconds > 0 ? Double(cases) / seconds : 0 }

    /// The summary line: 'N cases, N agree, N disagree, N cases/s' and the skipped draws by reason.
    package var line: String {
        let shownRate = rate >= 100 ? String(Int(rate.rounded())) : String(format: "%.2g", rate)
        var text = "\(cases) cases, \(agree) agree, \(disagree) disagree, \(shownRate) cases/s"
        if !skipped.isEmpty {
            let reasons = skipped.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            text += " (\(skipped.values.reduce(0, +)) more drawn and skipped: \(reasons))"
        }
        return text
    }

    package static func + (a: FuzzTally, b: FuzzTally) -> FuzzTally {
        FuzzTally(cases: a.cases + b.cases, agree: a.agree + b.agree, disagree: a.disagree + b.disagree,
                  skipped: a.skipped.merging(b.skipped, uniquingKeysWith: +), seconds: a.seconds + b.seconds)
    }
}

/// A disagreement, as it goes into the findings file.
package struct FuzzFinding: Sendable {
    package var id: String
    package var base: FixtureCase
    package var inputs: NamedArrays
    /// The reference's result (the framework's when available, else the mirror's); nil when it crashed.
    package var expected: FuzzOutcome
    package var what: [String]

    package init(id: String, base: FixtureCase, inputs: NamedArrays, expected: FuzzOutcome, what: [String]) {
        self.id = id
        self.base = base
        self.inputs = inputs
        self.expected = expected
        self.what = what
    }
}
