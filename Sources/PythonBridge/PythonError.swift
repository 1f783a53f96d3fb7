#if PythonHarness
/// Why a call into the embedded interpreter failed.
public enum PythonError: Error, Sendable, CustomStringConvertible {
    /// The interpreter cannot be used: no venv given, a path that is not a
    /// venv, a venv of another Python version, NumPy missing, a failed start-up.
    /// The message says what to do.
    case unavailable(String)
    /// Python raised an exception: its type's name, `str(exception)` and the
    /// traceback as `traceback.format_exception` formats it.
    case exception(type: String, message: String, traceback: String)
    /// A value could not cross between Swift and Python (an unsupported dtype, ...).
    case conversion(String)

    public var description: String {
        switch self {
        case .unavailable(let message): message
        case .exception(let type, let message, let traceback):
            traceback.isEmpty ? "\(type): \(message)" : traceback.hasSuffix("\n") ? String(traceback.dropLast()) : traceback
        case .conversion(let message): message
        }
    }

    /// For an exception, its type name (e.g. `ValueError`); `nil` otherwise.
    public var exceptionType: String? {
        if case .exception(let type, _, _) = self { return type }
        return nil
    }
}
#endif
