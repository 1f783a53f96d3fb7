#if PythonHarness
internal import CPython
import Foundation

/// The CPython interpreter embedded in this process (Debian's libpython3, linked
/// through the `python3-embed` pkg-config module), pointed at a virtual environment
/// so that it sees that venv's NumPy and, optionally, the frameworks.
///
/// There is one per process, started by the first successful ``start(venv:)``
/// and never finalised (NumPy cannot be initialised twice in a process). After
/// start-up the GIL is released; every operation of this module takes it for
/// its duration (`PyGILState_Ensure`/`Release`), so calls from any thread, also
/// concurrent ones, are safe. Use ``withGIL(_:)`` to hold it across several calls.
public final class EmbeddedPython: @unchecked Sendable {
    /// The environment variable naming the venv when `start(venv:)` gets none.
    public static let venvEnvironmentVariable = "HINGE_PYTHON_VENV"

    /// The venv the interpreter runs in, as given.
    public let venv: String
    /// `sys.version` (the linked libpython's, e.g. `3.11.2 (main, ...)`).
    public let version: String
    /// `platform.python_version()`, e.g. `3.11.2`.
    public let pythonVersion: String
    public let prefix: String
    public let basePrefix: String
    public let executable: String
    public let numpyVersion: String

    private init(venv: String, info: [String: String]) {
        self.venv = venv
        self.version = info["version"] ?? ""
        self.pythonVersion = info["python_version"] ?? ""
        self.prefix = info["prefix"] ?? ""
        self.basePrefix = info["base_prefix"] ?? ""
        self.executable = info["executable"] ?? ""
        self.numpyVersion = info["numpy"] ?? ""
    }

    /// The `major.minor` of the libpython this module was compiled against.
    public static var linkedVersion: String { "\(hinge_py_version_major()).\(hinge_py_version_minor())" }

    /// How to make a venv this interpreter can use, for error messages.
    public static func setupHint(_ venv: String) -> String {
        """
        Create it with Debian's python3 (the same \(linkedVersion) as libpython) and install NumPy with any pip:
            /usr/bin/python3 -m venv --without-pip \(venv)
            python3 -m pip --python \(venv)/bin/python3 install numpy==2.4.6
        """
    }

    // MARK: - Start-up

    private static let lock = NSLock()
    nonisolated(unsafe) private static var started: (venv: String, result: Result<EmbeddedPython, PythonError>)?

    /// The interpreter, started on the first call.
    ///
    /// - Parameter venv: the virtual environment's folder; `nil` takes
    ///   `$HINGE_PYTHON_VENV`. Its `bin/python3` becomes the program name, so
    ///   Python's start-up reads its `pyvenv.cfg` and puts its site-packages on
    ///   `sys.path` (the isolated configuration ignores `PYTHONPATH`/`PYTHONHOME`).
    /// - Throws: ``PythonError/unavailable(_:)`` when there is no usable venv, the
    ///   interpreter does not start, NumPy is not importable, or the process's
    ///   interpreter already runs with another venv. A failed start-up is final for the process.
    public static func start(venv: String? = nil) throws(PythonError) -> EmbeddedPython {
        let environment = ProcessInfo.processInfo.environment[venvEnvironmentVariable].flatMap { $0.isEmpty ? nil : $0 }
        guard let venv = venv ?? environment else {
            throw .unavailable(
                "no Python venv: pass --venv PATH or set \(venvEnvironmentVariable)\n" + setupHint("/path/to/venv"))
        }
        let path = URL(fileURLWithPath: venv).standardizedFileURL.path
        lock.lock()
        defer { lock.unlock() }
        if let started {
            guard started.venv == path else {
                throw .unavailable(
                    "the embedded interpreter already runs with the venv \(started.venv); a process can host only one")
            }
            return try started.result.get()
        }
        // Check the venv before starting: a failed start-up cannot be retried.
        try validateVenv(venv)
        let result = Result { () throws(PythonError) in try initialize(venv: venv, path: path) }
        started = (path, result)
        return try result.get()
    }

