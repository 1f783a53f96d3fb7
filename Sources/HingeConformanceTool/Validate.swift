import ArgumentParser
import Foundation
import HingeConformance

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check fixture files against format v1 without running any case.",
        discussion: "Prints every problem, one line each, naming the file, the case and the field; exits 1 if any file is invalid.")

    @OptionGroup var fixtures: FixtureOptions

    func run() throws {
        var valid = 0
        var invalid = 0
        for path in try fixtures.resolvedPaths() {
            for file in FixtureLoader.expand(path) {
                let errors: [FixtureError]
                switch file {
                case .failure(let error): errors = [error]
                case .success(let filePath):
                    guard let data = FileManager.default.contents(atPath: filePath) else {
                        errors = [FixtureError(file: filePath, field: "", message: "cannot read the file")]
                        break
                    }
                    errors = FixtureDecoder.validate([UInt8](data), path: filePath)
                }
                if errors.isEmpty {
                    valid += 1
                } else {
                    invalid += 1
                    for error in errors { print(error.description) }
                }
            }
        }
        print("\(valid) valid, \(invalid) invalid")
        if invalid > 0 { throw ExitCode.failure }
    }
}
