import HingeConformance
import HingeLosses
import HingeSuites
import Testing

/// LinearSVC's solver 2 per OpenBLAS kernel, against the TRON path cases that
/// scikit-learn 1.9.1 made under each kernel (`context.blas_kernel`). The
/// conformance run compares them within the file's 1e-9; here the fitted
/// attributes must be the same bits, and each case must be told apart from its
/// twin made under the other kernel, so a kernel model that drifted, or an
/// option that stopped reaching TRON, fails.
@Suite("LinearSVC BLAS kernels")
struct LinearSVCKernelTests {
    static let suite = "sklearn.svm.LinearSVC"
    static let file = BundledFixtures.files.first { $0.suite == suite }
    static let kernelCases: [FixtureCase] = (file?.cases ?? []).filter { $0.context["blas_kernel"] != nil }
    static let implementation = SKLearnSuites.registry.implementation(for: suite)!
    static let fitted = ["coef_", "intercept_", "n_iter_"]

    static func kernel(of testCase: FixtureCase) -> String { testCase.context["blas_kernel"]?.stringValue ?? "" }

    static func expected(_ testCase: FixtureCase) -> NamedArrays {
        if case .outputs(let outputs) = testCase.expectation { return outputs }
        return [:]
    }

    static func run(_ testCase: FixtureCase, kernel: JSONValue) throws -> NamedArrays {
        var context = testCase.context
        context["blas_kernel"] = kernel
        return try implementation(CaseArguments(params: testCase.params, context: context, inputs: testCase.inputs))
    }

    /// The same bits (NaN payloads and the sign of zero included).
    static func sameBits(_ a: FixtureArray?, _ b: FixtureArray?) -> Bool {
        guard let a, let b, a.shape == b.shape else { return false }
        switch (a.storage, b.storage) {
        case (.float64(let x), .float64(let y)): return x.map(\.bitPattern) == y.map(\.bitPattern)
        case (.int64(let x), .int64(let y)): return x == y
        default: return false
        }
    }

    static func sameFit(_ a: NamedArrays, _ b: NamedArrays) -> Bool {
        fitted.allSatisfy { sameBits(a[$0], b[$0]) }
    }

    @Test func everyModelledKernelHasTRONPathCases() {
        let kernels = Set(Self.kernelCases.map(Self.kernel))
        #expect(kernels == Set(LinearSVC.BLASKernel.allCases.map(\.rawValue)))
        for kernel in kernels {
            let cases = Self.kernelCases.filter { Self.kernel(of: $0) == kernel }
            #expect(cases.count >= 5, "\(kernel): \(cases.count) cases")
            #expect(cases.allSatisfy { $0.tags.contains("path") && $0.tags.contains("solver-2") })
        }
    }

    @Test(arguments: kernelCases.map(\.id))
    func fitIsBitExactUnderItsKernel(_ id: String) throws {
        let testCase = try #require(Self.kernelCases.first { $0.id == id })
        let got = try Self.run(testCase, kernel: .string(Self.kernel(of: testCase)))
        let want = Self.expected(testCase)
        for name in Self.fitted {
            #expect(Self.sameBits(got[name], want[name]), "\(id): \(name) is not scikit-learn's to the bit")
        }
    }

    /// Cases whose twins (same id, other kernel) scikit-learn fitted differently
    /// must come out as the twin when run with the twin's kernel.
    @Test func theOtherKernelGivesTheOtherPath() throws {
        var discriminating = 0
        for testCase in Self.kernelCases {
            let kernel = Self.kernel(of: testCase)
            let stem = String(testCase.id.dropLast(kernel.count))
            for other in LinearSVC.BLASKernel.allCases where other.rawValue != kernel {
                let twin = try #require(Self.kernelCases.first { $0.id == stem + other.rawValue }, "\(testCase.id) has no \(other) twin")
                guard !Self.sameFit(Self.expected(testCase), Self.expected(twin)) else { continue }
                discriminating += 1
                let swapped = try Self.run(testCase, kernel: .string(other.rawValue))
                #expect(!Self.sameFit(swapped, Self.expected(testCase)), "\(testCase.id) run with \(other) still matches")
                #expect(Self.sameFit(swapped, Self.expected(twin)), "\(testCase.id) run with \(other) is not \(twin.id)")
            }
        }
        // digits, wide and breast_cancer at C = 10/100 and wine: the kernels part ways there.
        #expect(discriminating >= 6, "only \(discriminating) cases depend on the kernel")
    }

    @Test(arguments: [JSONValue.string("Zen"), .string("skylakex"), .string(""), .bool(true), .null])
    func anUnknownKernelIsATypedErrorNamingTheCaseAndField(_ kernel: JSONValue) throws {
        let original = try #require(Self.kernelCases.first)
        #expect {
            _ = try Self.run(original, kernel: kernel)
        } throws: { error in
            guard let error = error as? CaseError else { return false }
            return error.errorKind == .invalidParameter && error.argument == "context.blas_kernel"
        }
        // Through the runner, as `hinge-conformance` reports it: a failure of that case naming the field.
        var context = original.context
        context["blas_kernel"] = kernel
        let broken = FixtureCase(
            id: original.id, params: original.params, context: context, inputs: original.inputs,
            expectation: original.expectation, tolerance: original.tolerance, tags: original.tags)
        let file = try #require(Self.file)
        let result = BundledFixtures.runner.run(.fixtureCase(broken, in: file))
        #expect(result.status == .failed)
        #expect(result.id == original.id)
        #expect(result.message?.contains("context.blas_kernel") == true, "\(result.message ?? "")")
    }
}
