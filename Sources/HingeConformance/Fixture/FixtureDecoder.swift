/// Reads fixture format v1 (see `fixtures/FORMAT.md`).
///
/// The rules are those of the format's executable statement,
/// `validate_fixtures.py`: a file it accepts decodes here, and a file it
/// rejects is rejected here with a one-line ``FixtureError`` naming the file,
/// the case and the field. File-level problems fail the whole file; a case
/// that breaks the format becomes an ``InvalidCase`` while its siblings still
/// decode, so one bad case does not hide the others.
///
/// Floats are decoded bit for bit: a float64 is the correctly rounded `Double`
/// of its text, and a float32 is that `Double` converted to `Float`, which is
/// exact for the text the generators write (the shortest decimal of the
/// float64 equal to the float32) and is how NumPy reads the same file.
public enum FixtureDecoder {
    public static let format = "hinge-conformance/fixture"
    /// The newest `format_version` this reader understands.
    public static let supportedVersion = 1

    private static let topRequired = ["format", "format_version", "suite", "provenance", "cases"]
    private static let topAllowed = Set(topRequired + ["default_tolerance"])
    private static let caseAllowed: Set<String> = [
        "id", "params", "context", "inputs", "expected", "expected_error", "tolerance", "tags",
    ]

    /// Decodes a fixture file from its bytes.
    ///
    /// - Parameter path: used only in error messages and ``FixtureFile/path``.
    /// - Throws: `FixtureError` for problems of the file as a whole (not JSON,
    ///   a missing or unknown top-level field, another format, a newer version).
    public static func decode(_ bytes: [UInt8], path: String) throws(FixtureError) -> FixtureFile {
        let root: JSONValue
        do {
            root = try JSONParser.parse(bytes)
        } catch {
            throw FixtureError(file: path, field: "", message: error.description)
        }
        return try decode(root, path: path)
    }

    /// Decodes a fixture file from parsed JSON.
    public static func decode(_ root: JSONValue, path: String) throws(FixtureError) -> FixtureFile {
        func fail(_ field: String, _ message: String) -> FixtureError {
            FixtureError(file: path, field: field, message: message)
        }
        guard let top = root.objectValue else {
            throw fail("", "the top level must be an object, found \(root.typeName)")
        }
        // The format and its version come first: a file of another format or a
        // newer version is best described as that, not by its other fields.
        guard let format = top["format"] else { throw fail("format", "missing required field") }
        guard format.stringValue == self.format else {
            throw fail("format", "unknown format \(format.serialized(indent: nil)); expected \"\(self.format)\"")
        }
        guard let versionValue = top["format_version"] else {
            throw fail("format_version", "missing required field")
        }
        let version = try decodeVersion(versionValue, fail)
        for field in topRequired where top[field] == nil {
            throw fail(field, "missing required field")
        }
        for key in top.keys where !topAllowed.contains(key) {
            throw fail(key, "unknown top-level field")
        }
        guard let suite = top["suite"]?.stringValue, !suite.isEmpty else {
            throw fail("suite", "must be a non-empty string")
        }
        guard let provenance = top["provenance"]?.objectValue else {
            throw fail("provenance", "must be an object")
        }
        var defaultTolerance: [DType: PartialTolerance] = [:]
        if let value = top["default_tolerance"] {
            guard let object = value.objectValue else {
                throw fail("default_tolerance", "must be an object keyed by float32/float64")
            }
            for (key, entry) in object {
                guard let dtype = DType(rawValue: key), dtype.isFloatingPoint else {
                    throw fail("default_tolerance.\(key)", "only float32 and float64 take a default tolerance")
                }
                do throws(FieldError) {
                    defaultTolerance[dtype] = try decodeTolerance(entry, "default_tolerance.\(key)")
                } catch {
                    throw fail(error.field, error.message)
                }
            }
        }
        guard let caseValues = top["cases"]?.arrayValue else { throw fail("cases", "must be a list") }

        var entries: [FixtureFile.Entry] = []
        entries.reserveCapacity(caseValues.count)
        var seen = Set<String>()
        for (index, value) in caseValues.enumerated() {
            var id: String? = nil
            do throws(FieldError) {
                let decoded = try decodeCase(value, index: index, seen: &seen, id: &id)
                entries.append(.valid(decoded))
            } catch {
                let label = id ?? "cases[\(index)]"
                entries.append(
                    .invalid(
                        InvalidCase(
                            index: index, id: id,
                            error: FixtureError(file: path, caseID: label, field: error.field, message: error.message))))
            }
        }
        return FixtureFile(
            path: path, formatVersion: version, suite: suite, provenance: provenance,
            defaultTolerance: defaultTolerance, entries: entries)
    }

