/// Argument checks shared by every loss, each throwing a `HingeError` that
/// names the argument at fault.
@usableFromInline
package enum Validate {
    /// Requires two tensors to have the same shape (no broadcasting).
    @usableFromInline
    package static func sameShape<A, B>(
        _ a: Tensor<A>, _ aName: String, _ b: Tensor<B>, _ bName: String
    ) throws(HingeError) {
        guard a.shape == b.shape else {
            throw .shapeMismatch(bName, "shape \(b.shape) does not match \(aName)'s shape \(a.shape)")
        }
    }

    /// Requires every label to be exactly −1 or +1 (NaN is rejected too).
    @usableFromInline
    package static func signLabels<T: BinaryFloatingPoint>(_ labels: Tensor<T>, _ name: String) throws(HingeError) {
        for (i, y) in labels.scalars.enumerated() where !(y == 1 || y == -1) {
            throw .invalidTarget(name, "label \(y) at flat index \(i) is not -1 or +1")
        }
    }

    /// Requires `labels` to be a rank-1 tensor of class indices in `0..<classCount`
    /// whose length matches the `batch` rows of the scores.
    @usableFromInline
    package static func classIndices(
        _ labels: Tensor<Int>, _ name: String, batch: Int, classCount: Int, scoresName: String
    ) throws(HingeError) {
        guard labels.rank == 1 else {
            throw .shapeMismatch(name, "expected a 1-D tensor of class indices, got shape \(labels.shape)")
        }
        guard labels.count == batch else {
            throw .shapeMismatch(name, "\(labels.count) labels for \(batch) rows of \(scoresName)")
        }
        for (i, label) in labels.scalars.enumerated() where !(0..<classCount).contains(label) {
            throw .invalidTarget(name, "class index \(label) at position \(i) is outside 0..<\(classCount)")
        }
    }

    /// Whether the elements of `shape`, at `bytes` apiece, have a total size `Int` can count.
    ///
    /// A tensor with a zero extent holds nothing however long its other extents are
    /// (`[Int.max, 0]`), but what a loss derives from it (one result per row, a
    /// broadcast against another such tensor) may be that long; allocating it would
    /// overflow the allocator's size arithmetic. 16 bytes is the widest element any
    /// kernel stores per tensor element (`Float80`; `Int` indices are 8).
    static func fitsInMemory(_ shape: [Int], bytes: Int = 16) -> Bool {
        Tensor<UInt8>.elementCount(of: shape + [bytes]) != nil
    }

    /// Requires a finite parameter value.
    @usableFromInline
    package static func finite<T: BinaryFloatingPoint>(_ value: T, _ name: String) throws(HingeError) {
        guard value.isFinite else { throw .invalidParameter(name, "must be a finite number, got \(value)") }
    }

    /// Requires a finite, strictly positive parameter value.
    @usableFromInline
    package static func positive<T: BinaryFloatingPoint>(_ value: T, _ name: String) throws(HingeError) {
        guard value.isFinite, value > 0 else {
            throw .invalidParameter(name, "must be a finite number > 0, got \(value)")
        }
    }
}
