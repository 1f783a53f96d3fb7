// libFuzzer target over the fixture reader: the strict JSON parser, fixture
// format v1 decoding and validation, and the reports that echo what a file
// contains. Compiled into one module with Sources/HingeConformance by
// tools/fuzz/run.sh (swiftc -sanitize=fuzzer,address,undefined).
//
// Beyond "no crash", each input checks invariants that would catch a wrong
// reader, each a trap libFuzzer reports as a crash:
// - serialising a parsed value and parsing it again gives the same value;
// - `validate` (every problem) and `decode` (first file-level problem, then
//   per-case problems) agree on whether the file as a whole is acceptable;
// - a JUnit report built from the decoded case ids and error messages is
//   well-formed XML as far as escaping goes (no raw `<`, `&`, or control
//   characters inside attribute or text content).

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFixtureReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))

    if let value = try? JSONParser.parse(bytes) {
        for indent in [nil, 2] as [Int?] {
            let text = value.serialized(indent: indent)
            guard let again = try? JSONParser.parse(text) else {
                fatalError("serialised JSON does not parse again: \(text.prefix(200))")
            }
            guard again == value else { fatalError("JSON round trip changed the value: \(text.prefix(200))") }
        }
    }

    let problems = FixtureDecoder.validate(bytes, path: "fuzz.json")
    var results: [CaseResult] = []
    switch Result(catching: { () throws(FixtureError) in try FixtureDecoder.decode(bytes, path: "fuzz.json") }) {
    case .success(let file):
        let broken = file.invalidCases.count
        if problems.isEmpty && broken > 0 { fatalError("validate found no problem, decode found \(broken) bad cases") }
        if !problems.isEmpty && broken == 0 { fatalError("validate found \(problems.count) problems, decode none: \(problems[0])") }
        for c in file.cases { results.append(CaseResult(suite: file.suite, id: c.id, file: file.path, status: .passed)) }
        for c in file.invalidCases {
            results.append(CaseResult(suite: file.suite, id: c.displayID, file: file.path, status: .failed, message: c.error.description))
        }
    case .failure(let error):
        if problems.isEmpty { fatalError("decode failed but validate found no problem: \(error)") }
        results.append(CaseResult(suite: "fixture-file", id: "fuzz.json", file: "fuzz.json", status: .failed, message: error.description))
    }

    let xml = JUnitReport.render(RunReport(results: results))
    checkEscaped(xml)
    _ = JSONReport.render(RunReport(results: results))
    _ = TextReport.render(RunReport(results: results), verbose: true)
    return 0
}

/// XML 1.0 allows only tab, newline and carriage return below U+0020, and `&`
/// must start an entity; the report's own markup is ASCII letters, `<`, `>`,
/// `/`, `=`, quotes and spaces, so a stray `&` or control character means an
/// unescaped piece of input.
func checkEscaped(_ xml: String) {
    var index = xml.unicodeScalars.startIndex
    let scalars = xml.unicodeScalars
    while index < scalars.endIndex {
        let c = scalars[index]
        if c.value < 0x20 && c != "\t" && c != "\n" && c != "\r" {
            fatalError("control character U+\(String(c.value, radix: 16)) in the JUnit XML")
        }
        if c.value == 0xFFFE || c.value == 0xFFFF {
            fatalError("non-character U+\(String(c.value, radix: 16)) in the JUnit XML")
        }
        if c == "&" {
            let rest = String(scalars[index...].prefix(8))
            guard ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#"].contains(where: rest.hasPrefix) else {
                fatalError("unescaped & in the JUnit XML: \(rest)")
            }
        }
        index = scalars.index(after: index)
    }
}
