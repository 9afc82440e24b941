import Foundation

/// A request on the control socket: one JSON object on one line.
public struct ControlRequest: Codable, Sendable, Equatable {
    /// `reingest` or `ping`.
    public var op: String
    public var all: Bool?
    public var feed: String?
    public var url: String?

    public init(op: String, all: Bool? = nil, feed: String? = nil, url: String? = nil) {
        self.op = op
        self.all = all
        self.feed = feed
        self.url = url
    }

    /// The re-ingest scope named by this request.
    public var scope: ReingestScope? {
        if all == true { return .all }
        if let feed { return .feed(feed) }
        if let url { return .url(url) }
        return nil
    }

    public init(scope: ReingestScope) {
        switch scope {
        case .all: self.init(op: "reingest", all: true)
        case .feed(let id): self.init(op: "reingest", feed: id)
        case .url(let url): self.init(op: "reingest", url: url)
        }
    }
}

/// The answer on the control socket: one JSON object on one line.
public struct ControlResponse: Codable, Sendable, Equatable {
    public var ok: Bool
    public var error: String?
    public var reingest: ReingestResult?
    public var pid: Int32?

    public init(ok: Bool, error: String? = nil, reingest: ReingestResult? = nil, pid: Int32? = nil) {
        self.ok = ok
        self.error = error
        self.reingest = reingest
        self.pid = pid
    }
}
