// SVCBench: times HingeLosses' SVC.fit on data written by tools/bench_svc.py, for
// comparison with scikit-learn's SVC (libsvm).
//
//   SVCBench [--blas-kernel SkylakeX|Haswell] HEADER.json
//
// --blas-kernel: the OpenBLAS kernel set whose ddot rounding libsvm's dense kernels
// follow (SVC's blasKernel; default Haswell). Pass the `architecture` threadpoolctl
// reports for the scikit-learn run being compared with.
//
// HEADER.json (paths relative to the header's folder):
//   {"version": 1, "rows": n, "columns": p, "classes": k, "x": "x.f64" (dense, row-major),
//    "y": "y.i64" (class indices 0..<k), "params": {"kernel", "C", "gamma" ("scale" | "auto" |
//    number), "tol"} (all optional), "repeats": r (optional, 1)}
// Arrays are raw little-endian float64 / int64.
//
// Prints one JSON line: the fit time of each repetition in seconds (around `fit` only),
// n_iter_, n_support_, intercept_ and the process's peak RSS. Single-threaded.
// Bad input gives a one-line error on stderr and exit status 1.
import BenchSupport
import Foundation
import HingeLosses

struct Header: Decodable {
    struct Params: Decodable {
        let kernel: String?
        let C: Double?
        let gamma: GammaValue?
        let tol: Double?
    }
    enum GammaValue: Decodable {
        case name(String), value(Double)
        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let v = try? container.decode(Double.self) { self = .value(v) } else { self = .name(try container.decode(String.self)) }
        }
    }
    let version: Int
    let rows: Int
    let columns: Int
    let classes: Int
    let x: String
    let y: String
    let params: Params?
    let repeats: Int?
}

func run(_ commandLine: [String]) throws -> String {
    let usageLine = "usage: SVCBench [--blas-kernel SkylakeX|Haswell] HEADER.json"
    var arguments = commandLine
    var blasKernel = LinearSVC.BLASKernel.haswell
    if let flag = arguments.firstIndex(of: "--blas-kernel") {
        guard flag + 1 < arguments.count else { throw BenchError(message: usageLine) }
        do {
            blasKernel = try LinearSVC.BLASKernel(parsing: arguments[flag + 1])
        } catch {
            throw BenchError(message: "--blas-kernel: \(error.message)")
        }
        arguments.removeSubrange(flag...(flag + 1))
    }
    guard arguments.count == 2 else { throw BenchError(message: usageLine) }
    let headerPath = arguments[1]
    let header: Header
    do {
        header = try JSONDecoder().decode(Header.self, from: try readFile(headerPath, limit: 1 << 20))
    } catch let error as BenchError {
        throw error
    } catch {
        throw BenchError(message: "malformed header \(headerPath): \(error)")
    }
    guard header.version == 1 else { throw BenchError(message: "unsupported header version \(header.version)") }
    guard header.rows > 0, header.columns > 0, header.rows < Int(Int32.max), header.columns < Int(Int32.max) else {
        throw BenchError(message: "bad shape (\(header.rows), \(header.columns))")
    }
    guard (2...header.rows).contains(header.classes) else { throw BenchError(message: "bad class count \(header.classes)") }
    let repeats = header.repeats ?? 1
    guard (1...1000).contains(repeats) else { throw BenchError(message: "repeats must be in 1...1000, got \(repeats)") }
    let folder = URL(fileURLWithPath: headerPath).deletingLastPathComponent()
    func resolve(_ name: String) -> String { name.hasPrefix("/") ? name : folder.appendingPathComponent(name).path }
    let (count, overflow) = header.rows.multipliedReportingOverflow(by: header.columns)
    guard !overflow else { throw BenchError(message: "shape (\(header.rows), \(header.columns)) is too large") }
    let x = try FeatureMatrix.dense(
        rows: header.rows, columns: header.columns, values: try readRaw(resolve(header.x), count: count, as: Double.self))
    let y = try readRaw(resolve(header.y), count: header.rows, as: Int.self)

    let p = header.params
    let gamma: SVC.Gamma
    switch p?.gamma {
    case nil: gamma = .scale
    case .name(let name)?: gamma = try SVC.Gamma(parsing: name)
    case .value(let v)?: gamma = .value(v)
    }
    let estimator = try SVC(
        C: p?.C ?? 1, kernel: try SVC.Kernel(parsing: p?.kernel ?? "rbf"), gamma: gamma, tol: p?.tol ?? 1e-3,
        blasKernel: blasKernel)

    var times: [Double] = []
    var model: SVCModel?
    let clock = ContinuousClock()
    for _ in 0..<repeats {
        let started = clock.now
        let fitted = try estimator.fit(x, classIndices: y, classCount: header.classes)
        times.append(seconds(started.duration(to: clock.now)))
        model = fitted
    }
    guard let model else { throw BenchError(message: "no repetition ran") }
    let (_, rss) = usage()
    return "{" + [
        "\"times\":\(json(times))",
        "\"n_iter\":[\(model.nIter.map(String.init).joined(separator: ","))]",
        "\"n_support\":[\(model.nSupport.map(String.init).joined(separator: ","))]",
        "\"intercept\":\(json(model.intercept))",
        "\"blas_kernel\":\(json(blasKernel.rawValue))",
        "\"max_rss_kib\":\(rss)",
    ].joined(separator: ",") + "}"
}

runBench("SVCBench") { try run(CommandLine.arguments) }
