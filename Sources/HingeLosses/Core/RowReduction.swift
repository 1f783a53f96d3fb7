/// Helpers for losses that reduce the last axis of a broadcast pair of tensors.
enum LastAxis {
    /// The broadcast shape of two operands and its split into rows of the last axis.
    struct Layout {
        /// The broadcast shape of the operands.
        let shape: [Int]
        /// The length of the last axis.
        let width: Int
        /// The number of rows (the product of every axis but the last).
        let rows: Int
        /// The per-row output's shape: `shape` without its last axis.
        var rowShape: [Int] { Array(shape.dropLast()) }

        init(_ shape: [Int], argument: String) throws(HingeError) {
            guard let width = shape.last else {
                throw .shapeMismatch(argument, "a loss that reduces the last axis needs at least one dimension, got a 0-d tensor")
            }
            // An empty last axis leaves any number of rows ([Int.max, 0]): one result each must fit.
            guard Validate.fitsInMemory(Array(shape.dropLast())) else {
                throw .shapeMismatch(argument, "\(shape) has more rows than memory can address a result for")
            }
            self.shape = shape
            self.width = width
            self.rows = shape.dropLast().reduce(1, *)
        }

        func range(ofRow row: Int) -> Range<Int> { (row * width)..<(row * width + width) }
    }
}
