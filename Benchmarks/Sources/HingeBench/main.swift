// HingeBench: times HingeLosses' hinge-family losses on data written by
// tools/bench.py, for comparison with PyTorch, Keras (JAX, TensorFlow) and NumPy
// in the same run. The loss calls themselves are in Workloads.swift.
//
//   HingeBench [--threads T] HEADER.json
//   HingeBench [--threads T] --stream BYTES [--budget S] [--cap S] [--warmup N] [--min-repeats N] [--max-repeats N]
//   HingeBench [--threads T] --threads-used LOSS
//
// HEADER.json (file names relative to the header's folder):
//   {"version": 1,
//    "loss": "multi_margin" | "hinge_embedding" | "keras_hinge" | "keras_categorical_hinge",
//    "dtype": "float32" | "float64",
//    "shape": [N, C] | [n],            ([N, C] for all but hinge_embedding)
//    "p": 1 | 2,                       (multi_margin; default 1)
//    "backend": "tensorflow" | "jax",  (the Keras losses' conventions; default tensorflow)
//    "x": "x.f32",                     (scores, row-major, dtype)
//    "target": "y.i64",                (multi_margin: int64 class indices, one per row;
//                                       otherwise labels of x's shape and dtype)
//    "mode": "forward" | "forward_backward",
//    "warmup": w, "min_repeats": a, "max_repeats": b,          (optional: 1, 3, 50)
//    "budget_seconds": s, "cap_seconds": c,                    (optional: 1.0, 60.0)
//    "gradient_out": "g.f32"}          (optional: the last gradient, forward_backward only)
// Arrays are raw little-endian. Every loss is the default configuration
// (margin 1, reduction mean / sum_over_batch_size, no weights).
//
// Repetitions (the rule tools/bench.py's Python workers follow too): `warmup`
// untimed calls, then `clamp(ceil(budget / last warm-up time), min, max)` timed
// calls, fewer (at least 1) when they would take more than `cap` seconds, each
// timed alone with ContinuousClock.
//
// `--stream BYTES` is the memory-bandwidth baseline: it sums a buffer of BYTES
// bytes of float32 with 4 × SIMD16 accumulators, split into T contiguous chunks
// summed on T threads, under the same repetition rule.
//
// `--threads-used LOSS` prints how many threads the loss's calls would use with
// `--threads T` (Workloads.swift's `threadsUsed`), without running anything.
//
// Prints one JSON line: the per-repetition times in seconds, the loss of the last
// call (and whether every call gave the same bits), the process CPU time over the
// timed calls, the thread counts asked for and used, and the process's peak RSS
// (getrusage; Linux carries the launching process's peak over exec, so launch
// from a small process such as /usr/bin/time). Errors: one line on stderr, exit 1.
import Dispatch
import Foundation
import BenchSupport
import HingeLosses
import RealModule


struct Header: Decodable {
    let version: Int
    let loss: String
    let dtype: String
    let shape: [Int]
    let p: Int?
    let backend: String?
    let x: String
    let target: String
    let mode: String
    let warmup: Int?
    let min_repeats: Int?
    let max_repeats: Int?
    let budget_seconds: Double?
    let cap_seconds: Double?
    let gradient_out: String?
}

/// The repetition rule shared with tools/bench.py's workers.
struct Repetitions {
    var warmup = 1
    var minimum = 3
    var maximum = 50
    var budget = 1.0
    /// At most this many seconds of timed calls, even if that means fewer than `minimum` (but at least 1).
    var cap = 60.0

    func check() throws(BenchError) {
        guard (0...100).contains(warmup), (1...10_000).contains(minimum), (minimum...10_000).contains(maximum),
            budget >= 0, budget.isFinite, cap > 0, cap.isFinite
        else { throw BenchError(message: "bad repetition settings \(self)") }
    }

    func count(afterWarmup seconds: Double?) -> Int {
        guard let seconds, seconds > 0 else { return maximum }
        var n = min(maximum, max(minimum, Int((budget / seconds).rounded(.up))))
        if Double(n) * seconds > cap { n = max(1, min(n, Int(cap / seconds))) }
        return n
    }
}

/// Runs `call` under the repetition rule; returns the timed durations, the last result,
/// whether every call (warm-up included) returned the same loss bits, and the CPU time
/// of the timed calls.
func measure<R>(
    _ rule: Repetitions, same: (R, R) -> Bool, _ call: () throws -> R
) rethrows -> (warmupTimes: [Double], times: [Double], last: R, identical: Bool, cpu: Double) {
    let clock = ContinuousClock()
    var warmupTimes: [Double] = []
    var last: R? = nil
    var identical = true
    for _ in 0..<rule.warmup {
        let start = clock.now
        let r = try call()
        warmupTimes.append(seconds(start.duration(to: clock.now)))
        if let last, !same(last, r) { identical = false }
        last = r
    }
    let count = rule.count(afterWarmup: warmupTimes.last)
    var times: [Double] = []
    times.reserveCapacity(count)
    let cpuStart = usage().cpu
    for _ in 0..<count {
        let start = clock.now
        let r = try call()
        times.append(seconds(start.duration(to: clock.now)))
        if let last, !same(last, r) { identical = false }
        last = r
    }
    let cpu = usage().cpu - cpuStart
    return (warmupTimes, times, last!, identical, cpu)
}

