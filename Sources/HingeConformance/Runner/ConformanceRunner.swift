/// One unit of work of a run: a case to evaluate, or a broken file or case to report.
public enum RunItem: Sendable {
    case fixtureCase(FixtureCase, in: FixtureFile)
    case invalidCase(InvalidCase, in: FixtureFile)
    case unreadableFile(FixtureError)

    /// The suite the item belongs to; files that did not decode far enough to
    /// name one report under ``unreadableSuite``.
    public var suite: String {
        switch self {
        case .fixtureCase(_, let file), .invalidCase(_, let file): file.suite
        case .unreadableFile: RunItem.unreadableSuite
        }
    }

    public var id: String {
        switch self {
        case .fixtureCase(let c, _): c.id
        case .invalidCase(let c, _): c.displayID
        case .unreadableFile(let error): error.file
        }
    }

    /// `suite/id`, what filters match and expected-failure lists name.
    public var key: String { "\(suite)/\(id)" }

    /// The suite name under which unreadable files are reported.
    public static let unreadableSuite = "fixture-file"
}

/// Which cases of the loaded fixtures a run takes.
public struct CaseSelection: Sendable, Hashable {
    /// Keep items whose `suite/id` contains any of these (all items when empty).
    public var filters: [String]
    public var shard: Shard?

    public init(filters: [String] = [], shard: Shard? = nil) {
        self.filters = filters
        self.shard = shard
    }

    /// Every `count`-th item starting at `index` (0-based), so that a CI matrix
    /// of `count` jobs covers each item exactly once.
    public struct Shard: Sendable, Hashable, CustomStringConvertible {
        public let index: Int
        public let count: Int

        public init(index: Int, count: Int) throws(CaseError) {
            guard count > 0, (0..<count).contains(index) else {
                throw CaseError(.invalidParameter, argument: "shard", "expected I/N with N > 0 and 0 <= I < N, got \(index)/\(count)")
            }
            self.index = index
            self.count = count
        }

        /// Parses `I/N`.
        public init(parsing text: String) throws(CaseError) {
            let parts = text.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else {
                throw CaseError(.invalidParameter, argument: "shard", "expected I/N (e.g. 0/4), got '\(text)'")
            }
            try self.init(index: i, count: n)
        }

        public var description: String { "\(index)/\(count)" }
    }

    /// The selected items, in file order then case order.
    ///
    /// Unreadable files cannot be matched by a filter (they have no suite or
    /// id), so they are always kept: a broken file is never silently dropped.
    public func items(from fixtures: [LoadedFixture]) -> [RunItem] {
        var all: [RunItem] = []
        for fixture in fixtures {
            switch fixture {
            case .unreadable(let error): all.append(.unreadableFile(error))
            case .file(let file):
                for entry in file.entries {
                    switch entry {
                    case .valid(let c): all.append(.fixtureCase(c, in: file))
                    case .invalid(let c): all.append(.invalidCase(c, in: file))
                    }
                }
            }
        }
        let filtered = all.filter { item in
            if filters.isEmpty { return true }
            if case .unreadableFile = item { return true }
            let key = item.key
            // Substring semantics: the empty filter is in every key (Foundation's contains("") is false).
            return filters.contains { $0.isEmpty || key.contains($0) }
        }
        guard let shard else { return filtered }
        return filtered.enumerated().filter { $0.offset % shard.count == shard.index }.map(\.element)
    }
}

/// The outcome of one case.
public struct CaseResult: Sendable {
    public enum Status: String, Sendable, Hashable {
        case passed, failed, skipped
    }

    public var suite: String
    public var id: String
    /// The fixture file the case came from.
    public var file: String
    public var status: Status
    /// Why it failed or was skipped; `nil` when it passed.
    public var message: String?
    /// Per-output comparisons (empty for error cases and broken input).
    public var outputs: [OutputComparison]
    /// For each output that was compared: dtype, shape, tolerance and the worst
    /// failing element, what the text and GitHub reports print for a failure.
    public var details: [OutputDetail]
    public var duration: Duration

    public init(
        suite: String, id: String, file: String, status: Status, message: String? = nil,
        outputs: [OutputComparison] = [], details: [OutputDetail] = [], duration: Duration = .zero
    ) {
        self.suite = suite
        self.id = id
        self.file = file
        self.status = status
        self.message = message
        self.outputs = outputs
        self.details = details
        self.duration = duration
    }

    /// The detail of the output named `name`, if it was compared.
    public func detail(for name: String) -> OutputDetail? { details.first { $0.name == name } }

    /// The largest absolute error over the outputs, if any output is a float.
    public var maxAbsError: Double? { outputs.compactMap(\.maxAbsError).max() }
    /// The largest ULP distance over the outputs, if any output is a float.
    public var maxULP: UInt64? { outputs.compactMap(\.maxULP).max() }
}

/// The outcome of a run.
public struct RunReport: Sendable {
    public var results: [CaseResult]
    /// Expected-failure entries that matched no selected case (likely stale).
    public var unmatchedExpectedFailures: [String]

