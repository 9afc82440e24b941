import Foundation

/// Reads fixture files beside the tests, and finds `../shared` next to the repository when it exists.
enum FixtureLoader {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()

    static func bytes(_ name: String) throws -> [UInt8] {
        try [UInt8](Data(contentsOf: testsDirectory.appendingPathComponent("Fixtures").appendingPathComponent(name)))
    }

    /// `../shared` relative to the repository root (also one level further up, for git worktrees in a folder).
    static var sharedDirectory: URL? {
        let repoRoot = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()
        for candidate in [repoRoot.appendingPathComponent("../shared"), repoRoot.appendingPathComponent("../../shared")]
        {
            var isDirectory: ObjCBool = false
            let path = candidate.standardizedFileURL.path
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                return candidate.standardizedFileURL
            }
        }
        return nil
    }
}
