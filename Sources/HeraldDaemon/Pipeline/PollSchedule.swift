import Foundation

/// Scheduling arithmetic: intervals with jitter, and backoff for failing feeds. Pure functions.
enum PollSchedule {
    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// The wait until the next poll after a success: the feed's interval ± jitter.
    static func nextInterval(
        config: HeraldConfig, feed: HeraldConfig.FeedConfig, random: Double = Double.random(in: -1...1)
    ) -> Double {
        let base = seconds(config.interval(of: feed))
        return max(1, base * (1 + config.jitter * random))
    }

    /// The wait after the n-th consecutive failure: the interval divided by 4, doubled per failure, at least 30 s
    /// (or the interval, when that is shorter), at most `limits.max_backoff` (default 6 h), plus jitter.
    static func backoff(
        config: HeraldConfig, feed: HeraldConfig.FeedConfig, failures: Int, random: Double = Double.random(in: 0...1)
    ) -> Double {
        let interval = seconds(config.interval(of: feed))
        let base = max(min(30, interval), interval / 4)
        let exponent = Double(min(max(failures - 1, 0), 20))
        let capped = min(base * pow(2, exponent), seconds(config.limits.maxBackoff))
        return capped * (1 + 0.1 * random)
    }
}