    /// Every problem of a file, as a list: the file-level error alone, or one per invalid case.
    public static func validate(_ bytes: [UInt8], path: String) -> [FixtureError] {
        do {
            return try decode(bytes, path: path).invalidCases.map(\.error)
        } catch {
            return [error]
        }
    }

    // MARK: - Pieces

    /// `format_version` must equal 1; Python's `==` also lets `1.0` and `true` through, so we do too.
    private static func decodeVersion(
        _ value: JSONValue, _ fail: (String, String) -> FixtureError
    ) throws(FixtureError) -> Int {
        let number: Double
        switch value {
        case .number(let n): number = n.doubleValue
        case .bool(true): number = 1
        default: throw fail("format_version", "must be the integer \(supportedVersion), found \(value.typeName)")
        }
        if number == Double(supportedVersion) { return supportedVersion }
        if number > Double(supportedVersion) {
            throw fail(
                "format_version",
                "version \(value.serialized(indent: nil)) is newer than this reader supports (\(supportedVersion)); update hinge-conformance"
            )
        }
        throw fail("format_version", "unsupported version \(value.serialized(indent: nil)); expected \(supportedVersion)")
    }

    /// A problem inside a case, located by its field path.
    struct FieldError: Error {
        var field: String
        var message: String
        init(_ field: String, _ message: String) {
            self.field = field
            self.message = message
        }
    }

    private static func decodeCase(
        _ value: JSONValue, index: Int, seen: inout Set<String>, id: inout String?
    ) throws(FieldError) -> FixtureCase {
        guard let object = value.objectValue else {
            throw FieldError("", "a case must be an object, found \(value.typeName)")
        }
        guard let caseID = object["id"]?.stringValue, !caseID.isEmpty else {
            throw FieldError("id", "must be a non-empty string")
        }
        guard !seen.contains(caseID) else {
            // Name it by position: the id itself is what is ambiguous.
            throw FieldError("id", "duplicate id '\(caseID)'")
        }
        seen.insert(caseID)
        id = caseID
        for key in object.keys where !caseAllowed.contains(key) {
            throw FieldError(key, "unknown case field")
        }
        let params = try decodeOptionalObject(object["params"], "params")
        let context = try decodeOptionalObject(object["context"], "context")
        guard let inputObject = object["inputs"]?.objectValue else {
            throw FieldError("inputs", "must be an object of arrays")
        }
        var inputs = NamedArrays()
        for (name, array) in inputObject {
            inputs[name] = try decodeArray(array, "inputs.\(name)")
        }
        let expectation: FixtureCase.Expectation
        switch (object["expected"], object["expected_error"]) {
        case (let expected?, nil):
            guard let outputs = expected.objectValue, !outputs.isEmpty else {
                throw FieldError("expected", "must be a non-empty object of arrays")
            }
            var arrays = NamedArrays()
            for (name, array) in outputs {
                arrays[name] = try decodeArray(array, "expected.\(name)")
            }
            expectation = .outputs(arrays)
        case (nil, let error?):
            expectation = try decodeExpectedError(error)
        default:
            throw FieldError("expected", "a case needs exactly one of expected / expected_error")
        }
        var tolerance: PartialTolerance? = nil
        if let value = object["tolerance"] {
            tolerance = try decodeTolerance(value, "tolerance")
        }
        var tags: [String] = []
        if let value = object["tags"] {
            guard let list = value.arrayValue else { throw FieldError("tags", "must be a list of strings") }
            for (i, tag) in list.enumerated() {
                guard let text = tag.stringValue else { throw FieldError("tags[\(i)]", "must be a string") }
                tags.append(text)
            }
        }
        return FixtureCase(
            id: caseID, params: params, context: context, inputs: inputs, expectation: expectation,
            tolerance: tolerance, tags: tags)
    }

    private static func decodeOptionalObject(_ value: JSONValue?, _ field: String) throws(FieldError) -> JSONObject {
        guard let value else { return [:] }
        guard let object = value.objectValue else {
            throw FieldError(field, "must be an object, found \(value.typeName)")
        }
        return object
    }

    private static func decodeExpectedError(_ value: JSONValue) throws(FieldError) -> FixtureCase.Expectation {
        let kinds = ErrorKind.allCases.map(\.rawValue).joined(separator: ", ")
        guard let object = value.objectValue else {
            throw FieldError("expected_error", "must be an object {kind, message?}")
        }
        for key in object.keys where key != "kind" && key != "message" {
            throw FieldError("expected_error.\(key)", "unknown field; expected_error is {kind, message?}")
        }
        guard let kindName = object["kind"]?.stringValue, let kind = ErrorKind(rawValue: kindName) else {
            throw FieldError("expected_error.kind", "must be one of \(kinds)")
        }
        // The message is informational: the format does not constrain its type.
        let message = object["message"].map { $0.stringValue ?? $0.serialized(indent: nil) }
        return .error(kind, message: message)
    }

