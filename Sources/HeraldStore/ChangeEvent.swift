/// One line of the change log, in CloudEvents 1.0 structured JSON form.
///
/// Encoded with ``StateJSON`` (keys sorted), a line looks like:
/// `{"data":{...},"datacontenttype":"application/json","epoch":"E","id":"E:7","seq":7,"source":"herald",`
/// `"specversion":"1.0","subject":"feeds/x","time":"2026-11-22T04:12:33.123Z","type":"article.added"}`
public struct ChangeEvent: Codable, Sendable, Equatable {
    /// Position in the log: 1 for the first event, then contiguous.
    public var seq: UInt64
    /// `"<epoch>:<seq>"`, unique across log re-creations.
    public var id: String
    /// The UUID of the log this event belongs to (from `log.json`).
    public var epoch: String
    /// When the event was appended: RFC 3339 UTC with milliseconds, e.g. `2026-11-22T04:12:33.123Z`.
    public var time: String
    /// What happened, e.g. `article.added`.
    public var type: String
    /// What it happened to, e.g. a feed or article identifier.
    public var subject: String
    /// Event-specific payload.
    public var data: JSONValue
    /// CloudEvents spec version, always `1.0`.
    public var specversion: String = "1.0"
    /// CloudEvents source, always `herald`.
    public var source: String = "herald"
    /// Media type of ``data``, always `application/json`.
    public var datacontenttype: String = "application/json"

    /// Creates an event; `id` is derived from `epoch` and `seq`.
    public init(seq: UInt64, epoch: String, time: String, type: String, subject: String, data: JSONValue) {
        self.seq = seq
        self.id = "\(epoch):\(seq)"
        self.epoch = epoch
        self.time = time
        self.type = type
        self.subject = subject
        self.data = data
    }

    private enum CodingKeys: String, CodingKey {
        case seq, id, epoch, time, type, subject, data, specversion, source, datacontenttype
    }

    /// Decodes an event; the CloudEvents constant fields and `data` may be absent.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        seq = try c.decode(UInt64.self, forKey: .seq)
        id = try c.decode(String.self, forKey: .id)
        epoch = try c.decode(String.self, forKey: .epoch)
        time = try c.decode(String.self, forKey: .time)
        type = try c.decode(String.self, forKey: .type)
        subject = try c.decode(String.self, forKey: .subject)
        data = try c.decodeIfPresent(JSONValue.self, forKey: .data) ?? .null
        specversion = try c.decodeIfPresent(String.self, forKey: .specversion) ?? "1.0"
        source = try c.decodeIfPresent(String.self, forKey: .source) ?? "herald"
        datacontenttype = try c.decodeIfPresent(String.self, forKey: .datacontenttype) ?? "application/json"
    }
}
