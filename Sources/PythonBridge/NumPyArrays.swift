#if PythonHarness
internal import CPython
import HingeConformance

/// Fixture arrays to and from NumPy through the buffer protocol: numbers and
/// booleans are copied as raw bytes into or out of the array's own memory, never
/// as text. (Strings go through a list of str: NumPy's UCS-4 buffers are no faster.)
/// Every function here expects the caller to hold the GIL.
enum NumPyArrays {
    /// Whether `p` is a `numpy.ndarray` or a NumPy scalar (`numpy.generic`).
    static func isNumPy(_ p: UnsafeMutablePointer<PyObject>) -> Bool {
        for type in [Runtime.numpyNDArray, Runtime.numpyGeneric] {
            guard let type else { continue }
            let result = PyObject_IsInstance(p, type)
            if result == 1 { return true }
            if result < 0 { PyErr_Clear() }
        }
        return false
    }

    /// A new, writable, C-contiguous NumPy array holding a copy of `array`.
    static func makeArray(_ array: FixtureArray) throws(PythonError) -> UnsafeMutablePointer<PyObject> {
        let shape = try PythonValue.tuple(array.shape.map { .int(Int64($0)) }).makePython()
        defer { Py_DecRef(shape) }
        if case .string(let values) = array.storage {
            guard let numpyArray = Runtime.numpyArray else { throw .unavailable("NumPy is not loaded") }
            let args = try PythonValue.tuple([.list(values.map(PythonValue.string))]).makePython()
            defer { Py_DecRef(args) }
            let kwargs = try PythonValue.dict([("dtype", .string("U"))]).makePython()
            defer { Py_DecRef(kwargs) }
            guard let flat = PyObject_Call(numpyArray, args, kwargs) else { throw Runtime.fetchError() }
            defer { Py_DecRef(flat) }
            return try callMethod(flat, "reshape", shape)
        }
        guard let numpyEmpty = Runtime.numpyEmpty else { throw .unavailable("NumPy is not loaded") }
        let dtype: String = switch array.dtype {
        case .float32: "float32"
        case .float64: "float64"
        case .int64: "int64"
        case .bool: "bool"
        case .string: "str"
        }
        // numpy.empty(shape, dtype)
        Py_IncRef(shape)
        let callArgs = PyTuple_New(2)!
        defer { Py_DecRef(callArgs) }
        PyTuple_SetItem(callArgs, 0, shape)
        let dtypeName = try PythonValue.string(dtype).makePython()
        PyTuple_SetItem(callArgs, 1, dtypeName)
        guard let result = PyObject_Call(numpyEmpty, callArgs, nil) else { throw Runtime.fetchError() }
        var view = Py_buffer()
        guard PyObject_GetBuffer(result, &view, hinge_py_buffer_write_flags()) == 0 else {
            Py_DecRef(result)
            throw Runtime.fetchError()
        }
        defer { PyBuffer_Release(&view) }
        let bytes = Int(view.len)
        func copy<T>(_ values: [T]) throws(PythonError) {
            guard bytes == values.count * MemoryLayout<T>.stride else {
                Py_DecRef(result)
                throw .conversion("numpy.empty(\(array.shape), \(dtype)) has \(bytes) bytes, expected \(values.count * MemoryLayout<T>.stride)")
            }
            if bytes > 0, let buf = view.buf {
                values.withUnsafeBytes { buf.copyMemory(from: $0.baseAddress!, byteCount: bytes) }
            }
        }
        switch array.storage {
        case .float32(let values): try copy(values)
        case .float64(let values): try copy(values)
        case .int64(let values): try copy(values)
        case .bool(let values): try copy(values.map { $0 ? UInt8(1) : UInt8(0) })
        case .string: break
        }
        return result
    }

