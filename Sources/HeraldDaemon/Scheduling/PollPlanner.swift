import Foundation

/// How one feed may be scheduled: the settings of the configuration that apply to it.
struct SchedulePolicy: Sendable, Equatable {
    /// The interval before anything is known about the feed (the configuration's `interval`).
    var startInterval: Double
    /// A feed whose configuration gives its own `interval` keeps it (server floors still apply).
    var pinnedInterval: Double?
    var minInterval: Double
    var maxInterval: Double
    /// Fraction of the interval added or removed at random.
    var jitter: Double
    /// Longest wait after transient failures, and after failures that look permanent.
    var maxBackoff: Double
    var permanentMaxBackoff: Double
    /// A fetch without validators at least this often (0: never), to catch servers whose 304s lie.
    var unconditionalEvery: Double
    /// The window over which new entries per day are counted.
    var adaptiveWindow: Double = 7 * 86_400

    init(config: HeraldConfig, feed: HeraldConfig.FeedConfig) {
        let seconds = PollSchedule.seconds
        startInterval = seconds(config.interval)
        pinnedInterval = feed.interval.map(seconds)
        minInterval = seconds(feed.minInterval ?? config.minInterval)
        maxInterval = max(seconds(feed.maxInterval ?? config.maxInterval), minInterval)
        jitter = config.jitter
        maxBackoff = seconds(config.limits.maxBackoff)
        permanentMaxBackoff = max(maxBackoff, seconds(config.limits.permanentMaxBackoff))
        unconditionalEvery = seconds(config.unconditionalEvery)
    }

    init(
        startInterval: Double, pinnedInterval: Double? = nil, minInterval: Double, maxInterval: Double,
        jitter: Double = 0, maxBackoff: Double = 6 * 3600, permanentMaxBackoff: Double = 86_400,
        unconditionalEvery: Double = 86_400
    ) {
        self.startInterval = startInterval
        self.pinnedInterval = pinnedInterval
        self.minInterval = minInterval
        self.maxInterval = maxInterval
        self.jitter = jitter
        self.maxBackoff = maxBackoff
        self.permanentMaxBackoff = permanentMaxBackoff
        self.unconditionalEvery = unconditionalEvery
    }
}

/// What a feed or its server asked about how often to poll.
struct ServerHints: Sendable, Equatable {
    /// RSS `<ttl>`, in seconds.
    var ttl: Double?
    /// `sy:updatePeriod` / `sy:updateFrequency`, as seconds between updates.
    var syndicationPeriod: Double?
    /// `Cache-Control: max-age` or `Expires` − `Date`, in seconds.
    var freshness: Double?

    /// The longest of the requests and who made it.
    var floor: (seconds: Double, by: String)? {
        var best: (Double, String)? = nil
        for (value, name) in [(ttl, "the feed's ttl"), (syndicationPeriod, "the feed's sy:updatePeriod"),
                              (freshness, "the server's Cache-Control/Expires")] {
            guard let value, value > 0 else { continue }
            if best == nil || value > best!.0 { best = (value, name) }
        }
        return best
    }
}

/// Whether a failure is likely to pass.
enum FailureClass: String, Sendable, Equatable {
    /// Timeouts, 5xx, refused connections, 429: back off and retry.
    case transient
    /// 404, 401/403, DNS failures that last, not a feed, too large: back off further, but keep polling.
    case permanent
}

/// Why a poll failed, for people and for programs (`reason_code` in `herald.feed.failed`).
struct PollFailureInfo: Sendable, Equatable {
    var code: String
    var message: String
    var failureClass: FailureClass
    var status: Int?
    /// Retry-After from a 429 or 503.
    var retryAfter: Date?
}

/// The result of one poll, as the planner needs it.
enum PollOutcome: Sendable, Equatable {
    /// 304, or a 200 whose document held nothing new.
    case notModified(hints: ServerHints)
    /// A 200 with a document; `newEntryDates` are the publication dates of the entries not seen before (nil when
    /// the entry has none), `sameETag` whether the server sent the ETag already stored.
    case fetched(status: Int, newEntryDates: [Date?], hints: ServerHints, sameETag: Bool)
    case failed(PollFailureInfo)
    /// 410 Gone.
    case gone(status: Int)
}

/// A feed-level fact that becomes a change-log event.
enum ScheduleEvent: Sendable, Equatable {
    case failed(reason: String, code: String, consecutiveErrors: Int, nextPoll: Date?)
    case recovered(failedPolls: Int, lastError: String?, code: String?)
    case moved(from: String, to: String)
    case gone(url: String)
    case validatorsDistrusted(note: String)
}

