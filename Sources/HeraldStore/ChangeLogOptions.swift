/// How the change log rotates, commits and retains segments.
public struct ChangeLogOptions: Sendable {
    /// Start a new segment before a write would make the active one larger than this.
    public var segmentMaxBytes: Int = 64 << 20
    /// Start a new segment when the active one's first event is older than this (checked at each write).
    public var segmentMaxAge: Duration = .seconds(86_400)
    /// The longest the writer waits for more events to share one `fdatasync` (0: never waits).
    public var commitDelay: Duration = .milliseconds(2)
    /// The longest line (including its newline); an event whose line would be longer has its `data` stored in
    /// `changes/payloads/<seq>.json` and replaced by `{"payload_ref": …, "payload_bytes": N}`.
    public var maxLineBytes: Int = 1 << 20
    /// Keep at most this many segments, the active one included (nil: no limit). At least 1.
    public var retainSegments: Int? = nil
    /// Delete sealed segments whose last write is older than this (nil: no limit).
    public var retainAge: Duration? = nil

    /// The defaults: 64 MiB or one day per segment, 2 ms commit delay, 1 MiB lines, keep everything.
    public init() {}
}
