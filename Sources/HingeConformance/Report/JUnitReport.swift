/// The JUnit XML report: a `<testsuite>` per suite and a `<testcase>` per
/// fixture case (`classname` = suite, `name` = case id), with a `<failure>`
/// that names the output, the worst index, actual, expected and tolerance,
/// and `<skipped>` for expected failures.
///
/// Every string goes through ``escape(_:)``, so the document stays
/// well-formed XML 1.0 whatever the ids and messages contain.
public enum JUnitReport {
    public static func render(_ report: RunReport) -> String {
        var xml = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        let total = report.results.reduce(Duration.zero) { $0 + $1.duration }
        xml += "<testsuites name=\"hinge-conformance\" tests=\"\(report.results.count)\" failures=\"\(report.failed)\""
        xml += " errors=\"0\" skipped=\"\(report.skipped)\" time=\"\(NumberText.seconds(total))\">\n"
        for (suite, results) in report.resultsBySuite {
            let time = results.reduce(Duration.zero) { $0 + $1.duration }
            let failures = results.count { $0.status == .failed }
            let skipped = results.count { $0.status == .skipped }
            xml += "  <testsuite name=\"\(escape(suite))\" tests=\"\(results.count)\" failures=\"\(failures)\""
            xml += " errors=\"0\" skipped=\"\(skipped)\" time=\"\(NumberText.seconds(time))\">\n"
            xml += "    <properties>\n"
            xml += "      <property name=\"fixture_format_version\" value=\"\(FixtureDecoder.supportedVersion)\"/>\n"
            for file in Set(results.map(\.file)).sorted() {
                xml += "      <property name=\"fixture_file\" value=\"\(escape(file))\"/>\n"
            }
            xml += "    </properties>\n"
            for result in results {
                xml += "    <testcase classname=\"\(escape(suite))\" name=\"\(escape(result.id))\""
                xml += " time=\"\(NumberText.seconds(result.duration))\""
                switch result.status {
                case .passed:
                    xml += "/>\n"
                case .failed:
                    let message = result.message ?? "failed"
                    xml += ">\n      <failure message=\"\(escape(message))\" type=\"conformance\">"
                    xml += escape(failureDetail(result)) + "</failure>\n    </testcase>\n"
                case .skipped:
                    xml += ">\n      <skipped message=\"\(escape(result.message ?? "skipped"))\"/>\n    </testcase>\n"
                }
            }
            xml += "  </testsuite>\n"
        }
        xml += "</testsuites>\n"
        return xml
    }

    private static func failureDetail(_ result: CaseResult) -> String {
        var lines = ["file: \(result.file)"]
        if let message = result.message { lines.append(message) }
        for output in result.outputs {
            lines.append(
                "\(output.name): \(output.passed ? "ok" : "FAILED"), max |Δ| \(NumberText.short(output.maxAbsError)), max ULP \(output.maxULP.map(String.init) ?? "-")"
            )
        }
        return lines.joined(separator: "\n")
    }

    /// Escapes text for an XML 1.0 attribute or text node.
    ///
    /// Markup characters become entities; tab, newline and carriage return
    /// become character references (so attribute values keep them); characters
    /// XML 1.0 cannot carry at all (other C0 controls, U+FFFE, U+FFFF) are
    /// written as a visible `\u{XX}` instead, since no reference can express them.
    public static func escape(_ text: String) -> String {
        String.escaping(text) { scalar in
            switch scalar {
            case "&": "&amp;"
            case "<": "&lt;"
            case ">": "&gt;"
            case "\"": "&quot;"
            case "'": "&apos;"
            case "\t": "&#9;"
            case "\n": "&#10;"
            case "\r": "&#13;"
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF:
                "\\u{\(String(scalar.value, radix: 16))}"
            default: nil
            }
        }
    }
}
