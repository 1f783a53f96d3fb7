import Foundation
import HingeConformance

/// The findings of one suite as a fixture file (format v1), written by ``FixtureEncoder``
/// like the generators' files: each finding a case tagged "fuzz", its expected values (or
/// error) the reference's, ready to commit into the suite's fixture.
package enum FindingsFile {
    /// What the file records besides the cases.
    package struct Provenance: Sendable {
        package var seed: UInt64
        package var cases: Int
        /// Where the expected values came from ("torch (the framework itself)", "the NumPy mirror in ...").
        package var expectedFrom: String
        /// Python, NumPy and framework versions.
        package var versions: JSONValue
        /// The mirror's generator module.
        package var generator: String
        /// The day, `YYYY-MM-DD` (UTC).
        package var date: String = FindingsFile.today()

        package init(seed: UInt64, cases: Int, expectedFrom: String, versions: JSONValue, generator: String) {
            self.seed = seed
            self.cases = cases
            self.expectedFrom = expectedFrom
            self.versions = versions
            self.generator = generator
        }
    }

    /// `<directory>/<suite>.seed-<seed>.json`, written; returns its path. Warns through
    /// `warn` if the file breaks format v1 (it never should).
    package static func write(
        _ findings: [FuzzFinding], of file: FixtureFile, provenance: Provenance, directory: String,
        warn: (String) -> Void = { _ in }
    ) throws -> String {
        let text = try FixtureEncoder.encode(document(findings, of: file, provenance: provenance))
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = (directory as NSString).appendingPathComponent("\(file.suite).seed-\(provenance.seed).json")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        for problem in FixtureDecoder.validate([UInt8](text.utf8), path: path) {
            warn("warning: the findings file breaks format v1: \(problem)")
        }
        return path
    }

    /// The findings as a fixture file of `file`'s suite, with its default tolerance.
    package static func document(_ findings: [FuzzFinding], of file: FixtureFile, provenance p: Provenance) -> FixtureFile {
        var provenance = JSONObject()
        provenance["generator"] = .string("hinge-conformance fuzz")
        provenance["command"] = .string(
            "swift run --traits PythonHarness hinge-conformance fuzz --suite \(file.suite) --cases \(p.cases) --seed \(p.seed)")
        provenance["date"] = .string(p.date)
        provenance["seed"] = .number(JSONNumber(p.seed))
        provenance["versions"] = p.versions
        provenance["expected_from"] = .string(p.expectedFrom)
        provenance["mirror"] = .string(p.generator)
        provenance["base_fixture"] = .string(file.path)
        provenance["findings"] = .array(findings.map { finding in
            .object([
                "id": .string(finding.id), "base_case": .string(finding.base.id),
                "disagreement": .array(finding.what.map(JSONValue.string)),
            ])
        })
        return FixtureFile(
            path: file.path, suite: file.suite, provenance: provenance, defaultTolerance: file.defaultTolerance,
            entries: findings.compactMap(fixtureCase).map(FixtureFile.Entry.valid))
    }

    /// A finding as a fixture case; `nil` when the reference crashed (nothing to expect).
    package static func fixtureCase(_ finding: FuzzFinding) -> FixtureCase? {
        let expectation: FixtureCase.Expectation
        switch finding.expected {
        case .outputs(let outputs): expectation = .outputs(outputs)
        case .error(let kind, let message): expectation = .error(kind, message: message)
        case .skipped, .crashed: return nil
        }
        return FixtureCase(
            id: finding.id, params: finding.base.params, context: finding.base.context, inputs: finding.inputs,
            expectation: expectation, tolerance: finding.base.tolerance, tags: ["fuzz"])
    }

    /// Today, `YYYY-MM-DD` in UTC.
    package static func today() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date())
    }
}
