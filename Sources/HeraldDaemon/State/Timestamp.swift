import Foundation

/// RFC 3339 timestamps in UTC, as written into state files.
enum Timestamp {
    static func string(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    static func date(_ s: String?) -> Date? {
        guard let s else { return nil }
        return try? Date(s, strategy: .iso8601)
    }
}