/// Scheduling arithmetic: adaptive intervals, backoff by failure class, server floors, Retry-After, gone and moved.
/// Pure: every input, the time and the random draw included, is a parameter.
enum PollPlanner {
    /// Whether the next poll sends the stored validators: not when they are distrusted, and not when the last
    /// unconditional fetch is older than `unconditionalEvery`.
    static func sendsValidators(_ schedule: FeedSchedule, policy: SchedulePolicy, now: Date) -> Bool {
        guard schedule.validatorsTrusted, schedule.etag != nil || schedule.lastModified != nil else { return false }
        guard policy.unconditionalEvery > 0 else { return true }
        guard let last = schedule.lastUnconditional else { return false }
        return now.timeIntervalSince(last) < policy.unconditionalEvery
    }

    /// The record after a poll that started at `polledAt` and ended at `now`, and the events it calls for.
    /// - Parameters:
    ///   - conditional: whether the request carried validators.
    ///   - movedTo: the URL a permanent redirect led to, if any.
    ///   - random: a draw from -1...1 for jitter.
    static func plan(
        _ schedule: FeedSchedule, outcome: PollOutcome, conditional: Bool, movedTo: String?, policy: SchedulePolicy,
        polledAt: Date, now: Date, random: Double
    ) -> (FeedSchedule, [ScheduleEvent]) {
        var s = schedule
        var events: [ScheduleEvent] = []
        s.revision += 1
        s.lastPoll = polledAt
        if !conditional { s.lastUnconditional = polledAt }
        if let movedTo, movedTo != s.pollURL {
            events.append(.moved(from: s.pollURL, to: movedTo))
            s.movedTo = movedTo
        }

        switch outcome {
        case .failed(let failure):
            s.lastStatus = failure.status
            s.consecutiveErrors += 1
            if !s.failing { s.failingSince = polledAt }
            let changed = !s.failing || s.lastError != failure.message
            s.failing = true
            s.lastError = failure.message
            s.lastReasonCode = failure.code
            let wait = backoff(
                policy: policy, interval: s.interval, failures: s.consecutiveErrors,
                failureClass: effectiveClass(failure, failingSince: s.failingSince, now: now), random: random)
            var next = now.addingTimeInterval(wait)
            if let retryAfter = failure.retryAfter {
                s.notBefore = retryAfter
                next = max(next, retryAfter)
            }
            s.nextPoll = next
            if changed {
                events.append(.failed(
                    reason: failure.message, code: failure.code, consecutiveErrors: s.consecutiveErrors, nextPoll: next))
            }
            return (s, events)

        case .gone(let status):
            s.lastStatus = status
            recover(&s, events: &events)
            s.gone = true
            s.nextPoll = nil
            events.append(.gone(url: s.pollURL))
            return (s, events)

        case .notModified(let hints):
            s.lastStatus = conditional ? 304 : 200
            if conditional { s.lastNotModified = polledAt }
            recover(&s, events: &events)
            s.gone = false
            s.lastSuccess = now
            apply(hints, to: &s, policy: policy)

        case .fetched(let status, let dates, let hints, let sameETag):
            s.lastStatus = status
            recover(&s, events: &events)
            s.gone = false
            s.lastSuccess = now
            if !dates.isEmpty {
                s.lastNewArticle = now
                for date in dates {
                    // A publication date inside the window says when the entry really arrived (this seeds the
                    // rate on a first poll); otherwise the entry arrived now.
                    let t = date.map { $0.timeIntervalSince1970 }
                        .flatMap { $0 <= now.timeIntervalSince1970 && $0 > now.timeIntervalSince1970 - policy.adaptiveWindow ? $0 : nil }
                    s.arrivals.append(t ?? now.timeIntervalSince1970)
                }
                s.arrivals.sort()
                if s.arrivals.count > FeedSchedule.maxArrivals {
                    s.arrivals.removeFirst(s.arrivals.count - FeedSchedule.maxArrivals)
                }
                if !conditional && s.validatorsTrusted && schedule.lastPoll != nil {
                    if let note = lyingValidators(schedule, newEntryDates: dates, sameETag: sameETag) {
                        s.validatorsTrusted = false
                        s.validatorsNote = note
                        events.append(.validatorsDistrusted(note: note))
                    }
                }
            }
            apply(hints, to: &s, policy: policy)
        }

        let (interval, reason) = adaptiveInterval(s, policy: policy, now: now)
        s.interval = interval
        s.intervalReason = reason
        var next = now.addingTimeInterval(max(1, interval * (1 + policy.jitter * max(-1, min(1, random)))))
        if let notBefore = s.notBefore {
            if notBefore > now { next = max(next, notBefore) } else { s.notBefore = nil }
        }
        s.nextPoll = next
        return (s, events)
    }

