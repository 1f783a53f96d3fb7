import HingeConformance
import HingeSuites
import Testing

/// `triplet_margin_with_distance_loss` fixtures name their distance function (a callable
/// cannot be written in JSON); the adapter must reject a name it does not know with a
/// typed error naming the field, never fall back to a default.
@Suite("Distance function names")
struct DistanceFunctionNameTests {
    let suite = "torch.nn.functional.triplet_margin_with_distance_loss"
    let points: NamedArrays = [
        "anchor": try! FixtureArray(shape: [1, 2], storage: .float64([0, 0])),
        "positive": try! FixtureArray(shape: [1, 2], storage: .float64([3, 4])),
        "negative": try! FixtureArray(shape: [1, 2], storage: .float64([6, 0])),
    ]

    func run(_ distance: JSONValue?) throws -> NamedArrays {
        var params: JSONObject = ["reduction": .string("sum")]
        if let distance { params = ["reduction": .string("sum"), "distance_function": distance] }
        let implementation = try #require(SuiteRegistry.bundled.implementation(for: suite))
        return try implementation(CaseArguments(params: params, inputs: points))
    }

    @Test func unknownNamesAreInvalidParametersNamingTheField() throws {
        for bad: JSONValue in [.string("cosine"), .string("pairwise_distance_p3"), .number(JSONNumber(2))] {
            do {
                _ = try run(bad)
                Issue.record("\(bad) was accepted")
            } catch let error as CaseError {
                #expect(error.errorKind == .invalidParameter)
                #expect(error.argument == "distance_function")
            }
        }
    }

    @Test func knownNamesPickTheirNorm() throws {
        // Distances 5 and 6 (p = 2) or 7 and 6 (p = 1), margin 1: losses ≈ 0 and ≈ 2.
        let l2 = try #require(try run(nil)["output"])
        let named = try #require(try run(.string("pairwise_distance"))["output"])
        let l1 = try #require(try run(.string("pairwise_distance_p1"))["output"])
        #expect(l2 == named)
        guard case .float64(let v2) = l2.storage, case .float64(let v1) = l1.storage else {
            Issue.record("float64 outputs expected")
            return
        }
        #expect(v2[0].magnitude < 1e-5)
        #expect((v1[0] - 2).magnitude < 1e-5)
    }
}
