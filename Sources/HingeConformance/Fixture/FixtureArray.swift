/// The element types of fixture format v1.
public enum DType: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case float32, float64, int64, bool, string

    public var isFloatingPoint: Bool { self == .float32 || self == .float64 }
    public var description: String { rawValue }
}

/// An n-dimensional array of a fixture: a dtype, a shape and row-major data.
///
/// The invariant `count == product(shape)` holds for every value: the only
/// initialiser checks it.
public struct FixtureArray: Sendable, Hashable, CustomStringConvertible {
    public enum Storage: Sendable, Hashable {
        case float32([Float])
        case float64([Double])
        case int64([Int64])
        case bool([Bool])
        case string([String])
    }

    public let shape: [Int]
    public let storage: Storage

    /// - Throws: `FixtureArrayError` when a dimension is negative, the size
    ///   overflows `Int`, or the data do not fill the shape.
    public init(shape: [Int], storage: Storage) throws(FixtureArrayError) {
        guard let expected = FixtureArray.elementCount(of: shape) else {
            throw FixtureArrayError(message: "shape \(shape) has a negative dimension or too many elements")
        }
        let actual = storage.count
        guard actual == expected else {
            throw FixtureArrayError(message: "length \(actual) does not match shape \(shape) (\(expected))")
        }
        self.shape = shape
        self.storage = storage
    }

    public static func float32(_ data: [Float], shape: [Int]) throws(FixtureArrayError) -> FixtureArray {
        try FixtureArray(shape: shape, storage: .float32(data))
    }
    public static func float64(_ data: [Double], shape: [Int]) throws(FixtureArrayError) -> FixtureArray {
        try FixtureArray(shape: shape, storage: .float64(data))
    }
    public static func int64(_ data: [Int64], shape: [Int]) throws(FixtureArrayError) -> FixtureArray {
        try FixtureArray(shape: shape, storage: .int64(data))
    }

    public var dtype: DType { storage.dtype }
    public var count: Int { storage.count }

    /// The product of `shape`, or `nil` for a negative dimension or an overflow.
    public static func elementCount(of shape: [Int]) -> Int? {
        var count = 1
        for extent in shape {
            guard extent >= 0 else { return nil }
            let (product, overflow) = count.multipliedReportingOverflow(by: extent)
            if overflow { return nil }
            count = product
        }
        return count
    }

    public var description: String { "\(dtype)\(shape)" }
}

extension FixtureArray.Storage {
    public var dtype: DType {
        switch self {
        case .float32: .float32
        case .float64: .float64
        case .int64: .int64
        case .bool: .bool
        case .string: .string
        }
    }

    public var count: Int {
        switch self {
        case .float32(let a): a.count
        case .float64(let a): a.count
        case .int64(let a): a.count
        case .bool(let a): a.count
        case .string(let a): a.count
        }
    }
}

/// An array whose data do not fit its shape.
public struct FixtureArrayError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// Arrays by name (inputs, outputs), in the order they were written.
public typealias NamedArrays = OrderedMap<FixtureArray>
