/// The order in which a framework's CPU kernels add up a float sum, so that a
/// sum comes out bit for bit as the framework's does (under cancellation the
/// order decides dozens of ulps).
///
/// Each order is the one the NumPy mirrors (`tools/hinge_fixtures/mirrors/keras.py`,
/// `_tf_row_sum`, `_xla_row_sum`, `total_sum`) reproduce and were measured
/// against: TensorFlow 2.21.0's Eigen and jaxlib 0.10.2's XLA on x86-64 CPU.
/// Where an order was not measured (long rows), the sum is taken in `Double`
/// and rounded once, like the mirrors' fallback (NumPy's pairwise float64 sum).
///
/// Every addition is in the operand type, and a partial sum that comes out
/// subnormal is written as 0, as the flush-to-zero kernels write it
/// (`tf.reduce_sum` and `jnp.sum` of `[1.5·2⁻¹²⁶, −2⁻¹²⁶]` are 0).
package enum ReductionOrder: String, Hashable, Sendable, CaseIterable {
    /// TensorFlow's `reduce_sum` on CPU: Eigen's `InnerMostDimReducer` with AVX
    /// packets of 8 floats / 4 doubles. The whole-packet part of a run is
    /// accumulated lane-wise (lane `i` holds `x[i] + x[i+P] + …`), the tail after
    /// it is added sequentially from 0, and the result is
    /// `tail + predux(lanes)`, `predux` being a halving tree of the lanes.
    /// Measured exact for runs shorter than 8 packets (64 floats, 32 doubles).
    /// A full reduction runs over the flat buffer; a last-axis reduction over each row.
    case eigen
    /// XLA:CPU's reduce (JAX). A last-axis reduction of an operand under 4096
    /// elements adds each row sequentially; a larger operand uses
    /// `L = min(16, the largest power of two below C)` lanes, lane `i` adding
    /// `x[i], x[i+L], …` sequentially, then a halving tree (measured up to
    /// C = 65). A full reduction adds up to 32 elements sequentially, up to 64 as
    /// two sequential halves (the first `⌈n/2⌉`) added together, and a multiple of
    /// 32 as sequential chunks of 32 whose sums are added sequentially.
    case xla

    /// `ops.sum(x, axis=-1)` of a row-major `rows × width` buffer.
    package func rowSums<T: BinaryFloatingPoint>(_ x: [T], rows: Int, width: Int) -> [T] {
        precondition(x.count == rows * width, "rowSums: \(x.count) elements are not \(rows) rows of \(width)")
        switch self {
        case .eigen:
            return (0..<rows).map { Self.eigenRun(x[($0 * width)..<($0 * width + width)]) }
        case .xla:
            if x.count < 4096 {
                return (0..<rows).map { Self.sequential(x[($0 * width)..<($0 * width + width)]) }
            }
            if width > 65 {
                return (0..<rows).map { Self.pairwiseDouble(x[($0 * width)..<($0 * width + width)]) }
            }
            var lanes = 1
            while lanes * 2 < width { lanes *= 2 }
            lanes = Swift.min(lanes, 16)
            return withUnsafeTemporaryAllocation(of: T.self, capacity: lanes) { partials in
                (0..<rows).map { row in
                    let start = row * width
                    for lane in 0..<lanes {
                        var acc: T = 0
                        for j in stride(from: start + lane, to: start + width, by: lanes) { acc = Self.add(acc, x[j]) }
                        partials[lane] = acc
                    }
                    return Self.halvingTree(in: partials)
                }
            }
        }
    }

    /// `ops.sum(x)`: every element of a row-major buffer, reduced to a scalar.
    package func total<T: BinaryFloatingPoint>(_ x: [T]) -> T {
        switch self {
        case .eigen:
            return Self.eigenRun(x[...])
        case .xla:
            let n = x.count
            if n <= 32 { return Self.sequential(x[...]) }
            if n <= 64 {
                let half = (n + 1) / 2
                return Self.add(Self.sequential(x[..<half]), Self.sequential(x[half...]))
            }
            if n % 32 == 0 {
                var acc: T = 0
                for chunk in stride(from: 0, to: n, by: 32) { acc = Self.add(acc, Self.sequential(x[chunk..<(chunk + 32)])) }
                return acc
            }
            return Self.pairwiseDouble(x[...])
        }
    }

    /// Autograd's reduction of a broadcast gradient of `shape` back to an operand's
    /// `target` shape (the leading extra axes and the axes where `target` is 1).
    /// A reduction of the last axis alone is ``rowSums(_:rows:width:)``; any other is
    /// taken in `Double` in row-major order and rounded once (not modelled).
    package func sum<T: BinaryFloatingPoint>(_ gradient: [T], from shape: [Int], to target: [Int]) -> [T] {
        if shape == target { return gradient }
        if let width = shape.last, target.count == shape.count, target.last == 1, width != 1,
            zip(shape.dropLast(), target.dropLast()).allSatisfy({ $0 == $1 })
        {
            return rowSums(gradient, rows: target.reduce(1, *), width: width)
        }
        let wide = Broadcasting.sumToShape(gradient.map { Double($0) }, from: shape, to: target)
        return wide.map { SubnormalMode.flushToZero(T($0)) }
    }

    // MARK: - The orders' building blocks

    /// One addition of a sum, its result flushed (FTZ).
    @inline(__always)
    static func add<T: BinaryFloatingPoint>(_ a: T, _ b: T) -> T { SubnormalMode.flushToZero(a + b) }

    /// `((0 + x₀) + x₁) + …`
    static func sequential<T: BinaryFloatingPoint>(_ x: ArraySlice<T>) -> T {
        var acc: T = 0
        for v in x { acc = add(acc, v) }
        return acc
    }

    /// A SIMD horizontal add: lane `i` += lane `i + h` (`h` = half the lanes, rounded
    /// up) until one lane is left.
    static func halvingTree<T: BinaryFloatingPoint>(_ lanes: [T]) -> T {
        var parts = lanes
        return parts.withUnsafeMutableBufferPointer { halvingTree(in: $0) }
    }

    /// ``halvingTree(_:)`` in place, on a scratch buffer.
    static func halvingTree<T: BinaryFloatingPoint>(in parts: UnsafeMutableBufferPointer<T>) -> T {
        var count = parts.count
        while count > 1 {
            let half = (count + 1) / 2
            for i in 0..<(count - half) { parts[i] = add(parts[i], parts[i + half]) }
            count = half
        }
        return count == 1 ? parts[0] : 0
    }

    /// One contiguous run reduced by Eigen's `InnerMostDimReducer` (see ``eigen``).
    static func eigenRun<T: BinaryFloatingPoint>(_ x: ArraySlice<T>) -> T {
        let packet = 32 / MemoryLayout<T>.size  // one AVX register
        let c = x.count
        if c >= 8 * packet { return pairwiseDouble(x) }
        let start = x.startIndex
        let vectorized = (c / packet) * packet
        var tail: T = 0
        for j in vectorized..<c { tail = add(tail, x[start + j]) }
        if vectorized == 0 { return tail }
        return withUnsafeTemporaryAllocation(of: T.self, capacity: packet) { lanes in
            for i in 0..<packet { lanes[i] = x[start + i] }
            for block in stride(from: packet, to: vectorized, by: packet) {
                for i in 0..<packet { lanes[i] = add(lanes[i], x[start + block + i]) }
            }
            return add(tail, halvingTree(in: lanes))
        }
    }

    /// The fallback: NumPy's pairwise sum (`pairwise_sum` in `loops_utils.h`) of the
    /// values widened to `Double`, rounded once.
    static func pairwiseDouble<T: BinaryFloatingPoint>(_ x: ArraySlice<T>) -> T {
        x.withUnsafeBufferPointer { SubnormalMode.flushToZero(T(0 + NumPySum.pairwise($0))) }
    }
}

extension KerasBackend {
    /// The order of this backend's sums: Eigen's on TensorFlow, XLA's on JAX.
    package var reductionOrder: ReductionOrder {
        switch self {
        case .tensorflow: .eigen
        case .jax: .xla
        }
    }
}
