/// How a framework's CPU kernels treat subnormal floats.
///
/// TensorFlow (Eigen) and XLA (JAX) run their CPU kernels with the x86
/// flush-to-zero and denormals-are-zero flags set, float64 included: a
/// subnormal input reads as ±0 and a subnormal result is written as ±0. So a
/// subnormal score ties with an exact 0, and a loss times a subnormal weight
/// is 0. PyTorch and NumPy keep IEEE gradual underflow.
public enum SubnormalMode: String, Hashable, Sendable, CaseIterable {
    /// IEEE 754 gradual underflow.
    case preserve
    /// Flush-to-zero and denormals-are-zero.
    case flushToZero

    /// `x`, or ±0 when it is subnormal and this mode flushes.
    @inlinable
    package func callAsFunction<T: BinaryFloatingPoint>(_ x: T) -> T {
        // x·0 is ±0 with x's sign; written as a select so that loops vectorise.
        self == .flushToZero && x.magnitude < T.leastNormalMagnitude ? x * 0 : x
    }

    /// The elements of `values`, each passed through ``callAsFunction(_:)``.
    @inlinable
    package func callAsFunction<T: BinaryFloatingPoint>(_ values: [T]) -> [T] {
        guard self == .flushToZero else { return values }
        return [T](unsafeUninitializedCapacity: values.count) { out, initialized in
            values.withUnsafeBufferPointer { x in
                for i in x.indices { out[i] = self(x[i]) }
            }
            initialized = values.count
        }
    }
}
