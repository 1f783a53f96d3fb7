// LinearSVCBench: times HingeLosses' LinearSVC.fit on data written by
// tools/bench_linearsvc.py, for comparison with scikit-learn.
//
//   LinearSVCBench [--blas-kernel SkylakeX|Haswell] HEADER.json [COEF_OUT]
//
// --blas-kernel: the OpenBLAS level-1 kernels whose rounding solver 2 (TRON)
// follows (LinearSVC.BLASKernel; default SkylakeX). Pass the `architecture`
// threadpoolctl reports for the scikit-learn run being compared with.
//
// HEADER.json (paths relative to the header's folder):
//   {"version": 1, "format": "dense" | "csr", "rows": n, "columns": p, "classes": k,
//    "x": {"values": "x.f64"}                                        (dense, row-major)
//       | {"indptr": "p.i64", "indices": "i.i64", "values": "v.f64"}, (csr)
//    "y": "y.i64",                                  (class indices 0..<k)
//    "params": {"penalty", "loss", "dual" ("auto" | true | false), "tol", "C",
//               "multi_class", "fit_intercept", "intercept_scaling",
//               "random_state", "max_iter"}                  (all optional),
//    "repeats": r}                                             (optional, 1)
// Arrays are raw little-endian float64 / int64.
//
// Prints one JSON line: the fit time of each repetition in seconds (measured
// around `fit` only; loading is excluded), n_iter, the solver, and either the
// coefficients inline or, with COEF_OUT, the coefficients written there as
// raw little-endian float64 (coef row-major, then intercept), and the
// process's own peak RSS (getrusage). Single-threaded.
// Bad input (a missing file, a malformed header, data the estimator rejects)
// gives a one-line error on stderr and exit status 1.
import Foundation
import BenchSupport
import HingeLosses


struct Header: Decodable {
    struct XFiles: Decodable {
        let values: String
        let indptr: String?
        let indices: String?
    }
    struct Params: Decodable {
        let penalty: String?
        let loss: String?
        let dual: DualValue?
        let tol: Double?
        let C: Double?
        let multi_class: String?
        let fit_intercept: Bool?
        let intercept_scaling: Double?
        let random_state: Int?
        let max_iter: Int?
    }
    enum DualValue: Decodable {
        case auto, value(Bool)
        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let flag = try? container.decode(Bool.self) {
                self = .value(flag)
            } else if let text = try? container.decode(String.self), text == "auto" {
                self = .auto
            } else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "dual must be \"auto\", true or false")
            }
        }
    }
    let version: Int
    let format: String
    let rows: Int
    let columns: Int
    let classes: Int
    let x: XFiles
    let y: String
    let params: Params?
    let repeats: Int?
}

