/// `torch.sum` of a contiguous CPU tensor to a scalar, in PyTorch's own
/// evaluation order (`aten/src/ATen/native/cpu/SumKernel.cpp`, `cascade_sum`), so
/// that composite losses reduce bit for bit as PyTorch does — including where the
/// order decides between a finite sum and an overflow, or which of `±DBL_MAX`
/// cancel.
///
/// The order, for `n` elements accumulated in the element type:
/// - `n < W` (`W` = lanes of a `Vectorized` register, 8 floats or 4 doubles as
///   dispatched on AVX2 and AVX-512 CPUs alike): `row_sum` over scalars;
/// - else `vectorized_inner_sum`: `row_sum` over the `n / W` whole vectors
///   (lane-wise), a scalar sum of the tail, then the `W` lanes added to it in turn;
/// - `row_sum` keeps 4 interleaved partial sums (`ilp_factor`), each a 4-level
///   cascade (`multi_row_sum`: level steps of `2^max(4, ⌈log2 m⌉ / 4)`), adds the
///   leftover items to partial 0, then partials 1…3 to partial 0.
///
/// Measured against torch 2.15 with one thread for `0 ≤ n ≤ 40,000`: identical
/// bits. With `t` threads torch splits sums of more than 32,768 elements
/// (`GRAIN_SIZE`) into `min(t, ⌈n / 32768⌉)` contiguous chunks of
/// `⌈n / chunks⌉` elements and adds the chunk sums in order; `threads` reproduces
/// that.
enum TorchSum {
    /// The lanes of `Vectorized<T>` in the sum kernel.
    static func lanes<T: BinaryFloatingPoint>(_: T.Type) -> Int {
        T.self == Double.self ? 4 : 8
    }

    /// PyTorch's `GRAIN_SIZE`: reductions of more elements may run in parallel.
    static let grainSize = 32_768

    static func sum<T: BinaryFloatingPoint>(_ values: [T], threads: Int = 1) -> T {
        values.withUnsafeBufferPointer { sum(BufferSumSource(base: $0.baseAddress, count: $0.count), threads: threads) }
    }

    static func sum<Source: TorchSumSource>(_ source: Source, threads: Int = 1) -> Source.Element {
        let n = source.count
        let chunks = n > grainSize ? Swift.max(1, Swift.min(threads, (n + grainSize - 1) / grainSize)) : 1
        if chunks == 1 { return cascade(source, 0..<n) }
        let chunk = (n + chunks - 1) / chunks
        let partials = Parallel.map(count: chunks, threads: threads) { c in
            cascade(source, (c * chunk)..<Swift.min(n, (c + 1) * chunk))
        }
        // two_pass_reduction: the per-thread results are added in thread order.
        var total: Source.Element = 0
        for partial in partials { total += partial }
        return total
    }

    /// `cascade_sum` of the source's elements in `range`.
    static func cascade<Source: TorchSumSource>(_ source: Source, _ range: Range<Int>) -> Source.Element {
        typealias T = Source.Element
        let width = lanes(T.self)
        if range.count >= width {
            if T.self == Float.self { return vectorInnerSum(source, range, as: SIMD8<Float>.self) }
            if T.self == Double.self { return vectorInnerSum(source, range, as: SIMD4<Double>.self) }
        }
        let x = [T](unsafeUninitializedCapacity: range.count) { buffer, initialized in
            if let base = buffer.baseAddress { source.fill(base, from: range.lowerBound, count: range.count) }
            initialized = range.count
        }
        return x.withUnsafeBufferPointer { x in
            let n = x.count
            if n < width {
                return rowSum(x, width: 1, vectors: n)[0]
            }
            let vectors = n / width
            let lanes = rowSum(x, width: width, vectors: vectors)
            var total: T = 0
            for k in (vectors * width)..<n { total += x[k] }
            for lane in lanes { total += lane }
            return total
        }
    }

