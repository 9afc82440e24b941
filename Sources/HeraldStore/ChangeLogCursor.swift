/// A reader's position in the change log: the epoch and seq of the last event it processed.
///
/// Stored by `herald tail --cursor FILE` as `{"epoch":"…","seq":N}`, rewritten atomically after each batch.
public struct ChangeLogCursor: Codable, Sendable, Equatable {
    /// The epoch of the event at ``seq`` (empty when ``seq`` is 0).
    public var epoch: String
    /// The last seq processed (0: nothing yet).
    public var seq: UInt64

    /// Creates a cursor.
    public init(epoch: String, seq: UInt64) {
        self.epoch = epoch
        self.seq = seq
    }

    /// Reads a cursor file; nil when it does not exist.
    /// - Throws: ``StoreError`` `.corrupt` when the file is not a cursor.
    public static func load(from path: String) throws -> ChangeLogCursor? {
        guard let bytes = try AtomicFile.read(path) else { return nil }
        return try StateJSON.decode(ChangeLogCursor.self, from: bytes, path: path)
    }

    /// Writes the cursor to `path` atomically and durably.
    public func save(to path: String) throws {
        try AtomicFile.write(try StateJSON.encode(self), to: path)
    }
}
