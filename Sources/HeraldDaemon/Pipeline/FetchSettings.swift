import Foundation
import HeraldFeeds
import HeraldFetch

// What the pipeline derives from the configuration and from a response for HeraldFetch and the planner.

extension HeraldConfig {
    /// The product token robots.txt groups are matched against: the User-Agent up to its first `/` or space.
    var robotsToken: String {
        let token = userAgent.prefix { $0 != "/" && $0 != " " }
        return token.isEmpty ? "Herald" : String(token)
    }
}

extension ServerHints {
    /// What the response headers and the feed document ask for.
    init(response: FetchResponse, feed: Feed?) {
        self.init(
            ttl: feed?.ttlMinutes.map { Double($0) * 60 }, syndicationPeriod: feed?.syndicationInterval,
            freshness: response.freshnessLifetime.map(PollSchedule.seconds))
    }
}
