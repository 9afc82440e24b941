import Foundation
import HeraldFeeds
import HeraldFetch

// The few places where the pipeline reads what HeraldFetch knows about requests and responses, kept together.

/// Fetch settings from the configuration.
enum FetchAdapter {
    static func configure(_ fetch: inout FetchConfiguration, config: HeraldConfig) {
        fetch.perHostDelay = config.limits.perHostDelay
        fetch.perHostFeedDelay = config.limits.perHostFeedDelay
    }
}

extension HeraldConfig {
    /// The product token robots.txt groups are matched against: the User-Agent up to its first `/` or space.
    var robotsToken: String {
        let token = userAgent.prefix { $0 != "/" && $0 != " " }
        return token.isEmpty ? "Herald" : String(token)
    }
}

extension FetchResponse {
    /// The URL a chain of permanent redirects (301/308) from the requested URL led to.
    var movedPermanentlyTo: String? { permanentURL }


    /// Cache-Control max-age (or Expires − Date), in seconds.
    var freshnessSeconds: Double? { freshnessLifetime.map(PollSchedule.seconds) }
}

extension ServerHints {
    /// What the response headers and the feed document ask for.
    init(response: FetchResponse, feed: Feed?) {
        self.init(
            ttl: feed?.ttlMinutes.map { Double($0) * 60 }, syndicationPeriod: feed?.syndicationInterval,
            freshness: response.freshnessSeconds)
    }
}
