import Foundation

/// A fixture file as loaded: decoded, or the reason it could not be.
public enum LoadedFixture: Sendable, Hashable {
    case file(FixtureFile)
    case unreadable(FixtureError)
}

/// Finds and decodes fixture files.
public enum FixtureLoader {
    /// Loads every path: a file as it is, a folder as all `*.json` files below
    /// it (recursively, sorted by path). A path that does not exist, a file
    /// that cannot be read and a file that breaks the format each become an
    /// ``LoadedFixture/unreadable(_:)`` entry; the others still load.
    public static func load(paths: [String]) -> [LoadedFixture] {
        var loaded: [LoadedFixture] = []
        for path in paths {
            for file in expand(path) {
                switch file {
                case .success(let filePath): loaded.append(load(file: filePath))
                case .failure(let error): loaded.append(.unreadable(error))
                }
            }
        }
        return loaded
    }

    /// Loads one file.
    public static func load(file path: String) -> LoadedFixture {
        guard let data = FileManager.default.contents(atPath: path) else {
            return .unreadable(FixtureError(file: path, field: "", message: "cannot read the file"))
        }
        do {
            return .file(try FixtureDecoder.decode([UInt8](data), path: path))
        } catch {
            return .unreadable(error)
        }
    }

    /// The fixture files a path names.
    public static func expand(_ path: String) -> [Result<String, FixtureError>] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return [.failure(FixtureError(file: path, field: "", message: "no such file or folder"))]
        }
        guard isDirectory.boolValue else { return [.success(path)] }
        guard let enumerator = FileManager.default.enumerator(atPath: path) else {
            return [.failure(FixtureError(file: path, field: "", message: "cannot list the folder"))]
        }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            if relative.hasSuffix(".json") {
                files.append((path as NSString).appendingPathComponent(relative))
            }
        }
        return files.sorted().map { .success($0) }
    }
}
