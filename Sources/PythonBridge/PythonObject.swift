#if PythonHarness
internal import CPython
import HingeConformance

/// A strong reference to a Python object. Every operation takes the GIL, and so
/// does the release of the reference when the last Swift reference goes.
public final class PythonObject: @unchecked Sendable, CustomStringConvertible {
    let pointer: UnsafeMutablePointer<PyObject>

    /// Takes over a new reference; a `nil` result of a C-API call becomes the pending exception.
    init(owning pointer: UnsafeMutablePointer<PyObject>?) throws(PythonError) {
        guard let pointer else { throw Runtime.fetchError() }
        self.pointer = pointer
    }

    /// Adds a reference to a borrowed object.
    init(borrowing pointer: UnsafeMutablePointer<PyObject>) {
        Py_IncRef(pointer)
        self.pointer = pointer
    }

    deinit {
        let state = PyGILState_Ensure()
        Py_DecRef(pointer)
        PyGILState_Release(state)
    }

    /// A new reference that Swift never releases (for objects kept for the process).
    func retained() -> UnsafeMutablePointer<PyObject> {
        Py_IncRef(pointer)
        return pointer
    }

    private func gil<T>(_ body: () throws(PythonError) -> T) throws(PythonError) -> T {
        let state = PyGILState_Ensure()
        defer { PyGILState_Release(state) }
        return try body()
    }

    /// `getattr(self, name)`.
    public func attribute(_ name: String) throws(PythonError) -> PythonObject {
        try gil { () throws(PythonError) in try PythonObject(owning: PyObject_GetAttrString(pointer, name)) }
    }

    /// `self(*args, **kwargs)`; keyword arguments keep their order.
    @discardableResult
    public func call(_ args: [PythonValue] = [], kwargs: [(String, PythonValue)] = []) throws(PythonError) -> PythonObject {
        try gil { () throws(PythonError) in
            let tuple = try PythonValue.tuple(args).makePython()
            defer { Py_DecRef(tuple) }
            var dict: UnsafeMutablePointer<PyObject>?
            if !kwargs.isEmpty {
                dict = try PythonValue.dict(kwargs.map { (key: $0.0, value: $0.1) }).makePython()
            }
            defer { Py_DecRef(dict) }
            return try PythonObject(owning: PyObject_Call(pointer, tuple, dict))
        }
    }

    /// `self.name(*args, **kwargs)`.
    @discardableResult
    public func callMethod(_ name: String, _ args: [PythonValue] = [], kwargs: [(String, PythonValue)] = []) throws(PythonError) -> PythonObject {
        try attribute(name).call(args, kwargs: kwargs)
    }

    /// `self[key]`.
    public func item(_ key: PythonValue) throws(PythonError) -> PythonObject {
        try gil { () throws(PythonError) in
            let k = try key.makePython()
            defer { Py_DecRef(k) }
            return try PythonObject(owning: PyObject_GetItem(pointer, k))
        }
    }

    /// `len(self)`.
    public func count() throws(PythonError) -> Int {
        try gil { () throws(PythonError) in
            let n = PyObject_Size(pointer)
            if n < 0 { throw Runtime.fetchError() }
            return n
        }
    }

    /// `str(self)`, or the error's text if that raises.
    public var description: String {
        (try? gil { () throws(PythonError) in try PythonObject(owning: PyObject_Str(pointer)).string() }) ?? "<unprintable>"
    }

    /// The text of a `str` object.
    public func string() throws(PythonError) -> String {
        try gil { () throws(PythonError) in
            guard hinge_py_is_str(pointer) != 0 else { throw .conversion("expected a str, found \(typeName)") }
            var size: Py_ssize_t = 0
            guard let utf8 = PyUnicode_AsUTF8AndSize(pointer, &size) else { throw Runtime.fetchError() }
            return utf8.withMemoryRebound(to: UInt8.self, capacity: size) {
                String(decoding: UnsafeBufferPointer(start: $0, count: size), as: UTF8.self)
            }
        }
    }

    /// The name of the object's type, e.g. `ndarray`.
    public var typeName: String {
        let state = PyGILState_Ensure()
        defer { PyGILState_Release(state) }
        guard let type = PyObject_Type(pointer) else { PyErr_Clear(); return "?" }
        defer { Py_DecRef(type) }
        guard let name = PyObject_GetAttrString(type, "__name__") else { PyErr_Clear(); return "?" }
        defer { Py_DecRef(name) }
        return Runtime.stringOrNil(name) ?? "?"
    }

