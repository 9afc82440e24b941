import Foundation
import Testing

/// Reads a fixture from the test bundle's Fixtures folder.
func fixture(_ name: String) throws -> [UInt8] {
    let dot = try #require(name.lastIndex(of: "."))
    let url = try #require(
        Bundle.module.url(
            forResource: String(name[..<dot]), withExtension: String(name[name.index(after: dot)...]),
            subdirectory: "Fixtures"))
    return [UInt8](try Data(contentsOf: url))
}

/// Seconds since 1970 of an optional date, for exact comparisons.
func epoch(_ date: Date?) -> Int64? {
    date.map { Int64($0.timeIntervalSince1970.rounded(.down)) }
}