    public init(results: [CaseResult], unmatchedExpectedFailures: [String] = []) {
        self.results = results
        self.unmatchedExpectedFailures = unmatchedExpectedFailures
    }

    public var passed: Int { results.count { $0.status == .passed } }
    public var failed: Int { results.count { $0.status == .failed } }
    public var skipped: Int { results.count { $0.status == .skipped } }

    /// `N passed, N failed, N skipped`: the closing line of every text report.
    public var summaryLine: String { "\(passed) passed, \(failed) failed, \(skipped) skipped" }
}

/// Evaluates fixture cases against the implementations of a ``SuiteRegistry``.
///
/// The runner knows no framework: it finds an implementation by suite name,
/// calls it with the case's arguments, and compares what comes back with
/// the fixture under the case's tolerance (see ``Comparator``).
public struct ConformanceRunner: Sendable {
    public var registry: SuiteRegistry
    public var expectedFailures: ExpectedFailures

    public init(registry: SuiteRegistry, expectedFailures: ExpectedFailures = ExpectedFailures()) {
        self.registry = registry
        self.expectedFailures = expectedFailures
    }

    /// Runs every item, in order.
    public func run(_ items: [RunItem]) -> RunReport {
        let results = items.map(run)
        let keys = Set(items.map(\.key))
        let unmatched = expectedFailures.keys.filter { !keys.contains($0) }.sorted()
        return RunReport(results: results, unmatchedExpectedFailures: unmatched)
    }

    /// Runs one item: evaluates a case, or reports a broken file or case as a failure.
    public func run(_ item: RunItem) -> CaseResult {
        switch item {
        case .fixtureCase(let c, let file): return run(c, in: file)
        case .invalidCase(let c, let file):
            return CaseResult(suite: file.suite, id: c.displayID, file: file.path, status: .failed, message: c.error.description)
        case .unreadableFile(let error):
            return CaseResult(
                suite: RunItem.unreadableSuite, id: error.file, file: error.file, status: .failed,
                message: error.description)
        }
    }

    /// Evaluates one case of `file`, applying the expected-failures list.
    public func run(_ testCase: FixtureCase, in file: FixtureFile) -> CaseResult {
        let clock = ContinuousClock()
        let start = clock.now
        var result = evaluate(testCase, in: file)
        result.duration = clock.now - start
        guard expectedFailures.contains(suite: file.suite, id: testCase.id) else { return result }
        switch result.status {
        case .failed:
            result.status = .skipped
            result.message = "expected failure: " + (result.message ?? "")
        case .passed:
            result.status = .failed
            result.message =
                "unexpectedly passed; remove '\(file.suite)/\(testCase.id)' from the expected-failures list"
        case .skipped:
            break
        }
        return result
    }

    private func evaluate(_ testCase: FixtureCase, in file: FixtureFile) -> CaseResult {
        var result = CaseResult(suite: file.suite, id: testCase.id, file: file.path, status: .failed)
        guard let implementation = registry.implementation(for: file.suite) else {
            result.message = "no implementation for suite \(file.suite)"
            return result
        }
        let outcome = Result { try implementation(CaseArguments(testCase)) }
        switch (testCase.expectation, outcome) {
        case (.outputs(let expected), .success(let actual)):
            for (name, expectedArray) in expected {
                guard let actualArray = actual[name] else {
                    result.outputs.append(
                        OutputComparison(
                            name: name, passed: false,
                            message: "\(name): missing from the implementation's outputs \(actual.keys)"))
                    continue
                }
                let tolerance = file.tolerance(for: testCase, dtype: expectedArray.dtype)
                let comparison = Comparator.compare(name: name, actual: actualArray, expected: expectedArray, tolerance: tolerance)
                result.outputs.append(comparison)
                result.details.append(
                    comparison.passed
                        ? OutputDetail(name: name, dtype: expectedArray.dtype, shape: expectedArray.shape, tolerance: tolerance)
                        : OutputDetail.of(name: name, actual: actualArray, expected: expectedArray, tolerance: tolerance))
            }
            let failures = result.outputs.compactMap { $0.passed ? nil : $0.message }
            result.status = failures.isEmpty ? .passed : .failed
            result.message = failures.isEmpty ? nil : failures.joined(separator: "; ")
        case (.outputs, .failure(let error)):
            result.message = "threw \(describe(error)), but the framework returned outputs"
        case (.error(let kind, let message), .success(let actual)):
            result.message =
                "returned \(actual.keys) instead of raising \(kind)"
                + (message.map { " (framework: \($0))" } ?? "")
        case (.error(let kind, let message), .failure(let error)):
            if let classified = error as? any ClassifiedError, classified.errorKind == kind {
                result.status = .passed
            } else {
                result.message =
                    "threw \(describe(error)), but the framework raised \(kind)"
                    + (message.map { " (framework: \($0))" } ?? "")
            }
        }
        return result
    }

    private func describe(_ error: any Error) -> String {
        if let classified = error as? any ClassifiedError {
            return "\(classified.errorKind) error '\(error)'"
        }
        return "unclassified error '\(error)'"
    }
}
