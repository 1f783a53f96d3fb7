import Dispatch

/// Fork–join over a few chunks of work, for the `threads` option of the losses.
///
/// With `threads == 1` everything runs on the caller's thread, in order. Results
/// never depend on the thread count unless a loss says so (PyTorch's own sum
/// splits differently with more threads, and ``TorchSum`` follows it).
enum Parallel {
    /// `body(0..<count)` evaluated with up to `threads` running at once.
    static func map<T>(count: Int, threads: Int, _ body: (Int) -> T) -> [T] {
        if threads <= 1 || count <= 1 { return (0..<count).map(body) }
        return withoutActuallyEscaping(body) { body in
            [T](unsafeUninitializedCapacity: count) { buffer, initialized in
                let results = SendablePointer(buffer.baseAddress!)
                let work = UncheckedSendable(body)
                DispatchQueue.concurrentPerform(iterations: count) { i in
                    (results.pointer + i).initialize(to: work.value(i))
                }
                initialized = count
            }
        }
    }

    /// Calls `body` on `threads` contiguous, nearly equal slices of `0..<count`
    /// (at least `minimumChunk` elements each), concurrently.
    static func forEachChunk(count: Int, threads: Int, minimumChunk: Int = 16_384, _ body: (Range<Int>) -> Void) {
        let chunks = Swift.max(1, Swift.min(threads, count / Swift.max(1, minimumChunk)))
        if chunks == 1 {
            body(0..<count)
            return
        }
        let size = (count + chunks - 1) / chunks
        _ = map(count: chunks, threads: chunks) { c in body((c * size)..<Swift.min(count, (c + 1) * size)) }
    }
}

/// A pointer handed to the workers of ``Parallel``; each writes disjoint elements.
struct SendablePointer<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>
    init(_ pointer: UnsafeMutablePointer<T>) { self.pointer = pointer }
}

/// A non-escaping closure run by ``Parallel``'s workers before it returns.
struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
