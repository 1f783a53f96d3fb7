/// Writes fixture format v1 (see `fixtures/FORMAT.md`): the inverse of ``FixtureDecoder``.
///
/// The text is laid out as the generators write it (`dumps_fixture` in
/// `tools/hinge_fixtures/fixture.py`): a two-space indent, every ARRAY object
/// (`{"dtype", "shape", "data"}`) on one line, `", "` and `": "` as separators,
/// non-ASCII characters as they are, and a trailing newline. Members come in
/// the generators' order: `format`, `format_version`, `suite`, `provenance`,
/// `default_tolerance`, `cases`; in a case `id`, `tags`, `params`, `context`
/// (when not empty), `inputs`, `expected` or `expected_error`, `tolerance`.
///
/// Floats are written bit-exactly and as Python's `repr` writes them: the
/// shortest decimal that reads back as the same `Double` (`0.1`, `1e-05`,
/// `1e+16`, `5e-324`); a float32 as the shortest decimal of the float64 equal
/// to it (`0.3333333432674408`); NaN and the infinities as the strings `"nan"`,
/// `"inf"` and `"-inf"`. So `encode(decode(text)) == text` for every file the
/// generators write.
public enum FixtureEncoder {
    /// The text of a fixture file.
    ///
    /// - Throws: `FixtureError` when the file holds an ``InvalidCase``: its
    ///   content did not survive decoding, so it cannot be written back.
    public static func encode(_ file: FixtureFile) throws(FixtureError) -> String {
        layout(try json(file))
    }

    /// A JSON document as the generators lay it out, with its trailing newline.
    public static func layout(_ document: JSONValue) -> String {
        var out = ""
        dump(document, depth: 0, to: &out)
        out += "\n"
        return out
    }

    // MARK: - The model as JSON

    /// A fixture file as a JSON document.
    public static func json(_ file: FixtureFile) throws(FixtureError) -> JSONValue {
        var document = JSONObject()
        document["format"] = .string(FixtureDecoder.format)
        document["format_version"] = .number(JSONNumber(file.formatVersion))
        document["suite"] = .string(file.suite)
        document["provenance"] = .object(file.provenance)
        if !file.defaultTolerance.isEmpty {
            var tolerances = JSONObject()
            for dtype in DType.allCases {
                if let tolerance = file.defaultTolerance[dtype] { tolerances[dtype.rawValue] = json(tolerance) }
            }
            document["default_tolerance"] = .object(tolerances)
        }
        var cases: [JSONValue] = []
        cases.reserveCapacity(file.entries.count)
        for entry in file.entries {
            switch entry {
            case .valid(let testCase): cases.append(json(testCase))
            case .invalid(let invalid):
                throw FixtureError(
                    file: file.path, caseID: invalid.displayID, field: "",
                    message: "an invalid case cannot be encoded (\(invalid.error.message))")
            }
        }
        document["cases"] = .array(cases)
        return .object(document)
    }

    /// A case as a JSON object.
    public static func json(_ testCase: FixtureCase) -> JSONValue {
        var object = JSONObject()
        object["id"] = .string(testCase.id)
        object["tags"] = .array(testCase.tags.map(JSONValue.string))
        object["params"] = .object(testCase.params)
        if !testCase.context.isEmpty { object["context"] = .object(testCase.context) }
        object["inputs"] = json(testCase.inputs)
        switch testCase.expectation {
        case .outputs(let outputs):
            object["expected"] = json(outputs)
        case .error(let kind, let message):
            var error: JSONObject = ["kind": .string(kind.rawValue)]
            if let message { error["message"] = .string(message) }
            object["expected_error"] = .object(error)
        }
        if let tolerance = testCase.tolerance { object["tolerance"] = json(tolerance) }
        return .object(object)
    }

    /// Named arrays (inputs, outputs) as a JSON object of ARRAY objects.
    public static func json(_ arrays: NamedArrays) -> JSONValue {
        var object = JSONObject()
        for (name, array) in arrays { object[name] = json(array) }
        return .object(object)
    }

    /// An ARRAY object: `{"dtype", "shape", "data"}`, data row-major.
    public static func json(_ array: FixtureArray) -> JSONValue {
        let data: [JSONValue] =
            switch array.storage {
            case .float32(let values): values.map { float(Double($0)) }
            case .float64(let values): values.map(float)
            case .int64(let values): values.map { .number(JSONNumber($0)) }
            case .bool(let values): values.map(JSONValue.bool)
            case .string(let values): values.map(JSONValue.string)
            }
        return .object([
            "dtype": .string(array.dtype.rawValue),
            "shape": .array(array.shape.map { .number(JSONNumber($0)) }),
            "data": .array(data),
        ])
    }

