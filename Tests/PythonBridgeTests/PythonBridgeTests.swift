#if PythonHarness
// Compiled only with `swift test --traits PythonHarness`; needs a venv with NumPy in
// $HINGE_PYTHON_VENV (README.md, "Embedded Python harness").
import Foundation
import HingeConformance
import PythonBridge
import Testing

enum Harness {
    /// The interpreter, or the reason there is none (each test records it as its failure).
    static let python: Result<EmbeddedPython, PythonError> = Result { () throws(PythonError) in
        try EmbeddedPython.start()
    }

    static func start() throws -> EmbeddedPython {
        try python.get()
    }

    /// A module of helpers the tests call.
    static let helpers: Result<PythonObject, PythonError> = Result { () throws(PythonError) in
        try python.get().module(named: "bridge_test_helpers", source: """
            import numpy as np

            def describe(a):
                return (str(a.dtype), list(a.shape), a.flags.writeable, a.flags.c_contiguous)

            def bits(a):
                return a.view(np.uint32 if a.dtype == np.float32 else np.int64).ravel().tolist()

            def transposed():
                return np.arange(6, dtype=np.float32).reshape(2, 3).T

            def scalar():
                return np.float64(2.5)

            def int32():
                return np.arange(3, dtype=np.int32)

            def fail(message):
                def inner():
                    raise ValueError(message)
                inner()

            def echo(*args, **kwargs):
                return [list(args), kwargs]

            def norm(a, scale):
                return float(np.sqrt(np.sum((a * scale) ** 2)))
            """)
    }

    static func helper(_ name: String) throws -> PythonObject {
        try helpers.get().attribute(name)
    }
}

private func bits(_ array: FixtureArray) -> [UInt64] {
    switch array.storage {
    case .float32(let a): a.map { UInt64($0.bitPattern) }
    case .float64(let a): a.map(\.bitPattern)
    default: []
    }
}