    private static func decodeTolerance(_ value: JSONValue, _ field: String) throws(FieldError) -> PartialTolerance {
        guard let object = value.objectValue, !object.isEmpty else {
            throw FieldError(field, "must be an object with rtol and/or atol")
        }
        var tolerance = PartialTolerance()
        for (key, entry) in object {
            guard key == "rtol" || key == "atol" else {
                throw FieldError("\(field).\(key)", "unknown field; a tolerance has only rtol and atol")
            }
            guard let number = entry.numberValue?.doubleValue, number.isFinite, number >= 0 else {
                throw FieldError("\(field).\(key)", "must be a finite number >= 0, found \(entry.serialized(indent: nil))")
            }
            if key == "rtol" { tolerance.rtol = number } else { tolerance.atol = number }
            tolerance.written[key] = entry.numberValue
        }
        return tolerance
    }

    private static func decodeArray(_ value: JSONValue, _ field: String) throws(FieldError) -> FixtureArray {
        guard let object = value.objectValue, object.count == 3,
            let dtypeValue = object["dtype"], let shapeValue = object["shape"], let dataValue = object["data"]
        else {
            throw FieldError(field, "an array is exactly {dtype, shape, data}")
        }
        guard let dtypeName = dtypeValue.stringValue, let dtype = DType(rawValue: dtypeName) else {
            let names = DType.allCases.map(\.rawValue).joined(separator: ", ")
            throw FieldError("\(field).dtype", "\(dtypeValue.serialized(indent: nil)) is not one of \(names)")
        }
        guard let shapeList = shapeValue.arrayValue else {
            throw FieldError("\(field).shape", "must be a list of non-negative integers")
        }
        var shape: [Int] = []
        shape.reserveCapacity(shapeList.count)
        for extent in shapeList {
            guard let n = extent.numberValue?.int64Value, n >= 0, let d = Int(exactly: n) else {
                throw FieldError("\(field).shape", "must be a list of non-negative integers, found \(shapeValue.serialized(indent: nil))")
            }
            shape.append(d)
        }
        guard let data = dataValue.arrayValue else {
            throw FieldError("\(field).data", "must be a list")
        }
        guard let count = FixtureArray.elementCount(of: shape), count == data.count else {
            throw FieldError("\(field).data", "length \(data.count) does not match shape \(shape)\(FixtureArray.elementCount(of: shape).map { " (\($0))" } ?? "")")
        }
        func bad(_ i: Int, _ v: JSONValue) -> FieldError {
            FieldError("\(field).data[\(i)]", "\(v.serialized(indent: nil)) is not a valid \(dtype)")
        }
        let storage: FixtureArray.Storage
        switch dtype {
        case .float64:
            var values = [Double](repeating: 0, count: count)
            for (i, v) in data.enumerated() {
                guard let d = decodeFloat(v) else { throw bad(i, v) }
                values[i] = d
            }
            storage = .float64(values)
        case .float32:
            var values = [Float](repeating: 0, count: count)
            for (i, v) in data.enumerated() {
                guard let d = decodeFloat(v) else { throw bad(i, v) }
                values[i] = Float(d)
            }
            storage = .float32(values)
        case .int64:
            var values = [Int64](repeating: 0, count: count)
            for (i, v) in data.enumerated() {
                guard let n = v.numberValue?.int64Value else { throw bad(i, v) }
                values[i] = n
            }
            storage = .int64(values)
        case .bool:
            var values = [Bool](repeating: false, count: count)
            for (i, v) in data.enumerated() {
                guard let b = v.boolValue else { throw bad(i, v) }
                values[i] = b
            }
            storage = .bool(values)
        case .string:
            var values = [String](repeating: "", count: count)
            for (i, v) in data.enumerated() {
                guard let s = v.stringValue else { throw bad(i, v) }
                values[i] = s
            }
            storage = .string(values)
        }
        do {
            return try FixtureArray(shape: shape, storage: storage)
        } catch {
            throw FieldError(field, error.message)
        }
    }

    /// A float element: a JSON number, or one of the strings "nan", "inf", "-inf".
    private static func decodeFloat(_ value: JSONValue) -> Double? {
        switch value {
        case .number(let n): return n.doubleValue
        case .string("nan"): return .nan
        case .string("inf"): return .infinity
        case .string("-inf"): return -.infinity
        default: return nil
        }
    }
}
