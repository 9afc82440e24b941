/// One redirect hop a fetch followed.
public struct FetchRedirect: Sendable, Equatable {
    /// The redirect status (301, 302, 303, 307 or 308).
    public var status: Int
    /// The URL that answered with the redirect.
    public var from: String
    /// The absolute URL it pointed to (a relative `Location` resolved against ``from``).
    public var to: String

    /// Creates a hop record.
    public init(status: Int, from: String, to: String) {
        self.status = status
        self.from = from
        self.to = to
    }

    /// Whether the hop says the resource moved for good (301 Moved Permanently, 308 Permanent Redirect).
    public var isPermanent: Bool { status == 301 || status == 308 }

    /// The URL reached by the leading permanent hops of a chain: what a client should use from now on.
    ///
    /// A 302, 303 or 307 ends the permanent prefix (the rest of the chain may change at any time); nil when the
    /// first hop is not permanent or there are no hops.
    public static func permanentURL(of chain: [FetchRedirect]) -> String? {
        var reached: String?
        for hop in chain {
            guard hop.isPermanent else { break }
            reached = hop.to
        }
        return reached
    }
}
