extension JSONValue {
    /// The value as JSON text: keys in their stored order, numbers as their
    /// stored text, strings escaped per RFC 8259 (control characters as `\u00XX`).
    ///
    /// - Parameter indent: spaces per nesting level; `nil` writes one line.
    public func serialized(indent: Int? = 2) -> String {
        var out = ""
        write(to: &out, indent: indent, level: 0)
        return out
    }

    private func write(to out: inout String, indent: Int?, level: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += n.text
        case .string(let s): JSONValue.writeString(s, to: &out)
        case .array(let elements):
            guard !elements.isEmpty else { out += "[]"; return }
            // Arrays of scalars stay on one line: they are data, not structure.
            let flat = indent == nil || elements.allSatisfy { !$0.isContainer }
            out += "["
            for (i, element) in elements.enumerated() {
                if i > 0 { out += flat ? ", " : "," }
                if !flat { JSONValue.newline(&out, indent, level + 1) }
                element.write(to: &out, indent: indent, level: level + 1)
            }
            if !flat { JSONValue.newline(&out, indent, level) }
            out += "]"
        case .object(let object):
            guard !object.isEmpty else { out += "{}"; return }
            out += "{"
            for (i, entry) in object.enumerated() {
                if i > 0 { out += indent == nil ? ", " : "," }
                if indent != nil { JSONValue.newline(&out, indent, level + 1) }
                JSONValue.writeString(entry.key, to: &out)
                out += ": "
                entry.value.write(to: &out, indent: indent, level: level + 1)
            }
            if indent != nil { JSONValue.newline(&out, indent, level) }
            out += "}"
        }
    }

    private var isContainer: Bool {
        switch self {
        case .array, .object: true
        default: false
        }
    }

    private static func newline(_ out: inout String, _ indent: Int?, _ level: Int) {
        out += "\n"
        out += String(repeating: " ", count: (indent ?? 0) * level)
    }

    /// Four lower-case hex digits (a control character's `\\uXXXX`).
    private static func hex4(_ value: UInt32) -> String {
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 4 - hex.count) + hex
    }

    static func writeString(_ s: String, to out: inout String) {
        out += "\""
        out.appendEscaping(s) { scalar in
            switch scalar {
            case "\"": "\\\""
            case "\\": "\\\\"
            case "\n": "\\n"
            case "\r": "\\r"
            case "\t": "\\t"
            case "\u{08}": "\\b"
            case "\u{0C}": "\\f"
            case _ where scalar.value < 0x20: "\\u" + hex4(scalar.value)
            default: nil
            }
        }
        out += "\""
    }
}

extension JSONValue {
    /// A float as fixture format v1 writes it: a number when finite, else the
    /// string `"nan"`, `"inf"` or `"-inf"`.
    public static func float(_ value: Double) -> JSONValue {
        if let number = JSONNumber(value) { return .number(number) }
        return .string(value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf"))
    }
}