    /// Checks that `venv` looks like a virtual environment this interpreter can use (a
    /// folder with `bin/python3` and a `pyvenv.cfg` of the linked Python's minor version),
    /// without starting anything.
    public static func validateVenv(_ venv: String) throws(PythonError) {
        let path = URL(fileURLWithPath: venv).standardizedFileURL.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .unavailable("no venv at \(venv): no such folder\n" + setupHint(venv))
        }
        let python = path + "/bin/python3"
        guard FileManager.default.fileExists(atPath: python) else {
            throw .unavailable("\(venv) is not a venv: \(venv)/bin/python3 is missing\n" + setupHint(venv))
        }
        guard let cfg = try? String(contentsOfFile: path + "/pyvenv.cfg", encoding: .utf8) else {
            throw .unavailable("\(venv) is not a venv: \(venv)/pyvenv.cfg is missing\n" + setupHint(venv))
        }
        // `version = 3.11.2` (venv) or `version_info = 3.11.2.final.0` (virtualenv).
        var version: String?
        for line in cfg.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2, parts[0] == "version" || parts[0] == "version_info" { version = parts[1] }
        }
        if let version {
            let minor = version.split(separator: ".").prefix(2).joined(separator: ".")
            guard minor == linkedVersion else {
                throw .unavailable(
                    "the venv \(venv) is for Python \(version), but the embedded libpython is \(linkedVersion): "
                        + "its packages cannot load here\n" + setupHint(venv))
            }
        }
    }

    private static func initialize(venv: String, path: String) throws(PythonError) -> EmbeddedPython {
        var config = PyConfig()
        PyConfig_InitIsolatedConfig(&config)
        config.buffered_stdio = 0  // never finalised, so a buffered print would be lost
        config.install_signal_handlers = 0  // Ctrl-C keeps stopping the Swift process
        var status = withUnsafeMutablePointer(to: &config) { p in
            PyConfig_SetBytesString(p, &p.pointee.program_name, path + "/bin/python3")
        }
        if PyStatus_Exception(status) == 0 {
            status = Py_InitializeFromConfig(&config)
        }
        PyConfig_Clear(&config)
        if PyStatus_Exception(status) != 0 {
            let function = status.func.map { String(cString: $0) } ?? "Py_InitializeFromConfig"
            let message = status.err_msg.map { String(cString: $0) } ?? "unknown error"
            throw .unavailable("the embedded Python did not start with the venv \(venv): \(function): \(message)")
        }
        // Start-up ran on this thread, which holds the GIL: collect what we need, then release it.
        let outcome: Result<[String: String], PythonError> = Result { () throws(PythonError) in
            try Runtime.setUp()
        }
        _ = PyEval_SaveThread()
        switch outcome {
        case .success(let info): return EmbeddedPython(venv: venv, info: info)
        case .failure(let error):
            if case .exception(let type, let message, _) = error, type == "ModuleNotFoundError" || type == "ImportError" {
                throw .unavailable(
                    "NumPy is not importable in the venv \(venv) (\(type): \(message)); install it:\n"
                        + "    python3 -m pip --python \(venv)/bin/python3 install numpy==2.4.6")
            }
            throw .unavailable("the embedded Python started but could not import NumPy from \(venv):\n\(error)")
        }
    }

    // MARK: - Running code

    /// Runs `body` holding the GIL (re-entrant: the operations inside take it again cheaply).
    public func withGIL<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        let state = PyGILState_Ensure()
        defer { PyGILState_Release(state) }
        return try body()
    }

    /// Imports a module (`import name`).
    public func importModule(_ name: String) throws(PythonError) -> PythonObject {
        try withGIL { () throws(PythonError) in try PythonObject(owning: PyImport_ImportModule(name)) }
    }

    /// Compiles `source` and runs it as a new module `name`, registered in `sys.modules`.
    public func module(named name: String, source: String, filename: String? = nil) throws(PythonError) -> PythonObject {
        try withGIL { () throws(PythonError) in
            let file = filename ?? "<\(name)>"
            guard let code = Py_CompileString(source, file, Py_file_input) else { throw Runtime.fetchError() }
            defer { Py_DecRef(code) }
            return try PythonObject(owning: PyImport_ExecCodeModuleEx(name, code, file))
        }
    }

    /// Evaluates one expression in a fresh namespace that has the builtins.
    public func evaluate(_ expression: String) throws(PythonError) -> PythonObject {
        try withGIL { () throws(PythonError) in
            guard let globals = PyDict_New() else { throw Runtime.fetchError() }
            defer { Py_DecRef(globals) }
            guard let builtins = PyImport_ImportModule("builtins") else { throw Runtime.fetchError() }
            defer { Py_DecRef(builtins) }
            guard PyDict_SetItemString(globals, "__builtins__", builtins) == 0 else { throw Runtime.fetchError() }
            return try PythonObject(owning: PyRun_StringFlags(expression, Py_eval_input, globals, globals, nil))
        }
    }

    /// A Swift value as a new Python object.
    public func object(_ value: PythonValue) throws(PythonError) -> PythonObject {
        try withGIL { () throws(PythonError) in try PythonObject(owning: value.makePython()) }
    }
}