// MARK: - The loss benchmark

func runLoss<Scalar: Real & BinaryFloatingPoint & Sendable & BitwiseCopyable>(
    _ header: Header, as _: Scalar.Type, resolve: (String) -> String, rule: Repetitions, threads: Int
) throws -> [String] {
    guard let count = Tensor<Scalar>.elementCount(of: header.shape), !header.shape.isEmpty else {
        throw BenchError(message: "bad shape \(header.shape)")
    }
    let baselineRSS = usage().maxRSSKiB
    let x = try readRaw(resolve(header.x), count: count, as: Scalar.self)
    var classIndices: [Int] = []
    var labels: [Scalar] = []
    if header.loss == "multi_margin" {
        guard header.shape.count == 2 else { throw BenchError(message: "multi_margin needs shape [N, C]") }
        classIndices = try readRaw(resolve(header.target), count: header.shape[0], as: Int.self)
    } else {
        labels = try readRaw(resolve(header.target), count: count, as: Scalar.self)
    }
    let inputs = WorkloadInputs(shape: header.shape, x: x, classIndices: classIndices, labels: labels)
    let workload = try makeWorkload(
        loss: header.loss, p: header.p ?? 1, backend: header.backend ?? "tensorflow", inputs: inputs, threads: threads)
    let call: () throws -> CallResult<Scalar>
    switch header.mode {
    case "forward": call = workload.forward
    case "forward_backward": call = workload.forwardBackward
    default: throw BenchError(message: "mode must be forward or forward_backward, got \(header.mode)")
    }
    let m = try measure(rule, same: { Double($0.loss).bitPattern == Double($1.loss).bitPattern || ($0.loss.isNaN && $1.loss.isNaN) }, call)
    var fields = [
        "\"contender\":\"ours\"",
        "\"times\":\(json(m.times))",
        "\"warmup_times\":\(json(m.warmupTimes))",
        "\"loss\":\(json(Double(m.last.loss)))",
        "\"losses_identical\":\(m.identical)",
        "\"forward_computes_gradient\":\(header.mode == "forward" && workload.forwardComputesGradient)",
        "\"cpu_seconds\":\(json(m.cpu))",
        "\"threads_requested\":\(threads)",
        "\"threads_used\":\(threadsUsed(loss: header.loss, requested: threads))",
        "\"baseline_rss_kib\":\(baselineRSS)",
    ]
    if let out = header.gradient_out {
        guard let gradient = m.last.gradient else {
            throw BenchError(message: "gradient_out needs mode forward_backward")
        }
        try writeRaw(gradient, to: resolve(out))
        fields.append("\"gradient_file\":\(json(resolve(out)))")
    }
    return fields
}

// MARK: - The streaming baseline

/// The sum of `n` floats at `p`, with 4 × 16 independent accumulators so the
/// loop is bound by loads, not by the latency of the additions.
@inline(never)
func streamSum(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
    let raw = UnsafeRawPointer(p)
    var a0 = SIMD16<Float>(), a1 = SIMD16<Float>(), a2 = SIMD16<Float>(), a3 = SIMD16<Float>()
    var i = 0
    while i + 64 <= n {
        a0 += raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
        a1 += raw.loadUnaligned(fromByteOffset: i * 4 + 64, as: SIMD16<Float>.self)
        a2 += raw.loadUnaligned(fromByteOffset: i * 4 + 128, as: SIMD16<Float>.self)
        a3 += raw.loadUnaligned(fromByteOffset: i * 4 + 192, as: SIMD16<Float>.self)
        i += 64
    }
    var s = ((a0 + a1) + (a2 + a3)).sum()
    while i < n {
        s += p[i]
        i += 1
    }
    return s
}

