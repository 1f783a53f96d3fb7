/// The machine-readable report:
/// `{"summary": {"passed", "failed", "skipped"}, "cases": [{"suite", "id", "status",
/// "message", "max_abs_error", "max_ulp", "file", "outputs"}]}`.
///
/// Non-finite errors are written as fixture format v1 writes floats
/// (`"inf"`, `"nan"`); a missing value is `null`.
public enum JSONReport {
    public static func render(_ report: RunReport) -> String {
        var summary = JSONObject()
        summary["passed"] = .number(JSONNumber(report.passed))
        summary["failed"] = .number(JSONNumber(report.failed))
        summary["skipped"] = .number(JSONNumber(report.skipped))
        var root = JSONObject()
        root["summary"] = .object(summary)
        root["cases"] = .array(report.results.map(encode))
        if !report.unmatchedExpectedFailures.isEmpty {
            root["unmatched_expected_failures"] = .array(report.unmatchedExpectedFailures.map { .string($0) })
        }
        return JSONValue.object(root).serialized(indent: 2) + "\n"
    }

    private static func encode(_ result: CaseResult) -> JSONValue {
        var object = JSONObject()
        object["suite"] = .string(result.suite)
        object["id"] = .string(result.id)
        object["status"] = .string(result.status.rawValue)
        object["message"] = result.message.map { .string($0) } ?? .null
        object["max_abs_error"] = result.maxAbsError.map(JSONValue.float) ?? .null
        object["max_ulp"] = result.maxULP.map { .number(JSONNumber($0)) } ?? .null
        object["file"] = .string(result.file)
        object["outputs"] = .array(
            result.outputs.map { output in
                var o = JSONObject()
                o["name"] = .string(output.name)
                o["passed"] = .bool(output.passed)
                o["max_abs_error"] = output.maxAbsError.map(JSONValue.float) ?? .null
                o["max_ulp"] = output.maxULP.map { .number(JSONNumber($0)) } ?? .null
                return .object(o)
            })
        return .object(object)
    }
}