    /// A fixture array from a NumPy array or scalar (or anything `numpy.asarray`
    /// accepts), read through the buffer protocol.
    static func fixtureArray(from object: UnsafeMutablePointer<PyObject>) throws(PythonError) -> FixtureArray {
        guard let numpyAsArray = Runtime.numpyAsArray else { throw .unavailable("NumPy is not loaded") }
        // asarray(order="C") keeps 0-d arrays 0-d (ascontiguousarray would not).
        Py_IncRef(object)
        let args = PyTuple_New(1)!
        defer { Py_DecRef(args) }
        PyTuple_SetItem(args, 0, object)
        let kwargs = try PythonValue.dict([("order", .string("C"))]).makePython()
        defer { Py_DecRef(kwargs) }
        guard let array = PyObject_Call(numpyAsArray, args, kwargs) else { throw Runtime.fetchError() }
        defer { Py_DecRef(array) }
        var view = Py_buffer()
        guard PyObject_GetBuffer(array, &view, hinge_py_buffer_read_flags()) == 0 else {
            let error = Runtime.fetchError()
            throw .conversion("cannot read a \(dtypeName(array)) array through the buffer protocol: \(error)")
        }
        defer { PyBuffer_Release(&view) }
        let shape = (0..<Int(view.ndim)).map { view.shape![$0] }
        var format = view.format.map { String(cString: $0) } ?? "B"
        if let first = format.first, "@=<".contains(first) { format.removeFirst() }
        let count = view.itemsize > 0 ? Int(view.len) / Int(view.itemsize) : 0
        func read<T>(_: T.Type) -> [T] {
            guard count > 0, let buf = view.buf else { return [] }
            return Array(UnsafeBufferPointer(start: buf.assumingMemoryBound(to: T.self), count: count))
        }
        let storage: FixtureArray.Storage
        switch (format, view.itemsize) {
        case ("f", 4): storage = .float32(read(Float.self))
        case ("d", 8): storage = .float64(read(Double.self))
        case ("l", 8), ("q", 8): storage = .int64(read(Int64.self))
        case ("?", 1): storage = .bool(read(UInt8.self).map { $0 != 0 })
        case (let f, _) where f.hasSuffix("w"):
            // NumPy's str arrays (UCS-4): read them as a list of str.
            let flat = try callMethod(array, "ravel")
            defer { Py_DecRef(flat) }
            let list = try callMethod(flat, "tolist")
            defer { Py_DecRef(list) }
            guard case .list(let items) = try PythonValue(python: list) else { throw .conversion("tolist() did not give a list") }
            storage = .string(items.map { $0.stringValue ?? "" })
        default:
            throw .conversion("numpy dtype \(dtypeName(array)) has no fixture dtype (float32, float64, int64, bool, str)")
        }
        do {
            return try FixtureArray(shape: shape, storage: storage)
        } catch {
            throw .conversion("array of shape \(shape): \(error)")
        }
    }

    /// `object.name(*args)`: a new reference.
    static func callMethod(
        _ object: UnsafeMutablePointer<PyObject>, _ name: String, _ args: UnsafeMutablePointer<PyObject>...
    ) throws(PythonError) -> UnsafeMutablePointer<PyObject> {
        guard let method = PyObject_GetAttrString(object, name) else { throw Runtime.fetchError() }
        defer { Py_DecRef(method) }
        let tuple = PyTuple_New(args.count)!
        defer { Py_DecRef(tuple) }
        for (i, arg) in args.enumerated() {
            Py_IncRef(arg)
            PyTuple_SetItem(tuple, i, arg)
        }
        guard let result = PyObject_Call(method, tuple, nil) else { throw Runtime.fetchError() }
        return result
    }

    private static func dtypeName(_ array: UnsafeMutablePointer<PyObject>) -> String {
        guard let dtype = PyObject_GetAttrString(array, "dtype") else { PyErr_Clear(); return "?" }
        defer { Py_DecRef(dtype) }
        guard let text = PyObject_Str(dtype) else { PyErr_Clear(); return "?" }
        defer { Py_DecRef(text) }
        return Runtime.stringOrNil(text) ?? "?"
    }
}
#endif
