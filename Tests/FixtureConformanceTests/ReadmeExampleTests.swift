import Foundation
import Testing

/// README's "Check your own implementation" shows the downstream example's test file
/// (`Examples/PortCheck`, built and tested by `.ci/run`) character for character.
@Test func readmeShowsTheExamplesTestFile() throws {
    let root = BundledFixtures.packageRoot
    let example = try String(
        contentsOf: root.appendingPathComponent("Examples/PortCheck/Tests/PortedLossesTests/MultiMarginConformanceTests.swift"),
        encoding: .utf8)
    let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
    let section = try #require(readme.range(of: "## Check your own implementation").map { readme[$0.upperBound...] })
    let opening = "```swift\n// Check a Swift port"
    let start = try #require(section.range(of: opening), "README's section shows no Swift block of the example")
    let shown = section[start.lowerBound...].dropFirst("```swift\n".count)
    let end = try #require(shown.range(of: "\n```\n"))
    #expect(String(shown[..<end.lowerBound]) + "\n" == example)
}
