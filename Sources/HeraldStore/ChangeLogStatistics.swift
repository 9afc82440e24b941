/// Counters kept by a ``ChangeLog`` since it was opened.
public struct ChangeLogStatistics: Sendable, Equatable {
    /// Events written and made durable.
    public var events: UInt64 = 0
    /// Batches written by the writer thread (each ends with one `fdatasync` of the active segment).
    public var batches: UInt64 = 0
    /// `fdatasync`/`fsync` calls on segment files (rotation adds one for the sealed segment).
    public var syncs: UInt64 = 0
    /// Segments started by rotation.
    public var rotations: UInt64 = 0
    /// Events whose `data` went to a payload file.
    public var payloadFiles: UInt64 = 0

    /// All zero.
    public init() {}
}