@Suite("Embedded Python bridge")
struct PythonBridgeTests {
    @Test func startsInTheVenvWithNumPy() throws {
        let python = try Harness.start()
        #expect(python.pythonVersion.hasPrefix(EmbeddedPython.linkedVersion + "."))
        #expect(!python.numpyVersion.isEmpty)
        #expect(URL(fileURLWithPath: python.prefix).standardizedFileURL.path
                == URL(fileURLWithPath: python.venv).standardizedFileURL.path)
        // The same venv again is the same interpreter; another one is refused, clearly.
        #expect(try EmbeddedPython.start(venv: python.venv) === python)
        #expect(throws: PythonError.self) { try EmbeddedPython.start(venv: "/nonexistent-venv") }
    }

    static let floatArrays: [FixtureArray] = [
        try! .float32([1.5, -0.0, .nan, .infinity, -.infinity, .leastNonzeroMagnitude, .greatestFiniteMagnitude], shape: [7]),
        try! .float32([1, 2, 3, 4, 5, 6], shape: [2, 3]),
        try! .float32([], shape: [0, 3]),
        try! .float32([0.1], shape: []),
        try! .float64([0.1, -0.0, .nan, -.infinity, .leastNonzeroMagnitude, -.greatestFiniteMagnitude, Double.leastNormalMagnitude / 4, 3],
                      shape: [2, 2, 2]),
        try! .float64([], shape: [0]),
        try! .float64([-7.25], shape: []),
    ]

    @Test(arguments: floatArrays)
    func floatsRoundTripBitForBit(_ array: FixtureArray) throws {
        let python = try Harness.start()
        let object = try python.object(.array(array))
        let (dtype, shape) = try describe(object)
        #expect(dtype == array.dtype.rawValue)
        #expect(shape == array.shape)
        let back = try object.fixtureArray()
        #expect(back.shape == array.shape && back.dtype == array.dtype)
        #expect(bits(back) == bits(array))
        // NumPy sees the same bits (NaN payloads included).
        let pythonBits = try Harness.helper("bits").call([.object(object)]).swiftValue().items?.compactMap(\.intValue)
        #expect(pythonBits?.map { UInt64(bitPattern: $0) } == bits(array))
    }

    @Test func integersBooleansAndStringsRoundTrip() throws {
        let python = try Harness.start()
        let arrays: [FixtureArray] = [
            try .int64([.min, -1, 0, 1, .max, 42], shape: [3, 2]),
            try .int64([], shape: [2, 0]),
            try .int64([7], shape: []),
            try FixtureArray(shape: [2, 2], storage: .bool([true, false, false, true])),
            try FixtureArray(shape: [], storage: .bool([true])),
            try FixtureArray(shape: [3], storage: .string(["a", "ünïcödé ✓", ""])),
            try FixtureArray(shape: [2, 1], storage: .string(["x", "yz"])),
            try FixtureArray(shape: [0], storage: .string([])),
        ]
        for array in arrays {
            let object = try python.object(.array(array))
            let (dtype, shape) = try describe(object)
            #expect(shape == array.shape, "\(array)")
            #expect(array.dtype == .string ? dtype.hasPrefix("<U") : dtype == array.dtype.rawValue, "\(array): \(dtype)")
            #expect(try object.fixtureArray() == array)
            #expect(try object.swiftValue().arrayValue == array)
        }
    }

    @Test func numpyResultsComeBackInCOrder() throws {
        let transposed = try Harness.helper("transposed").call().fixtureArray()
        #expect(transposed == (try .float32([0, 3, 1, 4, 2, 5], shape: [3, 2])))
        let scalar = try Harness.helper("scalar").call().fixtureArray()
        #expect(scalar == (try .float64([2.5], shape: [])))
    }

    @Test func unsupportedDTypesAreAnError() throws {
        let object = try Harness.helper("int32").call()
        #expect {
            _ = try object.fixtureArray()
        } throws: { error in
            guard case PythonError.conversion(let message) = error else { return false }
            return message.contains("int32")
        }
    }

    @Test func valuesAndJSONCrossAsPythonObjects() throws {
        let params: JSONObject = [
            "margin": .number(JSONNumber(1)), "eps": .float(1e-6), "reduction": .string("sum"),
            "swap": .bool(false), "weight": .null, "list": .array([.number(JSONNumber(-2)), .float(0.5)]),
        ]
        let echoed = try Harness.helper("echo").call(
            [.int(3), .double(0.25), .string("s"), .none, .bool(true), .json(.object(params))],
            kwargs: [("k", .list([.int(1), .tuple([.string("t")])]))])
        #expect(echoed.description
                == "[[3, 0.25, 's', None, True, {'margin': 1, 'eps': 1e-06, 'reduction': 'sum', 'swap': False, 'weight': None, "
                + "'list': [-2, 0.5]}], {'k': [1, ('t',)]}]")
        let value = try echoed.swiftValue()
        #expect(value.items?.first?.items?.first?.intValue == 3)
    }

    @Test func aPythonExceptionIsASwiftErrorWithItsTraceback() throws {
        #expect {
            try Harness.helper("fail").call([.string("boom")])
        } throws: { error in
            guard case PythonError.exception(let type, let message, let traceback) = error else { return false }
            return type == "ValueError" && message == "boom"
                && traceback.hasPrefix("Traceback (most recent call last):")
                && traceback.contains("in inner") && traceback.contains("in fail")
                && traceback.hasSuffix("ValueError: boom\n")
        }
        // The interpreter is fine afterwards.
        let python = try Harness.start()
        #expect(try python.evaluate("1 + 1").swiftValue().intValue == 2)
    }

    @Test func syntaxAndImportErrorsAreErrorsToo() throws {
        let python = try Harness.start()
        #expect(throws: PythonError.self) { try python.module(named: "broken_module", source: "def f(:\n") }
        #expect {
            try python.importModule("no_such_module_hopefully")
        } throws: { error in
            (error as? PythonError)?.exceptionType == "ModuleNotFoundError"
        }
    }

    @Test func badVenvsAreRefusedWithAHint() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hinge-bridge-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("bin"), withIntermediateDirectories: true)
        #expect(throws: PythonError.self) { try EmbeddedPython.validateVenv(folder.path + "/missing") }
        #expect(throws: PythonError.self) { try EmbeddedPython.validateVenv(folder.path) }  // no bin/python3
        _ = FileManager.default.createFile(atPath: folder.path + "/bin/python3", contents: Data())
        #expect(throws: PythonError.self) { try EmbeddedPython.validateVenv(folder.path) }  // no pyvenv.cfg
        try "home = /usr/bin\nversion = 2.7.18\n".write(toFile: folder.path + "/pyvenv.cfg", atomically: true, encoding: .utf8)
        #expect {
            try EmbeddedPython.validateVenv(folder.path)
        } throws: { error in
            "\(error)".contains("2.7.18") && "\(error)".contains("python3 -m venv")
        }
        try "home = /usr/bin\nversion = \(EmbeddedPython.linkedVersion).0\n".write(
            toFile: folder.path + "/pyvenv.cfg", atomically: true, encoding: .utf8)
        try EmbeddedPython.validateVenv(folder.path)
    }

    /// Swift Testing runs these in parallel: each call takes the GIL.
    @Test(arguments: 0..<8)
    func parallelCallsAreSafe(_ worker: Int) throws {
        let norm = try Harness.helper("norm")
        for i in 0..<50 {
            let n = 16 + (worker + i) % 7
            let values = (0..<n).map { Double($0 + worker) }
            let array = try FixtureArray.float64(values, shape: [n])
            let result = try norm.call([.array(array), .double(2)]).swiftValue().doubleValue
            let expected = (values.map { ($0 * 2) * ($0 * 2) }.reduce(0, +)).squareRoot()
            #expect(result.map { abs($0 - expected) <= 1e-9 * expected } == true)
            #expect(try norm.call([.array(array), .double(1)]).fixtureArray().shape == [])
        }
    }

    @Test func concurrentTasksShareTheInterpreter() async throws {
        let python = try Harness.start()
        let total = try await withThrowingTaskGroup(of: Int64.self) { group in
            for task in 0..<16 {
                group.addTask {
                    var sum: Int64 = 0
                    for i in 0..<25 {
                        let array = try FixtureArray.int64((0..<Int64(10)).map { $0 * Int64(task + i) }, shape: [10])
                        sum += try python.object(.array(array)).callMethod("sum").callMethod("item").swiftValue().intValue ?? -1
                    }
                    return sum
                }
            }
            return try await group.reduce(0, +)
        }
        // Σ_task Σ_i 45·(task + i) = 45·(25·120 + 16·300)
        #expect(total == 45 * (25 * 120 + 16 * 300))
    }

    private func describe(_ object: PythonObject) throws -> (String, [Int]) {
        let info = try Harness.helper("describe").call([.object(object)]).swiftValue().items ?? []
        #expect(info.count == 4)
        #expect(info.count == 4 && info[2].boolValue == true && info[3].boolValue == true, "writable and C-contiguous")
        let shape = info.count > 1 ? (info[1].items ?? []).compactMap(\.intValue).map(Int.init) : []
        return (info.first?.stringValue ?? "", shape)
    }
}
#endif
