// What the benchmark executables (HingeBench, LinearSVCBench) share: raw
// little-endian arrays in and out, a bounded header read, the process's CPU time
// and peak RSS, JSON scalars, and one-line errors with exit status 1.
import Foundation
import HingeLosses

public struct BenchError: Error {
    public let message: String
    public init(message: String) { self.message = message }
}

/// Opens `path` for reading and checks that it is a regular file; returns it and its size.
private func openRegularFile(_ path: String) throws(BenchError) -> (UnsafeMutablePointer<FILE>, Int) {
    guard let file = fopen(path, "rb") else {
        throw BenchError(message: "cannot open \(path): \(String(cString: strerror(errno)))")
    }
    var info = stat()
    guard fstat(fileno(file), &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
        fclose(file)
        throw BenchError(message: "\(path) is not a regular file")
    }
    return (file, Int(info.st_size))
}

/// Reads exactly `count` little-endian elements of `T` from `path`.
public func readRaw<T: BitwiseCopyable>(_ path: String, count: Int, as _: T.Type) throws(BenchError) -> [T] {
    let size = MemoryLayout<T>.size
    let (file, fileSize) = try openRegularFile(path)
    defer { fclose(file) }
    let (bytes, overflow) = count.multipliedReportingOverflow(by: size)
    guard !overflow, fileSize == bytes else {
        throw BenchError(message: "\(path) holds \(fileSize) bytes, expected \(count) \(size)-byte values")
    }
    var readCount = 0
    var array = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
        if count > 0 {
            readCount = fread(buffer.baseAddress!, size, count, file)
            // Leave the elements initialised (every bit pattern is a valid Float/Double/Int).
            if readCount != count { memset(buffer.baseAddress!, 0, bytes) }
        }
        initialized = count
    }
    guard readCount == count else { throw BenchError(message: "short read from \(path)") }
    #if _endian(big)
        array.withUnsafeMutableBytes { raw in
            for start in stride(from: 0, to: raw.count, by: size) { raw[start..<(start + size)].reverse() }
        }
    #endif
    return array
}

/// Writes `values` to `path` as raw bytes (little-endian on the machines we run on).
public func writeRaw<T: BitwiseCopyable>(_ values: [T], to path: String) throws(BenchError) {
    guard let file = fopen(path, "wb") else {
        throw BenchError(message: "cannot write \(path): \(String(cString: strerror(errno)))")
    }
    let written = values.withUnsafeBufferPointer { fwrite($0.baseAddress, MemoryLayout<T>.size, $0.count, file) }
    guard fclose(file) == 0, written == values.count else { throw BenchError(message: "cannot write \(path)") }
}

/// The whole of a small file (a header), refusing anything over `limit` bytes.
public func readFile(_ path: String, limit: Int) throws(BenchError) -> Data {
    let (file, size) = try openRegularFile(path)
    defer { fclose(file) }
    guard size <= limit else { throw BenchError(message: "\(path) is larger than \(limit) bytes") }
    var bytes = [UInt8](repeating: 0, count: size)
    let got = bytes.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
    guard got == bytes.count else { throw BenchError(message: "short read from \(path)") }
    return Data(bytes)
}

/// User + system CPU time of the whole process (all threads), and its peak RSS in
/// KiB. Linux carries the launching process's peak over exec, so launch from a
/// small process such as /usr/bin/time.
public func usage() -> (cpu: Double, maxRSSKiB: Int) {
    var u = rusage()
    #if canImport(Glibc)
        let who = __rusage_who_t(RUSAGE_SELF.rawValue)
    #else
        let who = RUSAGE_SELF
    #endif
    guard getrusage(who, &u) == 0 else { return (.nan, -1) }
    let cpu =
        Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) * 1e-6 + Double(u.ru_stime.tv_sec)
        + Double(u.ru_stime.tv_usec) * 1e-6
    return (cpu, Int(u.ru_maxrss))
}

/// A duration in seconds.
public func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

public func json(_ value: Double) -> String { value.isFinite ? "\(value)" : "null" }
public func json(_ values: [Double]) -> String { "[" + values.map(json).joined(separator: ",") + "]" }
public func json(_ text: String) -> String {
    "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
}

/// Prints what `body` returns (one JSON line); any error becomes one line on
/// stderr, prefixed with the tool's name, and exit status 1.
public func runBench(_ tool: String, _ body: () throws -> String) {
    func fail(_ message: String) -> Never {
        let line = message.split(whereSeparator: \.isNewline).joined(separator: " ")
        FileHandle.standardError.write(Data("\(tool): error: \(line)\n".utf8))
        exit(1)
    }
    do {
        print(try body())
    } catch let error as BenchError {
        fail(error.message)
    } catch let error as HingeError {
        fail(error.description)
    } catch {
        fail("\(error)")
    }
}
