import HingeConformance
import HingeLosses
import RealModule

/// The float types fixtures carry, with their conversions between
/// ``FixtureArray`` and `Tensor`.
public protocol FixtureFloat: Real & BinaryFloatingPoint & Sendable {
    static var dtype: DType { get }
    /// The array's data when its dtype is this type, else `nil`.
    static func scalars(of array: FixtureArray) -> [Self]?
    static func storage(_ scalars: [Self]) -> FixtureArray.Storage
}

extension Float: FixtureFloat {
    public static var dtype: DType { .float32 }
    public static func scalars(of array: FixtureArray) -> [Float]? {
        if case .float32(let values) = array.storage { values } else { nil }
    }
    public static func storage(_ scalars: [Float]) -> FixtureArray.Storage { .float32(scalars) }
}

extension Double: FixtureFloat {
    public static var dtype: DType { .float64 }
    public static func scalars(of array: FixtureArray) -> [Double]? {
        if case .float64(let values) = array.storage { values } else { nil }
    }
    public static func storage(_ scalars: [Double]) -> FixtureArray.Storage { .float64(scalars) }
}

extension CaseArguments {
    /// The float type of the input `name`, the input that fixes a loss's
    /// precision (scores, predictions).
    ///
    /// Every adapter picks `Float` or `Double` the same way: it writes its body
    /// once, as a local `func run<T: FixtureFloat>(_: T.Type) throws -> NamedArrays`,
    /// and calls it with the type the case asks for, `try run(args.floatType(of: "input"))`
    /// (Swift opens the existential metatype into `T`).
    ///
    /// - Throws: `invalid_dtype` naming the input when it is not a float array.
    package func floatType(of name: String) throws -> any FixtureFloat.Type {
        let array = try input(name)
        switch array.dtype {
        case .float32: return Float.self
        case .float64: return Double.self
        default: throw CaseError(.invalidDtype, argument: name, "expected float32 or float64, got \(array.dtype)")
        }
    }

    /// The input `name` as a tensor of `T`.
    ///
    /// - Parameter allowInt64: also accept int64 data (labels), converted to `T`.
    /// - Throws: `invalid_dtype` naming the input for any other dtype.
    public func tensor<T: FixtureFloat>(
        _ name: String, as _: T.Type = T.self, allowInt64: Bool = false
    ) throws -> Tensor<T> {
        let array = try input(name)
        if let scalars = T.scalars(of: array) {
            return try Tensor(shape: array.shape, scalars: scalars, argument: name)
        }
        if allowInt64, case .int64(let values) = array.storage {
            return try Tensor(shape: array.shape, scalars: values.map { T($0) }, argument: name)
        }
        throw CaseError(
            .invalidDtype, argument: name,
            "expected \(T.dtype)\(allowInt64 ? " or int64" : ""), got \(array.dtype)")
    }

    /// The input `name` converted to `T` from any numeric dtype (float32,
    /// float64, int64, bool), for arguments that frameworks promote or cast,
    /// such as targets.
    ///
    /// - Throws: `invalid_dtype` naming the input for string data.
    public func converted<T: FixtureFloat>(_ name: String, to _: T.Type = T.self) throws -> Tensor<T> {
        let array = try input(name)
        let scalars: [T]
        switch array.storage {
        case .float32(let values): scalars = values.map { T($0) }
        case .float64(let values): scalars = values.map { T($0) }
        case .int64(let values): scalars = values.map { T($0) }
        case .bool(let values): scalars = values.map { $0 ? 1 : 0 }
        case .string: throw CaseError(.invalidDtype, argument: name, "expected a numeric tensor, got string")
        }
        return try Tensor(shape: array.shape, scalars: scalars, argument: name)
    }

    /// The input `name` as a tensor of class indices (int64 only).
    public func classIndices(_ name: String) throws -> Tensor<Int> {
        let array = try input(name)
        guard case .int64(let values) = array.storage else {
            throw CaseError(.invalidDtype, argument: name, "expected int64 class indices, got \(array.dtype)")
        }
        return try Tensor(shape: array.shape, scalars: values.map { Int($0) }, argument: name)
    }

    /// The `reduction` param, `defaultValue` when absent.
    public func reduction(default defaultValue: Reduction = .mean) throws -> Reduction {
        try Reduction(parsing: string("reduction", default: defaultValue.rawValue))
    }
}

extension FixtureArray {
    /// A tensor's shape and data as a fixture array of its dtype.
    public init<T: FixtureFloat>(_ tensor: Tensor<T>) {
        // A Tensor's scalars always fill its shape, so this cannot throw.
        try! self.init(shape: tensor.shape, storage: T.storage(tensor.scalars))
    }

    /// A tensor rounded to a float `dtype`, as autograd casts a gradient to its
    /// input's type; `nil` for a non-float dtype.
    public init?<T: FixtureFloat>(_ tensor: Tensor<T>, as dtype: DType) {
        switch dtype {
        case .float32: self.init(tensor.map { Float($0) })
        case .float64: self.init(tensor.map { Double($0) })
        default: return nil
        }
    }
}

/// The float type PyTorch promotes `arrays` to: float64 if any is float64,
/// else float32 (integers and booleans promote to the default float32).
package func promotedFloatType(_ arrays: some Sequence<FixtureArray>) -> any FixtureFloat.Type {
    arrays.contains { $0.dtype == .float64 } ? Double.self : Float.self
}

/// A loss's errors are the format's error kinds under another name.
extension HingeError: ClassifiedError {
    public var errorKind: ErrorKind {
        switch kind {
        case .invalidParameter: .invalidParameter
        case .invalidTarget: .invalidTarget
        case .shapeMismatch: .shapeMismatch
        case .invalidDtype: .invalidDtype
        }
    }
}