func runStream(bytes: Int, rule: Repetitions, threads: Int) throws -> [String] {
    guard bytes >= 4, bytes <= 1 << 36 else { throw BenchError(message: "--stream BYTES must be in 4...2^36") }
    let n = bytes / 4
    // Written once (every page faulted in and resident) before any timing.
    let buffer = UnsafeMutablePointer<Float>.allocate(capacity: n)
    defer { buffer.deallocate() }
    for i in 0..<n { buffer[i] = Float(i & 1023) * 0x1p-10 }
    nonisolated(unsafe) let data = UnsafePointer(buffer)
    let partials = UnsafeMutablePointer<Float>.allocate(capacity: threads)
    defer { partials.deallocate() }
    nonisolated(unsafe) let out = partials
    let chunk = (n + threads - 1) / threads
    let m = measure(rule, same: { $0 == $1 }) { () -> Float in
        if threads == 1 { return streamSum(data, n) }
        DispatchQueue.concurrentPerform(iterations: threads) { k in
            let start = min(n, k * chunk)
            out[k] = streamSum(data + start, min(n, start + chunk) - start)
        }
        var total: Float = 0
        for k in 0..<threads { total += out[k] }
        return total
    }
    let median = m.times.sorted()[m.times.count / 2]
    return [
        "\"contender\":\"stream\"",
        "\"bytes\":\(n * 4)",
        "\"times\":\(json(m.times))",
        "\"warmup_times\":\(json(m.warmupTimes))",
        "\"sum\":\(json(Double(m.last)))",
        "\"gb_per_s\":\(json(Double(n * 4) / median / 1e9))",
        "\"cpu_seconds\":\(json(m.cpu))",
        "\"threads_requested\":\(threads)",
        "\"threads_used\":\(threads)",
    ]
}

// MARK: - Command line

func run(_ arguments: [String]) throws -> String {
    let usageText =
        "usage: HingeBench [--threads T] HEADER.json | HingeBench [--threads T] --stream BYTES [--budget S] [--cap S] [--warmup N] [--min-repeats N] [--max-repeats N] | HingeBench [--threads T] --threads-used LOSS"
    var threads = 1
    var streamBytes: Int? = nil
    var threadsQuery: String? = nil
    var rule = Repetitions()
    var positional: [String] = []
    var i = 1
    func value(_ name: String) throws -> String {
        i += 1
        guard i < arguments.count else { throw BenchError(message: "\(name) needs a value; \(usageText)") }
        return arguments[i]
    }
    func integer(_ name: String) throws -> Int {
        let text = try value(name)
        guard let n = Int(text) else { throw BenchError(message: "\(name) needs an integer, got \(text)") }
        return n
    }
    while i < arguments.count {
        switch arguments[i] {
        case "--threads": threads = try integer("--threads")
        case "--stream": streamBytes = try integer("--stream")
        case "--threads-used": threadsQuery = try value("--threads-used")
        case "--min-repeats": rule.minimum = try integer("--min-repeats")
        case "--max-repeats": rule.maximum = try integer("--max-repeats")
        case "--warmup": rule.warmup = try integer("--warmup")
        case "--budget", "--cap":
            let name = arguments[i]
            let text = try value(name)
            guard let s = Double(text) else { throw BenchError(message: "\(name) needs seconds, got \(text)") }
            if name == "--budget" { rule.budget = s } else { rule.cap = s }
        case "-h", "--help": return usageText
        case let arg where arg.hasPrefix("-"): throw BenchError(message: "unknown option \(arg); \(usageText)")
        case let arg: positional.append(arg)
        }
        i += 1
    }
    guard (1...1024).contains(threads) else { throw BenchError(message: "--threads must be in 1...1024") }

    var fields: [String]
    if let loss = threadsQuery {
        return "{\"loss\":\(json(loss)),\"threads_requested\":\(threads),\"threads_used\":\(threadsUsed(loss: loss, requested: threads))}"
    } else if let bytes = streamBytes {
        guard positional.isEmpty else { throw BenchError(message: usageText) }
        try rule.check()
        fields = try runStream(bytes: bytes, rule: rule, threads: threads)
    } else {
        guard positional.count == 1 else { throw BenchError(message: usageText) }
        let headerPath = positional[0]
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: try readFile(headerPath, limit: 1 << 20))
        } catch let error as DecodingError {
            throw BenchError(message: "malformed header \(headerPath): \(error)")
        }
        guard header.version == 1 else { throw BenchError(message: "unsupported header version \(header.version)") }
        rule.warmup = header.warmup ?? rule.warmup
        rule.minimum = header.min_repeats ?? rule.minimum
        rule.maximum = header.max_repeats ?? rule.maximum
        rule.budget = header.budget_seconds ?? rule.budget
        rule.cap = header.cap_seconds ?? rule.cap
        try rule.check()
        let folder = URL(fileURLWithPath: headerPath).deletingLastPathComponent()
        let resolve = { (name: String) in name.hasPrefix("/") ? name : folder.appendingPathComponent(name).path }
        switch header.dtype {
        case "float32": fields = try runLoss(header, as: Float.self, resolve: resolve, rule: rule, threads: threads)
        case "float64": fields = try runLoss(header, as: Double.self, resolve: resolve, rule: rule, threads: threads)
        default: throw BenchError(message: "dtype must be float32 or float64, got \(header.dtype)")
        }
    }
    fields.append("\"max_rss_kib\":\(usage().maxRSSKiB)")
    return "{" + fields.joined(separator: ",") + "}"
}

runBench("HingeBench") { try run(CommandLine.arguments) }