/// A decoding error on one line, with the path of the offending key.
func describe(_ error: DecodingError) -> String {
    func path(_ keys: [CodingKey]) -> String {
        keys.isEmpty ? "(top level)" : keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
    switch error {
    case .typeMismatch(let type, let context):
        return "\(path(context.codingPath)): expected \(type)"
    case .valueNotFound(let type, let context):
        return "\(path(context.codingPath)): missing \(type) value"
    case .keyNotFound(let key, let context):
        return "\(path(context.codingPath + [key])): missing key"
    case .dataCorrupted(let context):
        let underlying = context.underlyingError.map { " (\($0.localizedDescription))" } ?? ""
        return "\(path(context.codingPath)): \(context.debugDescription)\(underlying)"
    @unknown default:
        return "\(error)"
    }
}

func run(_ commandLine: [String]) throws -> String {
    let usageLine = "usage: LinearSVCBench [--blas-kernel SkylakeX|Haswell] HEADER.json [COEF_OUT]"
    var arguments = commandLine
    var blasKernel = LinearSVC.BLASKernel.skylakeX
    if let flag = arguments.firstIndex(of: "--blas-kernel") {
        guard flag + 1 < arguments.count else { throw BenchError(message: usageLine) }
        do {
            blasKernel = try LinearSVC.BLASKernel(parsing: arguments[flag + 1])
        } catch {
            throw BenchError(message: "--blas-kernel: \(error.message)")
        }
        arguments.removeSubrange(flag...(flag + 1))
    }
    guard arguments.count == 2 || arguments.count == 3 else {
        throw BenchError(message: usageLine)
    }
    let headerPath = arguments[1]
    let headerURL = URL(fileURLWithPath: headerPath)
    let headerData = try readFile(headerPath, limit: 1 << 20)
    let header: Header
    do {
        header = try JSONDecoder().decode(Header.self, from: headerData)
    } catch let error as DecodingError {
        throw BenchError(message: "malformed header \(headerPath): \(describe(error))")
    }
    guard header.version == 1 else { throw BenchError(message: "unsupported header version \(header.version)") }
    guard header.rows >= 0, header.columns >= 0 else {
        throw BenchError(message: "negative shape (\(header.rows), \(header.columns))")
    }
    // LIBLINEAR's 32-bit indices bound both dimensions (fit checks it too, but
    // the arrays are sized from them before).
    guard header.rows < Int(Int32.max), header.columns < Int(Int32.max) else {
        throw BenchError(message: "shape (\(header.rows), \(header.columns)) is too large (LIBLINEAR indexes with 32-bit ints)")
    }
    guard (0...max(header.rows, 2)).contains(header.classes) else {
        throw BenchError(message: "classes must be between 0 and the row count, got \(header.classes)")
    }
    let repeats = header.repeats ?? 1
    guard (1...1000).contains(repeats) else { throw BenchError(message: "repeats must be in 1...1000, got \(repeats)") }
    let folder = headerURL.deletingLastPathComponent()
    func resolve(_ name: String) -> String {
        name.hasPrefix("/") ? name : folder.appendingPathComponent(name).path
    }

    // Load (not timed).
    let x: FeatureMatrix
    switch header.format {
    case "dense":
        let (count, overflow) = header.rows.multipliedReportingOverflow(by: header.columns)
        guard !overflow else { throw BenchError(message: "shape (\(header.rows), \(header.columns)) is too large") }
        let values = try readRaw(resolve(header.x.values), count: count, as: Double.self)
        x = try FeatureMatrix.dense(rows: header.rows, columns: header.columns, values: values)
    case "csr":
        guard let indptrName = header.x.indptr, let indicesName = header.x.indices else {
            throw BenchError(message: "malformed header \(headerPath): x.indptr and x.indices are required for csr")
        }
        let indptr = try readRaw(resolve(indptrName), count: header.rows + 1, as: Int.self)
        guard let nnz = indptr.last, nnz >= 0 else { throw BenchError(message: "indptr ends with a negative count") }
        let indices = try readRaw(resolve(indicesName), count: nnz, as: Int.self)
        let values = try readRaw(resolve(header.x.values), count: nnz, as: Double.self)
        x = try FeatureMatrix.csr(
            rows: header.rows, columns: header.columns, indptr: indptr, indices: indices, values: values)
    default:
        throw BenchError(message: "malformed header \(headerPath): format must be \"dense\" or \"csr\", got \"\(header.format)\"")
    }
    let y = try readRaw(resolve(header.y), count: header.rows, as: Int.self)

    let p = header.params
    let dual: LinearSVC.Dual
    switch p?.dual {
    case nil, .auto?: dual = .auto
    case .value(let flag)?: dual = .value(flag)
    }
    let estimator = try LinearSVC(
        penalty: try LinearSVC.Penalty(parsing: p?.penalty ?? "l2"),
        loss: try LinearSVC.Loss(parsing: p?.loss ?? "squared_hinge"),
        dual: dual, tol: p?.tol ?? 1e-4, C: p?.C ?? 1,
        multiClass: try LinearSVC.MultiClass(parsing: p?.multi_class ?? "ovr"),
        fitIntercept: p?.fit_intercept ?? true, interceptScaling: p?.intercept_scaling ?? 1,
        randomState: p?.random_state ?? 0, maxIter: p?.max_iter ?? 1000, blasKernel: blasKernel)

    // Fit, timing `fit` alone.
    var times: [Double] = []
    var model: LinearSVCModel?
    var deterministic = true
    let clock = ContinuousClock()
    for _ in 0..<repeats {
        let started = clock.now
        let fitted = try estimator.fit(x, classIndices: y, classCount: header.classes)
        let elapsed = started.duration(to: clock.now)
        times.append(seconds(elapsed))
        if let model, model != fitted { deterministic = false }
        model = fitted
    }
    guard let model else { throw BenchError(message: "no repetition ran") }

    var fields = [
        "\"times\":\(json(times))",
        "\"n_iter\":\(model.nIter)",
        "\"n_iter_per_problem\":[\(model.nIterPerProblem.map(String.init).joined(separator: ","))]",
        "\"solver\":\(model.solver)",
        "\"coef_shape\":[\(model.coef.count),\(model.featureCount)]",
        "\"fit_intercept\":\(model.intercept != nil)",
        "\"deterministic\":\(deterministic)",
        "\"threads\":1",
        "\"blas_kernel\":\(json(blasKernel.rawValue))",
    ]
    fields.append("\"max_rss_kib\":\(usage().maxRSSKiB)")
    let intercept = model.intercept ?? [Double](repeating: 0, count: model.coef.count)
    if arguments.count == 3 {
        let out = arguments[2]
        try writeRaw((model.coef.flatMap { $0 } + intercept).map { $0.bitPattern.littleEndian }, to: out)
        fields.append("\"coef_file\":\(json(out))")
    } else {
        fields.append("\"coef\":[\(model.coef.map(json).joined(separator: ","))]")
        fields.append("\"intercept\":\(json(intercept))")
    }
    return "{" + fields.joined(separator: ",") + "}"
}

runBench("LinearSVCBench") { try run(CommandLine.arguments) }
