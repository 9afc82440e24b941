import Foundation
import Logging

@testable import HeraldStore

/// A fresh temporary directory, removed when the test body returns.
func withTemporaryDirectory<R>(_ body: (String) throws -> R) throws -> R {
    let path = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}

/// Async variant of ``withTemporaryDirectory(_:)``.
func withTemporaryDirectory<R>(_ body: (String) async throws -> R) async throws -> R {
    let path = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try await body(path)
}

private func makeTemporaryDirectory() throws -> String {
    let base = FileManager.default.temporaryDirectory.path
    let path = "\(base)/herald-store-tests-\(UUID().uuidString.lowercased())"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    return path
}

/// Names of the entries in `directory`, sorted.
func directoryEntries(_ directory: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
}

/// Raw bytes of a file.
func fileBytes(_ path: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
}

/// Appends raw bytes to a file, creating it if needed.
func appendRaw(_ bytes: [UInt8], to path: String) throws {
    if !FileManager.default.fileExists(atPath: path) {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
    }
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    defer { try? handle.close() }
    try handle.seekToEnd()
    try handle.write(contentsOf: Data(bytes))
}

/// The lines of a file (split on "\n", without the trailing empty piece).
func fileLines(_ path: String) throws -> [String] {
    var lines = String(decoding: try fileBytes(path), as: UTF8.self).components(separatedBy: "\n")
    if lines.last == "" { lines.removeLast() }
    return lines
}

/// A logger that records messages, to check warnings.
final class RecordingLogHandler: LogHandler, @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [(Logger.Level, String)] = []
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        lock.withLock { recorded.append((event.level, event.message.description)) }
    }

    var messages: [(level: Logger.Level, message: String)] {
        lock.withLock { recorded.map { (level: $0.0, message: $0.1) } }
    }
}

func makeLogger(_ handler: RecordingLogHandler = RecordingLogHandler()) -> Logger {
    Logger(label: "herald.store.tests") { _ in handler }
}
