import Foundation
import HeraldFeeds
import HeraldFetch

// The few places where the pipeline reads what HeraldFetch knows about requests and responses, kept together.

/// Fetch settings from the configuration.
enum FetchAdapter {
    static func configure(_ fetch: inout FetchConfiguration, config: HeraldConfig) {}
}

extension FetchRequest {
    /// Marks a feed request (the host budget's feed rules apply).
    mutating func markAsFeed() {}

    /// Marks an article page request found in the feed at `feedURL`.
    mutating func markAsPage(feedURL: String) {}
}

extension FetchResponse {
    /// The URL a chain of permanent redirects (301/308) from the requested URL led to.
    var movedPermanentlyTo: String? { nil }

    /// Retry-After (seconds or an HTTP date) as an instant.
    func retryAfterDate(now: Date) -> Date? {
        guard let value = headers.first(where: { $0.key.lowercased() == "retry-after" })?.value else { return nil }
        if let seconds = Double(value.trimmingCharacters(in: .whitespaces)), seconds >= 0 {
            return now.addingTimeInterval(min(seconds, 7 * 86_400))
        }
        return nil
    }

    /// Cache-Control max-age, in seconds.
    var freshnessSeconds: Double? {
        guard let value = headers.first(where: { $0.key.lowercased() == "cache-control" })?.value.lowercased() else {
            return nil
        }
        for part in value.split(separator: ",") {
            let item = part.trimmingCharacters(in: .whitespaces)
            if item.hasPrefix("max-age="), let n = Double(item.dropFirst(8)) { return n }
        }
        return nil
    }
}

extension Fetcher {
    /// Why robots.txt refuses `url` to Herald, nil when it allows it.
    func robotsRefusal(for url: String, userAgent: String) async -> String? { nil }
}

/// Canonical article URLs: the same story reached by two links is one article.
enum ArticleURL {
    static func canonical(_ url: String) -> String { url }
}

extension ServerHints {
    /// What the response headers and the feed document ask for.
    init(response: FetchResponse, feed: Feed?, now: Date) {
        self.init(ttl: nil, syndicationPeriod: nil, freshness: response.freshnessSeconds)
    }
}