    /// A tolerance object: `rtol` and/or `atol`. A decoded tolerance keeps the
    /// numbers as they were written (`0` stays `0`, `0.0` stays `0.0`) while
    /// their values are unchanged.
    public static func json(_ tolerance: PartialTolerance) -> JSONValue {
        var object = JSONObject()
        for (key, value) in [("rtol", tolerance.rtol), ("atol", tolerance.atol)] {
            guard let value else { continue }
            if let written = tolerance.written[key], written.doubleValue.bitPattern == value.bitPattern {
                object[key] = .number(written)
            } else {
                object[key] = float(value)
            }
        }
        return .object(object)
    }

    /// A float element or parameter: Python's `repr` when finite (see
    /// ``pythonRepr(_:)``), else `"nan"`, `"inf"` or `"-inf"`.
    public static func float(_ value: Double) -> JSONValue {
        guard value.isFinite else { return .string(value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf")) }
        return .number(JSONNumber(validatedText: pythonRepr(value), isInteger: false))
    }

    /// A finite `Double` as Python's `repr(float)` writes it: the shortest
    /// round-trip digits, in positional notation when the decimal exponent is in
    /// −4 ..< 16 (`0.0001`, `1e-05`, `1000000000000000.0`, `1e+16`), always with
    /// a fraction or an exponent.
    public static func pythonRepr(_ value: Double) -> String {
        precondition(value.isFinite, "pythonRepr needs a finite value")
        // Swift's description gives the shortest round-trip digits too; only the
        // notation differs from Python's, so take its digits and exponent apart.
        let text = "\(value.magnitude)"
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...].drop { $0 == "+" })!
        }
        // digits d1 d2 ... and the position of the point: value = 0.d1d2... × 10^point
        var digits = ""
        var point = 0
        if let dot = mantissa.firstIndex(of: ".") {
            digits = String(mantissa[..<dot]) + mantissa[mantissa.index(after: dot)...]
            point = mantissa.distance(from: mantissa.startIndex, to: dot)
        } else {
            digits = String(mantissa)
            point = digits.count
        }
        point += exponent
        let leadingZeros = digits.prefix { $0 == "0" }.count
        digits.removeFirst(leadingZeros)
        point -= leadingZeros
        while digits.last == "0" { digits.removeLast() }
        let sign = value.sign == .minus ? "-" : ""
        if digits.isEmpty { return sign + "0.0" }
        if point > -4 && point <= 16 {
            if point <= 0 { return sign + "0." + String(repeating: "0", count: -point) + digits }
            if point >= digits.count { return sign + digits + String(repeating: "0", count: point - digits.count) + ".0" }
            let split = digits.index(digits.startIndex, offsetBy: point)
            return sign + digits[..<split] + "." + digits[split...]
        }
        let e = point - 1
        let shownExponent = (e < 0 ? "-" : "+") + (abs(e) < 10 ? "0" : "") + String(abs(e))
        let first = digits.prefix(1), rest = digits.dropFirst()
        return sign + first + (rest.isEmpty ? "" : "." + rest) + "e" + shownExponent
    }

    // MARK: - Layout

    /// `_dump` of `tools/hinge_fixtures/fixture.py`.
    private static func dump(_ value: JSONValue, depth: Int, to out: inout String) {
        switch value {
        case .object(let object) where !object.isEmpty && !isArrayObject(object):
            out += "{\n"
            for (i, entry) in object.enumerated() {
                if i > 0 { out += ",\n" }
                indent(depth + 1, &out)
                JSONValue.writeString(entry.key, to: &out)
                out += ": "
                dump(entry.value, depth: depth + 1, to: &out)
            }
            out += "\n"
            indent(depth, &out)
            out += "}"
        case .array(let elements) where !elements.isEmpty:
            out += "[\n"
            for (i, element) in elements.enumerated() {
                if i > 0 { out += ",\n" }
                indent(depth + 1, &out)
                dump(element, depth: depth + 1, to: &out)
            }
            out += "\n"
            indent(depth, &out)
            out += "]"
        default:
            out += value.serialized(indent: nil)
        }
    }

    private static func isArrayObject(_ object: JSONObject) -> Bool {
        object.count == 3 && object["dtype"] != nil && object["shape"] != nil && object["data"] != nil
    }

    private static func indent(_ depth: Int, _ out: inout String) {
        out += String(repeating: "  ", count: depth)
    }
}
