/// Whether robots.txt lets Herald fetch a URL.
public enum RobotsVerdict: Sendable, Equatable {
    /// No rule forbids the URL (or the host has no robots.txt: a 4xx answer means "no rules").
    case allowed
    /// A `Disallow` rule of the group for our User-Agent matches; `rule` is its pattern.
    case disallowed(rule: String)
    /// robots.txt could not be read (5xx, 429, network failure) and no earlier copy is cached.
    ///
    /// RFC 9309 §2.3.1.4 asks crawlers to assume complete disallow here. Herald fetches only pages that the
    /// publisher's own feed links to, one request per entry, which is an explicit invitation; refusing them for a
    /// robots.txt outage would leave articles without text for no one's benefit. Callers should therefore treat
    /// this like ``allowed`` (the host's budget still applies), and the cache asks again after an hour instead
    /// of a day.
    case unavailable(reason: String)

    /// Whether the page may be fetched under Herald's reading of ``unavailable``.
    public var permitsFetch: Bool {
        if case .disallowed = self { return false }
        return true
    }
}