    /// An unconditional fetch found entries the conditional polls before it must have hidden: either the server
    /// sent back the ETag we had (so it claims nothing changed), or an entry is dated before the last 304.
    static func lyingValidators(_ before: FeedSchedule, newEntryDates: [Date?], sameETag: Bool) -> String? {
        if sameETag, before.etag != nil {
            return "the server sends the same ETag for a changed feed; validators are no longer sent"
        }
        if let last304 = before.lastNotModified, newEntryDates.contains(where: { $0.map { $0 < last304 } ?? false }) {
            return "a 304 at \(Timestamp.string(last304)) hid entries published before it; validators are no longer sent"
        }
        return nil
    }

    private static func recover(_ s: inout FeedSchedule, events: inout [ScheduleEvent]) {
        if s.failing {
            events.append(.recovered(failedPolls: s.consecutiveErrors, lastError: s.lastError, code: s.lastReasonCode))
        }
        s.failing = false
        s.failingSince = nil
        s.consecutiveErrors = 0
    }

    private static func apply(_ hints: ServerHints, to s: inout FeedSchedule, policy: SchedulePolicy) {
        if let floor = hints.floor {
            s.requestedInterval = min(floor.seconds, policy.maxInterval)
            s.requestedBy = floor.by
        } else {
            s.requestedInterval = nil
            s.requestedBy = nil
        }
    }

    /// The interval from how often the feed publishes: half the mean gap between new entries over the window,
    /// within [min, max], never below what the feed or server asked for (capped at max).
    static func adaptiveInterval(_ s: FeedSchedule, policy: SchedulePolicy, now: Date) -> (Double, String) {
        var interval: Double
        var reason: String
        if let pinned = policy.pinnedInterval {
            interval = pinned
            reason = "configured interval"
        } else {
            let t = now.timeIntervalSince1970
            let recent = s.arrivals.filter { $0 > t - policy.adaptiveWindow && $0 <= t }
            if recent.isEmpty {
                // Nothing new in the window: lengthen step by step toward the maximum.
                interval = min(policy.maxInterval, max(s.interval, policy.minInterval) * 2)
                reason = "no new entries in \(days(policy.adaptiveWindow))"
            } else {
                // Observe at least six hours (one burst is not a rate), at most the window, and no more than the
                // feed's known history.
                let span = max(6 * 3600, min(policy.adaptiveWindow, t - (recent.first ?? t)))
                let gap = span / Double(recent.count)
                interval = gap / 2
                reason = "\(recent.count) new entries in \(days(span))"
            }
            if interval < policy.minInterval {
                interval = policy.minInterval
                reason += ", held at min_interval"
            } else if interval > policy.maxInterval {
                interval = policy.maxInterval
                reason += ", held at max_interval"
            }
        }
        if let requested = s.requestedInterval, requested > interval {
            interval = requested
            reason = "\(s.requestedBy ?? "the server") asks for \(Int(requested))s"
        }
        return (interval, reason)
    }

    /// A DNS failure is transient at first and permanent once the feed has failed for a day.
    static func effectiveClass(_ failure: PollFailureInfo, failingSince: Date?, now: Date) -> FailureClass {
        if failure.code == "dns", let since = failingSince, now.timeIntervalSince(since) >= 86_400 { return .permanent }
        return failure.failureClass
    }

    /// The wait after the n-th consecutive failure. Transient: a quarter of the interval (at least 30 s, or the
    /// interval when shorter), doubled per failure, at most `maxBackoff`. Permanent: the interval doubled per
    /// failure, at most `permanentMaxBackoff`. Plus up to 10% jitter.
    static func backoff(
        policy: SchedulePolicy, interval: Double, failures: Int, failureClass: FailureClass, random: Double
    ) -> Double {
        let exponent = Double(min(max(failures - 1, 0), 30))
        let jitter = 1 + 0.1 * abs(max(-1, min(1, random)))
        switch failureClass {
        case .transient:
            let base = max(min(30, interval), interval / 4)
            return min(base * pow(2, exponent), policy.maxBackoff) * jitter
        case .permanent:
            return min(interval * pow(2, exponent), policy.permanentMaxBackoff) * jitter
        }
    }

    static func days(_ seconds: Double) -> String {
        let d = seconds / 86_400
        if d >= 1 && d == d.rounded() { return d == 1 ? "1 day" : "\(Int(d)) days" }
        if d >= 1 { return String(format: "%.1f days", d) }
        return "\(Int(seconds / 3600)) h"
    }
}