    /// `vectorized_inner_sum` with `V` as `Vectorized<T>` (`V.Scalar` is the source's
    /// element type): `row_sum`'s 4 interleaved accumulators over rows of 4 vectors,
    /// each a 4-level cascade (`multi_row_sum`), in registers; the elements are
    /// produced a block of rows at a time into a small buffer.
    private static func vectorInnerSum<Source: TorchSumSource, V: SIMD>(
        _ source: Source, _ range: Range<Int>, as _: V.Type
    ) -> Source.Element where V.Scalar: BinaryFloatingPoint {
        let width = V.scalarCount
        let n = range.count
        let vectors = n / width
        let rows = vectors / 4
        let power = Swift.max(4, ceilLog2(rows) / 4)
        let step = 1 << power
        let mask = step - 1
        // Rows of a complete level-0 step are cascaded; the last partial step is not.
        let cascadedRows = rows / step * step
        let blockRows = 64
        let rowElements = 4 * width
        let scratch = UnsafeMutableRawPointer.allocate(
            byteCount: blockRows * rowElements * MemoryLayout<V.Scalar>.stride, alignment: 64)
        defer { scratch.deallocate() }
        let elements = scratch.bindMemory(to: Source.Element.self, capacity: blockRows * rowElements)
        let vectorStride = MemoryLayout<V.Scalar>.stride * width
        @inline(__always) func load(_ v: Int) -> V { UnsafeRawPointer(scratch).loadUnaligned(fromByteOffset: v * vectorStride, as: V.self) }

        var a0 = V(), a1 = V(), a2 = V(), a3 = V()
        var b0 = V(), b1 = V(), b2 = V(), b3 = V()
        var c0 = V(), c1 = V(), c2 = V(), c3 = V()
        var d0 = V(), d1 = V(), d2 = V(), d3 = V()
        var i = 0
        while i < rows {
            let count = Swift.min(blockRows, rows - i)
            source.fill(elements, from: range.lowerBound + i * rowElements, count: count * rowElements)
            for r in 0..<count {
                a0 += load(4 * r); a1 += load(4 * r + 1); a2 += load(4 * r + 2); a3 += load(4 * r + 3)
                i += 1
                guard i & mask == 0, i <= cascadedRows else { continue }
                b0 += a0; b1 += a1; b2 += a2; b3 += a3
                a0 = V(); a1 = V(); a2 = V(); a3 = V()
                if i & (mask << power) != 0 { continue }
                c0 += b0; c1 += b1; c2 += b2; c3 += b3
                b0 = V(); b1 = V(); b2 = V(); b3 = V()
                if i & (mask << (2 * power)) != 0 { continue }
                d0 += c0; d1 += c1; d2 += c2; d3 += c3
                c0 = V(); c1 = V(); c2 = V(); c3 = V()
            }
        }
        a0 += b0; a1 += b1; a2 += b2; a3 += b3
        a0 += c0; a1 += c1; a2 += c2; a3 += c3
        a0 += d0; a1 += d1; a2 += d2; a3 += d3
        // The leftover vectors (fewer than 4) and the scalar tail.
        let rest = n - rows * rowElements
        source.fill(elements, from: range.lowerBound + rows * rowElements, count: rest)
        for v in 0..<(vectors - rows * 4) { a0 += load(v) }
        a0 += a1; a0 += a2; a0 += a3
        var total: Source.Element = 0
        for k in ((vectors - rows * 4) * width)..<rest { total += elements[k] }
        for lane in 0..<width { total += Source.Element(a0[lane]) }
        return total
    }

    /// `row_sum`: the lane-wise sum of `vectors` consecutive vectors of `width` lanes.
    private static func rowSum<T: BinaryFloatingPoint>(_ x: UnsafeBufferPointer<T>, width: Int, vectors: Int) -> [T] {
        let ilp = 4
        let rows = vectors / ilp
        var partial = multiRowSum(x, items: ilp, width: width, rows: rows)
        for i in (rows * ilp)..<vectors {
            for l in 0..<width { partial[l] += x[i * width + l] }
        }
        for k in 1..<ilp {
            for l in 0..<width { partial[l] += partial[k * width + l] }
        }
        return Array(partial[0..<width])
    }

    /// `multi_row_sum`: `items` interleaved accumulators (each `width` lanes) over
    /// `rows` rows of `items` consecutive vectors, cascaded through 4 levels.
    /// Returns the accumulators as `items × width` values.
    private static func multiRowSum<T: BinaryFloatingPoint>(
        _ x: UnsafeBufferPointer<T>, items: Int, width: Int, rows: Int
    ) -> [T] {
        let levels = 4
        let power = Swift.max(4, ceilLog2(rows) / levels)
        let step = 1 << power
        let mask = step - 1
        let block = items * width
        var acc = [T](repeating: 0, count: levels * block)
        acc.withUnsafeMutableBufferPointer { acc in
            var i = 0
            while i + step <= rows {
                for _ in 0..<step {
                    let base = i * block
                    for e in 0..<block { acc[e] += x[base + e] }
                    i += 1
                }
                for j in 1..<levels {
                    for e in 0..<block {
                        acc[j * block + e] += acc[(j - 1) * block + e]
                        acc[(j - 1) * block + e] = 0
                    }
                    if i & (mask << (j * power)) != 0 { break }
                }
            }
            while i < rows {
                let base = i * block
                for e in 0..<block { acc[e] += x[base + e] }
                i += 1
            }
            for j in 1..<levels {
                for e in 0..<block { acc[e] += acc[j * block + e] }
            }
        }
        return Array(acc[0..<block])
    }

    /// ATen's `utils::CeilLog2` (1 for x ≤ 2).
    private static func ceilLog2(_ x: Int) -> Int {
        x <= 2 ? 1 : Int.bitWidth - (x - 1).leadingZeroBitCount
    }
}

/// Elements for ``TorchSum``, produced in runs, so that a loss can be summed as it
/// is evaluated without materialising every value.
protocol TorchSumSource: Sendable {
    associatedtype Element: BinaryFloatingPoint
    var count: Int { get }
    /// Writes elements `start..<start + count` to `out`.
    func fill(_ out: UnsafeMutablePointer<Element>, from start: Int, count: Int)
}

/// The elements of a buffer.
struct BufferSumSource<Element: BinaryFloatingPoint>: TorchSumSource, @unchecked Sendable {
    let base: UnsafePointer<Element>?
    let count: Int

    func fill(_ out: UnsafeMutablePointer<Element>, from start: Int, count: Int) {
        guard count > 0, let base else { return }
        out.update(from: base + start, count: count)
    }
}
