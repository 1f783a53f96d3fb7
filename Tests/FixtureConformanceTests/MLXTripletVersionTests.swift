import HingeConformance
import HingeLosses
import HingeSuites
import Testing

/// `mlx.nn.losses.triplet_loss` per MLX release (`context.mlx_version`): the fixtures hold
/// cases of MLX 0.32.4 and their twins (same id, other release) made with MLX 0.31.2, whose
/// formula mlx-swift's `MLXNN.tripletLoss` still has. Running a case under its twin's
/// release must give the twin's values wherever the two releases differ, so a formula that
/// stopped depending on the context, or a context that stopped reaching the loss, fails.
@Suite("MLX triplet_loss releases")
struct MLXTripletVersionTests {
    static let suite = "mlx.nn.losses.triplet_loss"
    static let file = BundledFixtures.files.first { $0.suite == suite }
    static let cases: [FixtureCase] = file?.cases ?? []
    static let implementation = MLXSuites.registry.implementation(for: suite)!
    static let releases = ["0.32.4", "0.31.2"]

    static func release(of testCase: FixtureCase) -> String { testCase.context["mlx_version"]?.stringValue ?? "" }

    static func run(_ testCase: FixtureCase, release: JSONValue) throws -> NamedArrays {
        var context = testCase.context
        context["mlx_version"] = release
        return try implementation(CaseArguments(params: testCase.params, context: context, inputs: testCase.inputs))
    }

    static func expected(_ testCase: FixtureCase) -> NamedArrays? {
        if case .outputs(let outputs) = testCase.expectation { return outputs }
        return nil
    }

    /// The same bits, NaN as NaN (payloads aside) and −0 as +0, as the comparator counts them.
    static func same(_ a: NamedArrays?, _ b: NamedArrays?) -> Bool {
        guard let a, let b, Set(a.keys) == Set(b.keys) else { return false }
        return a.keys.allSatisfy { key in
            guard let x = a[key], let y = b[key], x.shape == y.shape,
                case .float32(let u) = x.storage, case .float32(let v) = y.storage
            else { return false }
            return zip(u, v).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
        }
    }

    @Test func everyCaseNamesAKnownReleaseAndHasATwin() throws {
        #expect(Set(Self.cases.map(Self.release)) == Set(Self.releases))
        let legacy = Self.cases.filter { Self.release(of: $0) == "0.31.2" }
        #expect(legacy.count >= 30)
        for testCase in legacy where !testCase.id.contains("/p0/") {  // p = 0 is an error case in 0.32.4
            let stem = String(testCase.id.dropLast("0.31.2".count))
            let twin = Self.cases.first { $0.id == stem + "0.32.4" }
            #expect(Self.same(twin?.inputs, testCase.inputs), "\(testCase.id) has no 0.32.4 twin with its inputs")
        }
    }

    /// Where MLX 0.31.2 and 0.32.4 gave different results (odd p, p = 1.5, p = 0, eps
    /// away from p = 2), each case run under the other release is the twin.
    @Test func theOtherReleaseGivesTheTwin() throws {
        var differing = 0
        for testCase in Self.cases where Self.release(of: testCase) == "0.31.2" {
            guard let twin = Self.cases.first(where: { $0.id == String(testCase.id.dropLast(6)) + "0.32.4" }) else { continue }
            #expect(Self.same(twin.inputs, testCase.inputs))
            let (mine, theirs) = (Self.expected(testCase), Self.expected(twin))
            guard mine != nil || theirs != nil, !Self.same(mine, theirs) else { continue }
            differing += 1
            if let theirs {
                #expect(Self.same(try Self.run(testCase, release: .string("0.32.4")), theirs), "\(testCase.id) under 0.32.4")
            } else {
                #expect(throws: (any Error).self, "\(testCase.id) under 0.32.4") { try Self.run(testCase, release: .string("0.32.4")) }
            }
            if let mine {
                #expect(Self.same(try Self.run(twin, release: .string("0.31.2")), mine), "\(twin.id) under 0.31.2")
            }
        }
        #expect(differing >= 8, "only \(differing) cases depend on the release")
    }

    @Test(arguments: [
        ("0.31.2", MLXLosses.TripletFormula.sqrtOfPowerSum), ("0.0.1", .sqrtOfPowerSum), ("0.31.9", .sqrtOfPowerSum),
        ("0.32.0", .pNorm), ("0.32.4", .pNorm),
    ])
    func releasesMapToTheirFormula(_ release: String, _ formula: MLXLosses.TripletFormula) throws {
        #expect(try MLXLosses.TripletFormula(mlxVersion: release) == formula)
    }

    @Test(arguments: [JSONValue.string("0.32.5"), .string("1.0.0"), .string("0.32"), .string("v0.32.4"), .string(""),
                      .string("0.32.4.1"), .bool(true), .null])
    func anUnknownReleaseIsATypedErrorNamingTheCaseAndField(_ release: JSONValue) throws {
        let original = try #require(Self.cases.first { Self.expected($0) != nil })
        #expect {
            _ = try Self.run(original, release: release)
        } throws: { error in
            guard let error = error as? CaseError else { return false }
            return error.errorKind == .invalidParameter && error.argument == "context.mlx_version"
        }
        // Through the runner, as `hinge-conformance` reports it: a failure of that case naming the field.
        var context = original.context
        context["mlx_version"] = release
        let broken = FixtureCase(
            id: original.id, params: original.params, context: context, inputs: original.inputs,
            expectation: original.expectation, tolerance: original.tolerance, tags: original.tags)
        let file = try #require(Self.file)
        let result = BundledFixtures.runner.run(.fixtureCase(broken, in: file))
        #expect(result.status == .failed)
        #expect(result.id == original.id)
        #expect(result.message?.contains("context.mlx_version") == true, "\(result.message ?? "")")
    }
}
