/// A dense, row-major array of scalars with a shape: the value type every loss
/// takes and returns.
///
/// `Tensor` is deliberately small: a shape and contiguous storage. A rank-0
/// tensor (`shape == []`) holds exactly one scalar; a tensor with a zero in its
/// shape holds none. The invariant `scalars.count == shape.product` is checked
/// by the throwing initialiser, so a tensor built from user data never lies
/// about its size.
public struct Tensor<Scalar>: Sendable where Scalar: Sendable {
    /// The extent of each dimension, outermost first.
    public let shape: [Int]
    /// The elements in row-major order; `scalars.count == shape.product` always
    /// (only the initialisers, which check it, set them).
    public private(set) var scalars: [Scalar]

    /// Creates a tensor, checking that `scalars` fills `shape` exactly.
    ///
    /// - Throws: `HingeError.shapeMismatch` naming `argument` when a dimension is
    ///   negative, the element count overflows `Int`, or `scalars.count` differs
    ///   from the product of `shape`.
    public init(shape: [Int], scalars: [Scalar], argument: String = "tensor") throws(HingeError) {
        guard let count = Tensor.elementCount(of: shape) else {
            throw .shapeMismatch(argument, "shape \(shape) has a negative dimension or more elements than Int can count")
        }
        guard count == scalars.count else {
            throw .shapeMismatch(argument, "\(scalars.count) elements do not fill shape \(shape) (\(count))")
        }
        self.shape = shape
        self.scalars = scalars
    }

    /// Creates a tensor whose size is known to match; for results built inside this package.
    @usableFromInline
    internal init(uncheckedShape shape: [Int], scalars: [Scalar]) {
        assert(Tensor.elementCount(of: shape) == scalars.count, "internal shape bookkeeping is wrong")
        self.shape = shape
        self.scalars = scalars
    }

    /// A rank-1 tensor holding `scalars`.
    public init(_ scalars: [Scalar]) {
        self.init(uncheckedShape: [scalars.count], scalars: scalars)
    }

    /// A rank-0 tensor holding `scalar`.
    public init(scalar: Scalar) {
        self.init(uncheckedShape: [], scalars: [scalar])
    }

    /// The number of dimensions.
    public var rank: Int { shape.count }
    /// The number of elements (1 for a rank-0 tensor).
    public var count: Int { scalars.count }
    /// The single element of a rank-0 tensor, or `nil` when the tensor has another size.
    public var scalar: Scalar? { shape.isEmpty ? scalars.first : nil }

    /// The product of `shape`, or `nil` when a dimension is negative or the product overflows.
    public static func elementCount(of shape: [Int]) -> Int? {
        var count = 1
        for extent in shape {
            guard extent >= 0 else { return nil }
            let (product, overflow) = count.multipliedReportingOverflow(by: extent)
            guard !overflow else { return nil }
            count = product
        }
        return count
    }

    /// The same elements under a new shape of the same size.
    public func reshaped(to newShape: [Int], argument: String = "tensor") throws(HingeError) -> Tensor {
        try Tensor(shape: newShape, scalars: scalars, argument: argument)
    }

    /// Applies `transform` to every element, keeping the shape.
    @inlinable
    public func map<Result>(_ transform: (Scalar) throws -> Result) rethrows -> Tensor<Result> {
        Tensor<Result>(uncheckedShape: shape, scalars: try scalars.map(transform))
    }
}

extension Tensor: Equatable where Scalar: Equatable {}
extension Tensor: Hashable where Scalar: Hashable {}

extension Tensor: CustomStringConvertible {
    public var description: String { "Tensor(shape: \(shape), scalars: \(scalars))" }
}
