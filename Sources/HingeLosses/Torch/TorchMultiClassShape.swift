/// The input shape rule PyTorch's native multi-class losses share
/// (`aten/src/ATen/native/LossMulti.h`): scores are `(N, C)`, one row `(C)`,
/// or a 0-d score (C = 1), and C must not be 0.
enum TorchMultiClassShape {
    /// The number of rows (samples) and classes of `input`.
    ///
    /// - Throws: `HingeError.shapeMismatch` naming `input` for rank > 2 or C = 0.
    static func rowsAndClasses<T>(of input: Tensor<T>) throws(HingeError) -> (rows: Int, classes: Int) {
        let rows = input.rank <= 1 ? 1 : input.shape[0]
        let classes = input.rank == 0 ? 1 : input.shape[input.rank - 1]
        guard input.rank <= 2, classes > 0 else {
            throw .shapeMismatch(
                "input", "Expected non-empty vector or matrix with optional 0-dim batch size, but got: \(input.shape)")
        }
        return (rows, classes)
    }
}