    public var isNone: Bool { hinge_py_is_none(pointer) != 0 }

    /// The object as a Swift value: None, bool, int, float, str, list, tuple and
    /// dict (recursively), NumPy arrays and scalars (through the buffer protocol);
    /// anything else stays a ``PythonValue/object(_:)``.
    public func swiftValue() throws(PythonError) -> PythonValue {
        try gil { () throws(PythonError) in try PythonValue(python: pointer) }
    }

    /// The object as a fixture array: a NumPy array or scalar of float32, float64,
    /// int64, bool or str, read through the buffer protocol (str through its list).
    public func fixtureArray() throws(PythonError) -> FixtureArray {
        try gil { () throws(PythonError) in try NumPyArrays.fixtureArray(from: pointer) }
    }
}

/// A Swift value that can become a Python object, or that a Python object became.
public indirect enum PythonValue: Sendable {
    case none
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case list([PythonValue])
    case tuple([PythonValue])
    /// A dict with string keys, in this order.
    case dict([(key: String, value: PythonValue)])
    /// A NumPy array (a fresh, writable copy of the data).
    case array(FixtureArray)
    /// JSON as `json.loads` reads it: integer lexemes become int, other numbers float.
    case json(JSONValue)
    case object(PythonObject)

    /// A new reference (the caller holds the GIL).
    func makePython() throws(PythonError) -> UnsafeMutablePointer<PyObject> {
        switch self {
        case .none:
            let none = hinge_py_none()!
            Py_IncRef(none)
            return none
        case .bool(let b): return try nonNil(PyBool_FromLong(b ? 1 : 0))
        case .int(let i): return try nonNil(PyLong_FromLongLong(i))
        case .double(let d): return try nonNil(PyFloat_FromDouble(d))
        case .string(let s): return try PythonValue.makeString(s)
        case .list(let items):
            let list = try nonNil(PyList_New(items.count))
            for (i, item) in items.enumerated() {
                do throws(PythonError) {
                    PyList_SetItem(list, i, try item.makePython())  // steals the reference
                } catch {
                    Py_DecRef(list)
                    throw error
                }
            }
            return list
        case .tuple(let items):
            let tuple = try nonNil(PyTuple_New(items.count))
            for (i, item) in items.enumerated() {
                do throws(PythonError) {
                    PyTuple_SetItem(tuple, i, try item.makePython())
                } catch {
                    Py_DecRef(tuple)
                    throw error
                }
            }
            return tuple
        case .dict(let entries):
            let dict = try nonNil(PyDict_New())
            for (key, value) in entries {
                do throws(PythonError) {
                    let v = try value.makePython()
                    defer { Py_DecRef(v) }
                    let k = try PythonValue.makeString(key)
                    defer { Py_DecRef(k) }
                    guard PyDict_SetItem(dict, k, v) == 0 else { throw Runtime.fetchError() }
                } catch {
                    Py_DecRef(dict)
                    throw error
                }
            }
            return dict
        case .array(let array): return try NumPyArrays.makeArray(array)
        case .json(let value): return try PythonValue.fromJSON(value).makePython()
        case .object(let object):
            return object.retained()
        }
    }

    func makePythonObject() throws(PythonError) -> PythonObject {
        try PythonObject(owning: makePython())
    }

    private func nonNil(_ p: UnsafeMutablePointer<PyObject>?) throws(PythonError) -> UnsafeMutablePointer<PyObject> {
        guard let p else { throw Runtime.fetchError() }
        return p
    }

    static func makeString(_ s: String) throws(PythonError) -> UnsafeMutablePointer<PyObject> {
        var s = s
        let object = s.withUTF8 { utf8 in
            utf8.withMemoryRebound(to: CChar.self) { PyUnicode_FromStringAndSize($0.baseAddress, utf8.count) }
        }
        guard let object else { throw Runtime.fetchError() }
        return object
    }

    private static func fromJSON(_ value: JSONValue) -> PythonValue {
        switch value {
        case .null: return .none
        case .bool(let b): return .bool(b)
        case .number(let n):
            if n.isInteger, let i = n.int64Value { return .int(i) }
            if n.isInteger { return .object(bigInt(n.text)) }
            return .double(n.doubleValue)
        case .string(let s): return .string(s)
        case .array(let items): return .list(items.map(fromJSON))
        case .object(let object): return .dict(object.map { (key: $0.key, value: fromJSON($0.value)) })
        }
    }

    /// An integer lexeme beyond Int64, as Python's int (caller holds the GIL).
    private static func bigInt(_ text: String) -> PythonObject {
        if let p = PyLong_FromString(text, nil, 10) { return PythonObject(borrowing: p).consumingExtra(p) }
        PyErr_Clear()
        return PythonObject(borrowing: hinge_py_none()!)
    }

    /// Converts a Python object (the caller holds the GIL).
    init(python p: UnsafeMutablePointer<PyObject>) throws(PythonError) {
        if hinge_py_is_none(p) != 0 {
            self = .none
        } else if hinge_py_is_bool(p) != 0 {
            self = .bool(PyObject_IsTrue(p) == 1)
        } else if hinge_py_is_int(p) != 0 {
            var overflow: Int32 = 0
            let value = PyLong_AsLongLongAndOverflow(p, &overflow)
            if overflow != 0 {
                self = .object(PythonObject(borrowing: p))
            } else if value == -1, PyErr_Occurred() != nil {
                throw Runtime.fetchError()
            } else {
                self = .int(value)
            }
        } else if hinge_py_is_float(p) != 0 {
            self = .double(PyFloat_AsDouble(p))
        } else if hinge_py_is_str(p) != 0 {
            self = .string(try PythonObject(borrowing: p).stringHoldingGIL())
        } else if hinge_py_is_list(p) != 0 || hinge_py_is_tuple(p) != 0 {
            let isList = hinge_py_is_list(p) != 0
            let n = PyObject_Size(p)
            var items: [PythonValue] = []
            items.reserveCapacity(max(n, 0))
            for i in 0..<max(n, 0) {
                guard let item = isList ? PyList_GetItem(p, i) : PyTuple_GetItem(p, i) else { throw Runtime.fetchError() }
                items.append(try PythonValue(python: item))  // borrowed
            }
            self = isList ? .list(items) : .tuple(items)
        } else if hinge_py_is_dict(p) != 0 {
            var entries: [(key: String, value: PythonValue)] = []
            var position: Py_ssize_t = 0
            var key: UnsafeMutablePointer<PyObject>?
            var value: UnsafeMutablePointer<PyObject>?
            while PyDict_Next(p, &position, &key, &value) != 0 {
                guard let key, let value else { continue }
                guard let name = Runtime.stringOrNil(key) else { throw .conversion("a dict key is not a str") }
                entries.append((name, try PythonValue(python: value)))
            }
            self = .dict(entries)
        } else if NumPyArrays.isNumPy(p) {
            self = .array(try NumPyArrays.fixtureArray(from: p))
        } else {
            self = .object(PythonObject(borrowing: p))
        }
    }

    // MARK: - Accessors

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }
    public var intValue: Int64? {
        if case .int(let i) = self { return i }
        return nil
    }
    public var doubleValue: Double? {
        switch self {
        case .double(let d): d
        case .int(let i): Double(i)
        default: nil
        }
    }
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }
    /// The items of a list or tuple.
    public var items: [PythonValue]? {
        switch self {
        case .list(let items), .tuple(let items): items
        default: nil
        }
    }
    public var arrayValue: FixtureArray? {
        if case .array(let a) = self { return a }
        return nil
    }
    public var entries: [(key: String, value: PythonValue)]? {
        if case .dict(let e) = self { return e }
        return nil
    }
    public var isNone: Bool {
        if case .none = self { return true }
        return false
    }
}

extension PythonObject {
    /// `string()` for a caller that already holds the GIL.
    fileprivate func stringHoldingGIL() throws(PythonError) -> String {
        var size: Py_ssize_t = 0
        guard let utf8 = PyUnicode_AsUTF8AndSize(pointer, &size) else { throw Runtime.fetchError() }
        return utf8.withMemoryRebound(to: UInt8.self, capacity: size) {
            String(decoding: UnsafeBufferPointer(start: $0, count: size), as: UTF8.self)
        }
    }

    /// Drops the extra reference of an object made with `init(borrowing:)` from a new reference.
    fileprivate func consumingExtra(_ p: UnsafeMutablePointer<PyObject>) -> PythonObject {
        Py_DecRef(p)
        return self
    }
}
#endif
