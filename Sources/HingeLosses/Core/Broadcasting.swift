/// NumPy/PyTorch broadcasting: shapes align at their last dimension, and a
/// dimension of size 1 (or a missing one) stretches to match the other.
package enum Broadcasting {
    /// The broadcast shape of `shapes`, or `nil` when two non-1 sizes differ.
    package static func shape(_ shapes: [Int]...) -> [Int]? { shape(of: shapes) }

    /// The broadcast shape of `shapes`, or `nil` when two non-1 sizes differ.
    package static func shape(of shapes: [[Int]]) -> [Int]? {
        let rank = shapes.map(\.count).max() ?? 0
        var result = [Int](repeating: 1, count: rank)
        for shape in shapes {
            let offset = rank - shape.count
            for (axis, extent) in shape.enumerated() {
                let current = result[offset + axis]
                if current == 1 {
                    result[offset + axis] = extent
                } else if extent != 1 && extent != current {
                    return nil
                }
            }
        }
        return result
    }

    /// The broadcast shape, or `HingeError.shapeMismatch` in PyTorch's words; also
    /// `.shapeMismatch` naming `bName` when the broadcast shape has more elements than
    /// memory can address (two empty tensors such as `[2^40, 1, 0]` and `[1, 2^40, 0]`).
    package static func shape(
        _ a: [Int], _ aName: String, _ b: [Int], _ bName: String
    ) throws(HingeError) -> [Int] {
        if let result = shape(a, b), !Validate.fitsInMemory(result) {
            throw .shapeMismatch(
                bName, "the broadcast shape \(result) of \(aName) and \(bName) has more elements than memory can address")
        }
        guard let result = shape(a, b) else {
            let rank = max(a.count, b.count)
            let pa = [Int](repeating: 1, count: rank - a.count) + a
            let pb = [Int](repeating: 1, count: rank - b.count) + b
            let axis = (0..<rank).first { pa[$0] != pb[$0] && pa[$0] != 1 && pb[$0] != 1 } ?? 0
            throw .shapeMismatch(
                bName,
                "the size of \(aName) (\(pa[axis])) must match the size of \(bName) (\(pb[axis])) at non-singleton dimension \(axis)"
            )
        }
        return result
    }

    /// For each element of `target` (row-major), the flat index of the element
    /// of a tensor of `shape` that broadcasting maps onto it.
    ///
    /// `shape` must broadcast to `target`: internal, because every caller has
    /// checked that with ``shape(_:)`` first.
    static func sourceIndices(of shape: [Int], in target: [Int]) -> [Int] {
        let count = target.reduce(1, *)
        guard count > 0 else { return [] }
        if shape == target { return Array(0..<count) }
        let rank = target.count
        let padded = [Int](repeating: 1, count: rank - shape.count) + shape
        // Row-major strides of the source, zero along the stretched dimensions.
        var strides = [Int](repeating: 0, count: rank)
        var stride = 1
        for axis in (0..<rank).reversed() {
            strides[axis] = padded[axis] == 1 ? 0 : stride
            stride *= padded[axis]
        }
        var indices = [Int](repeating: 0, count: count)
        var position = [Int](repeating: 0, count: rank)
        var source = 0
        for flat in 0..<count {
            indices[flat] = source
            // Advance the multi-index like an odometer.
            var axis = rank - 1
            while axis >= 0 {
                position[axis] += 1
                source += strides[axis]
                if position[axis] < target[axis] { break }
                source -= strides[axis] * position[axis]
                position[axis] = 0
                axis -= 1
            }
        }
        return indices
    }

    /// The elements of `tensor` stretched to `target`, row-major.
    static func expand<T>(_ tensor: Tensor<T>, to target: [Int]) -> [T] {
        if tensor.shape == target { return tensor.scalars }
        return sourceIndices(of: tensor.shape, in: target).map { tensor.scalars[$0] }
    }

    /// A gradient with respect to a broadcast tensor, summed back onto the
    /// elements of the original `shape` (the adjoint of ``expand(_:to:)``,
    /// PyTorch's `sum_to_size`).
    static func sumToShape<T: BinaryFloatingPoint>(_ gradient: [T], from target: [Int], to shape: [Int]) -> [T] {
        if shape == target { return gradient }
        let count = shape.reduce(1, *)
        var result = [T](repeating: 0, count: count)
        for (flat, source) in sourceIndices(of: shape, in: target).enumerated() {
            result[source] += gradient[flat]
        }
        return result
    }
}