/// What the bridge keeps of Python once started: NumPy's constructors and the
/// traceback formatter. Set once, before anything else can run, and never released.
enum Runtime {
    nonisolated(unsafe) static var numpyEmpty: UnsafeMutablePointer<PyObject>?
    nonisolated(unsafe) static var numpyAsArray: UnsafeMutablePointer<PyObject>?
    nonisolated(unsafe) static var numpyArray: UnsafeMutablePointer<PyObject>?
    nonisolated(unsafe) static var numpyNDArray: UnsafeMutablePointer<PyObject>?
    nonisolated(unsafe) static var numpyGeneric: UnsafeMutablePointer<PyObject>?
    nonisolated(unsafe) static var formatException: UnsafeMutablePointer<PyObject>?

    /// Imports traceback and numpy (the caller holds the GIL); returns the interpreter's facts.
    static func setUp() throws(PythonError) -> [String: String] {
        let traceback = try PythonObject(owning: PyImport_ImportModule("traceback"))
        formatException = try traceback.attribute("format_exception").retained()
        let sys = try PythonObject(owning: PyImport_ImportModule("sys"))
        let platform = try PythonObject(owning: PyImport_ImportModule("platform"))
        var info: [String: String] = [:]
        for name in ["version", "prefix", "base_prefix", "executable"] {
            info[name] = try sys.attribute(name).string()
        }
        info["python_version"] = try platform.attribute("python_version").call().string()
        let numpy = try PythonObject(owning: PyImport_ImportModule("numpy"))
        info["numpy"] = try numpy.attribute("__version__").string()
        numpyEmpty = try numpy.attribute("empty").retained()
        numpyAsArray = try numpy.attribute("asarray").retained()
        numpyArray = try numpy.attribute("array").retained()
        numpyNDArray = try numpy.attribute("ndarray").retained()
        numpyGeneric = try numpy.attribute("generic").retained()
        return info
    }

    /// The pending Python exception as a ``PythonError`` (clears it). The caller holds the GIL.
    static func fetchError() -> PythonError {
        var type: UnsafeMutablePointer<PyObject>?
        var value: UnsafeMutablePointer<PyObject>?
        var traceback: UnsafeMutablePointer<PyObject>?
        PyErr_Fetch(&type, &value, &traceback)
        guard type != nil else {
            return .exception(type: "SystemError", message: "a call failed without setting an exception", traceback: "")
        }
        PyErr_NormalizeException(&type, &value, &traceback)
        if let value, let traceback { PyException_SetTraceback(value, traceback) }
        defer {
            Py_DecRef(type)
            Py_DecRef(value)
            Py_DecRef(traceback)
        }
        let typeName = type.flatMap { t -> String? in
            guard let name = PyObject_GetAttrString(t, "__name__") else { PyErr_Clear(); return nil }
            defer { Py_DecRef(name) }
            return stringOrNil(name)
        } ?? "Exception"
        let message = value.flatMap { v -> String? in
            guard let text = PyObject_Str(v) else { PyErr_Clear(); return nil }
            defer { Py_DecRef(text) }
            return stringOrNil(text)
        } ?? ""
        var formatted = ""
        if let formatException, let type {
            let args = PyTuple_New(3)!
            for (i, item) in [type, value ?? hinge_py_none(), traceback ?? hinge_py_none()].enumerated() {
                Py_IncRef(item)
                PyTuple_SetItem(args, i, item)
            }
            if let lines = PyObject_Call(formatException, args, nil) {
                if let empty = PyUnicode_FromString(""), let joined = PyUnicode_Join(empty, lines) {
                    formatted = stringOrNil(joined) ?? ""
                    Py_DecRef(joined)
                    Py_DecRef(empty)
                }
                Py_DecRef(lines)
            }
            Py_DecRef(args)
            PyErr_Clear()
        }
        return .exception(type: typeName, message: message, traceback: formatted)
    }

    /// A `str` object's text, or `nil` (clearing the error) if it is not a str.
    static func stringOrNil(_ object: UnsafeMutablePointer<PyObject>) -> String? {
        var size: Py_ssize_t = 0
        guard hinge_py_is_str(object) != 0, let utf8 = PyUnicode_AsUTF8AndSize(object, &size) else {
            PyErr_Clear()
            return nil
        }
        return utf8.withMemoryRebound(to: UInt8.self, capacity: size) {
            String(decoding: UnsafeBufferPointer(start: $0, count: size), as: UTF8.self)
        }
    }
}
#endif
