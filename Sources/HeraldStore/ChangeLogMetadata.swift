/// The content of `<stateDir>/log.json`: which log (epoch) `changes.ndjson` is, and when it was created.
struct ChangeLogMetadata: Codable, Sendable, Equatable {
    /// A lowercase UUID chosen when the log was created.
    var epoch: String
    /// RFC 3339 UTC creation time.
    var created: String
}
