import RealModule

/// The pieces of PaddlePaddle 3.3.1's CPU kernels (phi, on Eigen with AVX packets)
/// that its composite losses are made of, in Paddle's order, so that reductions come
/// out bit for bit as Paddle's.
///
/// Measured against paddlepaddle 3.3.1 (the mirror, `tools/hinge_fixtures/mirrors/paddle.py`,
/// states the same rules): `paddle.mean` is Eigen's `MeanReducer` over the flat buffer
/// (packets of 8 floats / 4 doubles, one packet accumulator, the tail added from 0,
/// `tail + halving tree of the lanes`, then divided by the count); `paddle.sum` is
/// Eigen's `SumReducer`, which unrolls two packet accumulators and splits runs longer
/// than 1024 packets in halves. A reduction over the last axis of a 2-D tensor adds
/// each row in order (``axisSum(_:)``). These are not ``ReductionOrder/eigen`` (TensorFlow's
/// build flushes subnormals and was measured only for short runs).
package enum PaddleKernels {
    /// Lanes of one AVX register: 8 floats, 4 doubles.
    @inline(__always)
    static func lanes<T: BinaryFloatingPoint>(_: T.Type) -> Int { 32 / MemoryLayout<T>.size }

    /// Eigen's `predux`: lane `i` += lane `i + h`, `h` halving, until one is left.
    static func halving<T: BinaryFloatingPoint>(_ parts: inout [T]) -> T {
        var count = parts.count
        while count > 1 {
            let half = (count + 1) / 2
            for i in 0..<(count - half) { parts[i] += parts[i + half] }
            count = half
        }
        return count == 1 ? parts[0] : 0
    }

    /// `paddle.mean` of a run: `(tail + predux(lanes)) / n`; NaN for an empty run.
    package static func mean<T: BinaryFloatingPoint>(_ x: ArraySlice<T>) -> T {
        let width = lanes(T.self), n = x.count, start = x.startIndex
        let whole = (n / width) * width
        var total: T = 0
        for j in whole..<n { total += x[start + j] }
        if whole > 0 {
            var acc = Array(x[start..<(start + width)])
            for block in stride(from: width, to: whole, by: width) {
                for i in 0..<width { acc[i] += x[start + block + i] }
            }
            total += halving(&acc)
        }
        return total / T(n)
    }

    /// `paddle.sum` of a run (Eigen's tree reduction over leaves of 1024 packets).
    package static func sum<T: BinaryFloatingPoint>(_ x: ArraySlice<T>) -> T {
        let width = lanes(T.self), n = x.count, start = x.startIndex
        if n > width * 1024 {
            let half = (n + 1) / 2
            let split = ((half + width - 1) / width) * width
            return (0 + sum(x[start..<(start + split)])) + sum(x[(start + split)...])
        }
        let unrolled = (n / (2 * width)) * 2 * width
        let whole = (n / width) * width
        var total: T = 0
        for j in whole..<n { total += x[start + j] }
        guard whole > 0 else { return total }
        var a = [T](repeating: 0, count: width), b = a
        for block in stride(from: 0, to: unrolled, by: 2 * width) {
            for i in 0..<width {
                a[i] += x[start + block + i]
                b[i] += x[start + block + width + i]
            }
        }
        for block in stride(from: unrolled, to: whole, by: width) {
            for i in 0..<width { a[i] += x[start + block + i] }
        }
        for i in 0..<width { a[i] += b[i] }
        return total + halving(&a)
    }

    /// `paddle.sum(x, axis=-1)` of one row of a 2-D tensor: a reduction that keeps the
    /// outer axis adds the row in order from 0 (measured; not the full reductions' order).
    package static func axisSum<T: BinaryFloatingPoint>(_ x: ArraySlice<T>) -> T {
        var total: T = 0
        for v in x { total += v }
        return total
    }

    /// `reduction` applied to unreduced losses of `shape`.
    package static func reduce<T: BinaryFloatingPoint>(_ values: [T], shape: [Int], _ reduction: Reduction) -> Tensor<T> {
        switch reduction {
        case .none: Tensor(uncheckedShape: shape, scalars: values)
        case .mean: Tensor(scalar: mean(values[...]))
        case .sum: Tensor(scalar: sum(values[...]))
        }
    }

    /// The gradient of `output.sum()` reaching each unreduced loss: 1, or mean's `1/n`.
    package static func seed<T: BinaryFloatingPoint>(count: Int, _ reduction: Reduction) -> T {
        reduction == .mean ? T(1) / T(count) : 1
    }

    /// `paddle.exp` of a flat buffer: Eigen's packet exp over the whole packets, which
    /// never goes below a subnormal floor (measured: `exp(−inf)` is 2096816·2⁻¹⁴⁹ =
    /// 2.938e−39 in float32, 1124451685830934·2⁻¹⁰⁷⁴ = 5.556e−309 in float64, not 0), and
    /// `std::exp` for the last `n mod P` elements. Values are otherwise the correctly
    /// rounded ones (Paddle's are within an ulp or two: the fixtures' tolerance).
    package static func exp<T: Real & BinaryFloatingPoint>(_ x: [T]) -> [T] {
        let width = lanes(T.self)
        let whole = (x.count / width) * width
        let floor = MemoryLayout<T>.size == 4 ? T(Float(sign: .plus, exponent: -149, significand: 2096816))
            : T(Double(sign: .plus, exponent: -1074, significand: 1124451685830934))
        return x.indices.map { i in
            let e = T(Double.exp(Double(x[i])))
            return i < whole && e < floor ? floor : e  // NaN stays NaN
        }
    }


    /// `std::log` (in `Double`, rounded).
    @inline(__always)
    package static func log<T: Real & BinaryFloatingPoint>(_ x: T) -> T { T(Double.log(Double(x))) }

    /// `pow(x, e)`: `x` for `e` = 1, `x·x` for 2, `√x` for 0.5, else glibc's `pow` in
    /// `Double`, rounded.
    /// Paddle's packet pow (Eigen's generic pow) is within an ulp or so of these, even
    /// for `e` = 2: the fixtures' tolerance.
    @inline(__always)
    package static func pow<T: Real & BinaryFloatingPoint>(_ x: T, _ e: Double) -> T {
        if e == 1 { return x }
        if e == 2 { return x * x }
        if e == 0.5 { return x.squareRoot() }  // glibc's pow(x, 0.5), correctly rounded
        return T(Double.pow(Double(x), e))
    }

    /// Eigen's `sign`: −1, 0, 1, and NaN for NaN.
    @inline(__always)
    package static func sign<T: BinaryFloatingPoint>(_ x: T) -> T {
        x.isNaN ? x : (x > 0 ? 1 : (x < 0 ? -1 : 0))
    }

    /// `paddle.clip(u, min=0)`: the maximum is the dtype's largest finite value, so +inf
    /// comes out as that; NaN stays NaN. The backward passes where `0 <= u <= max`:
    /// the kink keeps its gradient.
    @inline(__always)
    package static func clipAtZero<T: BinaryFloatingPoint>(_ u: T) -> (value: T, passes: Bool) {
        let top = T.greatestFiniteMagnitude
        return (u < 0 ? 0 : (u > top ? top : u), u >= 0 && u <= top)
    }

    /// `relu` (`x > 0 ? x : 0`): NaN gives 0.
    @inline(__always)
    package static func relu<T: BinaryFloatingPoint>(_ x: T) -> T { x > 0 ? x : 0 }

    /// phi's broadcast of two shapes, with its error.
    package static func broadcast(_ a: [Int], _ b: [Int], argument: String) throws(HingeError) -> [Int] {
        let rank = Swift.max(a.count, b.count)
        let pa = [Int](repeating: 1, count: rank - a.count) + a
        let pb = [Int](repeating: 1, count: rank - b.count) + b
        var out: [Int] = []
        for (x, y) in zip(pa, pb) {
            guard x == y || (x <= 1 && x != 0) || (y <= 1 && y != 0) else {
                throw .shapeMismatch(argument, "Broadcast dimension mismatch: shapes \(a) and \(b) do not broadcast")
            }
            out.append(x == 1 ? y : x)
        }
        guard Validate.fitsInMemory(out) else {
            throw .shapeMismatch(argument, "the broadcast shape \(out) of \(a) and \(b) has more elements than memory can address")
        }
        return out
    }
}
