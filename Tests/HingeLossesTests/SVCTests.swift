import Testing

@testable import HingeLosses

/// Properties of the scikit-learn `SVC` / libsvm port that hold whatever the
/// data: the dual's constraints and optimality, the zero-weight convention,
/// the decision-function shapes, and every error. scikit-learn's own values
/// are checked by the fixtures (`SVCFixtureTests`).
@Suite("scikit-learn SVC")
struct SVCTests {
    static let blobs = Blobs(rows: 30, columns: 3, classes: 3, seed: 7)

    @Test func powiIsRepeatedSquaring() {
        #expect(LibsvmKernel.powi(2, 10) == 1024)
        #expect(LibsvmKernel.powi(-3, 3) == -27)
        #expect(LibsvmKernel.powi(0.5, 0) == 1)
        #expect(LibsvmKernel.powi(.nan, 0) == 1)
    }

    /// Each binary problem's α lies in [0, C_k] and satisfies yᵀα = 0 (to rounding),
    /// and with a tight tol the maximal KKT violation is below it.
    @Test(arguments: SVC.Kernel.allCases.filter { $0 != .precomputed })
    func dualConstraintsHold(_ kernel: SVC.Kernel) throws {
        let data = Self.blobs
        let svc = try SVC(C: 2, kernel: kernel, gamma: .value(0.3), coef0: kernel == .sigmoid ? -1 : 0, tol: 1e-6)
        let model = try svc.fit(data.x, classIndices: data.y, classCount: 3)
        #expect(model.dualCoef.count == 2)
        #expect(model.nSupport.reduce(0, +) == model.support.count)
        for row in model.dualCoef {
            for value in row { #expect(value.magnitude <= 2 + 1e-12) }
        }
        // Pair (0, 1): class 0's coefficients sit in row 0, class 1's in row 0 too (sv_coef[j-1], sv_coef[i]).
        let n0 = model.nSupport[0]
        let n1 = model.nSupport[1]
        let sum = model.dualCoef[0][0..<n0].reduce(0, +) + model.dualCoef[0][n0..<(n0 + n1)].reduce(0, +)
        #expect(sum.magnitude < 1e-9)
        #expect(model.fitStatus == 0)
    }

    /// libsvm drops samples with weight ≤ 0 before training, so fitting with a zero
    /// weight gives the bits of fitting without the sample (with a fixed gamma:
    /// 'scale' sees every row of X); `support_` indexes the remaining samples.
    @Test func zeroWeightsDropTheirSamples() throws {
        let data = Self.blobs
        guard case .dense(let m) = data.x else { return }
        var weights = [Double](repeating: 1, count: m.rows)
        weights[4] = 0
        weights[11] = -2
        let svc = try SVC(kernel: .rbf, gamma: .value(0.5))
        let weighted = try svc.fit(data.x, classIndices: data.y, classCount: 3, sampleWeight: weights)
        let keep = (0..<m.rows).filter { weights[$0] > 0 }
        let values = keep.flatMap { m.values[($0 * m.columns)..<(($0 + 1) * m.columns)] }
        let reduced = try svc.fit(
            .dense(rows: keep.count, columns: m.columns, values: values), classIndices: keep.map { data.y[$0] }, classCount: 3)
        #expect(weighted.support == reduced.support)
        #expect(weighted.dualCoef == reduced.dualCoef)
        #expect(weighted.intercept == reduced.intercept)
        #expect(weighted.supportRows == weighted.support.map { keep[$0] })
    }

    /// 'ovr' values are the votes plus the summed confidences mapped into (−1/3, 1/3);
    /// 'ovo' values are libsvm's; binary models have one column, positive for class 1.
    @Test func decisionFunctionShapes() throws {
        let data = Self.blobs
        let ovo = try SVC(kernel: .linear, decisionFunctionShape: .ovo).fit(data.x, classIndices: data.y, classCount: 3)
        let ovr = try SVC(kernel: .linear).fit(data.x, classIndices: data.y, classCount: 3)
        let d = try ovo.decisionFunction(data.x)
        let r = try ovr.decisionFunction(data.x)
        for (pairs, scores) in zip(d, r) {
            #expect(pairs.count == 3 && scores.count == 3)
            var votes = [0.0, 0.0, 0.0]
            votes[pairs[0] < 0 ? 1 : 0] += 1
            votes[pairs[1] < 0 ? 2 : 0] += 1
            votes[pairs[2] < 0 ? 2 : 1] += 1
            for k in 0..<3 { #expect((scores[k] - votes[k]).magnitude < 1.0 / 3) }
        }
        let yBinary = data.y.map { $0 == 2 ? 1 : 0 }
        let binary = try SVC(kernel: .linear).fit(data.x, classIndices: yBinary, classCount: 2)
        let scores = try binary.decisionFunction(data.x)
        let predicted = try binary.predict(data.x)
        for (s, p) in zip(scores, predicted) {
            #expect(s.count == 1)
            #expect(p == (s[0] > 0 ? 1 : 0) || s[0] == 0)
        }
        let coef = try binary.coef()
        #expect(coef.count == 1 && coef[0].count == 3)
        #expect(svcFailure { _ = try ovr.coef() } == ["no error"])
        let rbf = try SVC().fit(data.x, classIndices: data.y, classCount: 3)
        #expect(svcFailure { _ = try rbf.coef() } == ["invalid_parameter", "kernel"])
    }

    /// Without zeros and with fewer than 16 features, OpenBLAS's Haswell ddot is the
    /// sequential multiply-add loop libsvm's sparse code runs, so a CSR fit and a
    /// dense one are the same bits; with zeros only the dense gamma='scale' differs.
    @Test(arguments: [SVC.Kernel.linear, .rbf, .poly])
    func csrAndDenseAgreeWhereTheirSumsDo(_ kernel: SVC.Kernel) throws {
        let data = Self.blobs
        let svc = try SVC(kernel: kernel, gamma: .value(0.4), blasKernel: .haswell)
        let dense = try svc.fit(data.x, classIndices: data.y, classCount: 3)
        let csr = try svc.fit(.sparse(data.x.toCSR()), classIndices: data.y, classCount: 3)
        #expect(dense.support == csr.support)
        #expect(dense.dualCoef == csr.dualCoef)
        #expect(dense.intercept == csr.intercept)
        #expect(dense.supportVectors == csr.supportVectors)
        #expect(try dense.decisionFunction(data.x) == csr.decisionFunction(data.x))
        #expect(try dense.predict(data.x) == csr.predict(.sparse(data.x.toCSR())))
    }

    @Test func parameterErrorsNameTheParameter() {
        #expect(svcFailure { _ = try SVC(C: 0) } == ["invalid_parameter", "C"])
        #expect(svcFailure { _ = try SVC(C: -1) } == ["invalid_parameter", "C"])
        #expect(svcFailure { _ = try SVC(C: .nan) } == ["invalid_parameter", "C"])
        #expect(svcFailure { _ = try SVC(C: .infinity) } == ["invalid_parameter", "C"])
        #expect(svcFailure { _ = try SVC(degree: -1) } == ["invalid_parameter", "degree"])
        #expect(svcFailure { _ = try SVC(gamma: .value(-1)) } == ["invalid_parameter", "gamma"])
        #expect(svcFailure { _ = try SVC(gamma: .value(.nan)) } == ["invalid_parameter", "gamma"])
        #expect(svcFailure { _ = try SVC(coef0: .infinity) } == ["invalid_parameter", "coef0"])
        #expect(svcFailure { _ = try SVC(tol: 0) } == ["invalid_parameter", "tol"])
        #expect(svcFailure { _ = try SVC(cacheSize: 0) } == ["invalid_parameter", "cache_size"])
        #expect(svcFailure { _ = try SVC(maxIter: -2) } == ["invalid_parameter", "max_iter"])
        #expect(svcFailure { _ = try SVC(probability: true) } == ["invalid_parameter", "probability"])
        #expect(svcFailure { _ = try SVC(classWeight: .perClass([1: -1])) } == ["invalid_parameter", "class_weight"])
        #expect(svcFailure { _ = try SVC.Kernel(parsing: "cosine") } == ["invalid_parameter", "kernel"])
        #expect(svcFailure { _ = try SVC.Gamma(parsing: "big") } == ["invalid_parameter", "gamma"])
        #expect(svcFailure { _ = try SVC.DecisionFunctionShape(parsing: "ova") } == ["invalid_parameter", "decision_function_shape"])
        #expect(svcFailure { _ = try SVC(maxIter: -1); _ = try SVC(gamma: .value(0)) } == ["no error"])
        #expect(
            throwsMessage { _ = try SVC(C: -1) } == "The 'C' parameter of SVC must be a float in the range (0.0, inf]. Got -1 instead.")
    }

    @Test func inputErrorsNameTheArgument() throws {
        let svc = try SVC(kernel: .linear)
        let x = try FeatureMatrix.dense(rows: 4, columns: 2, values: [1, 2, 3, 4, 5, 6, 7, 8])
        let y = [0, 1, 0, 1]
        func fit(_ x: FeatureMatrix, _ y: [Int], _ k: Int = 2, _ w: [Double]? = nil, _ s: SVC? = nil) throws {
            _ = try (s ?? svc).fit(x, classIndices: y, classCount: k, sampleWeight: w)
        }
        #expect(svcFailure { try fit(x.toCSR().asFeatureMatrix, y, 2, nil, try SVC(kernel: .precomputed)) } == ["invalid_parameter", "X"])
        #expect(svcFailure { try fit(x.toCSR().asFeatureMatrix, y) } == ["no error"])
        #expect(svcFailure { try fit(.dense(rows: 4, columns: 2, values: [1, .nan, 3, 4, 5, 6, 7, 8]), y) } == ["invalid_parameter", "X"])
        #expect(svcFailure { try fit(.dense(rows: 0, columns: 2, values: []), []) } == ["shape_mismatch", "X"])
        #expect(svcFailure { try fit(x, [0, 1, 0]) } == ["shape_mismatch", "y"])
        #expect(svcFailure { try fit(x, [0, 0, 0, 0], 1) } == ["invalid_target", "y"])
        #expect(svcFailure { try fit(x, [0, 1, 0, 2]) } == ["invalid_target", "y"])
        #expect(svcFailure { try fit(x, y, 2, nil, try SVC(kernel: .precomputed)) } == ["shape_mismatch", "X"])
        #expect(svcFailure { try fit(x, y, 2, [1, 1, 1]) } == ["shape_mismatch", "sample_weight"])
        #expect(svcFailure { try fit(x, y, 2, [1, .infinity, 1, 1]) } == ["invalid_parameter", "sample_weight"])
        #expect(svcFailure { try fit(x, y, 2, [1, .nan, 1, 1]) } == ["no error"])
        #expect(svcFailure { try fit(x, y, 2, [0, 0, 0, -1]) } == ["invalid_parameter", "sample_weight"])
        #expect(svcFailure { try fit(x, y, 2, [1, 0, 1, 0]) } == ["invalid_parameter", "sample_weight"])
        let x3 = try FeatureMatrix.dense(rows: 6, columns: 1, values: [1, 2, 3, 4, 5, 6])
        #expect(svcFailure { try fit(x3, [0, 1, 2, 0, 1, 2], 3, [1, 1, 0, 1, 1, 0]) } == ["invalid_parameter", "sample_weight"])
        #expect(svcFailure { try fit(x3, [0, 1, 2, 0, 1, 2], 3, nil, try SVC(classWeight: .perClass([5: 1]))) } == ["invalid_parameter", "class_weight"])
        let model = try svc.fit(x, classIndices: y, classCount: 2)
        #expect(svcFailure { _ = try model.decisionFunction(.dense(rows: 1, columns: 3, values: [1, 2, 3])) } == ["shape_mismatch", "X"])
        #expect(svcFailure { _ = try model.predict(.dense(rows: 1, columns: 2, values: [1, .infinity])) } == ["invalid_parameter", "X"])
        #expect(svcFailure { _ = try model.predict(x.toCSR().asFeatureMatrix) } == ["invalid_parameter", "X"])
        let ovo = try SVC(kernel: .linear, decisionFunctionShape: .ovo, breakTies: true).fit(x, classIndices: y, classCount: 2)
        #expect(svcFailure { _ = try ovo.predict(x) } == ["invalid_parameter", "break_ties"])
    }
}

extension CSRMatrix {
    fileprivate var asFeatureMatrix: FeatureMatrix { .sparse(self) }
}
