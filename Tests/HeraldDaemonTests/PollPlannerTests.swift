import Foundation
import Testing

@testable import HeraldDaemon

/// Scheduling arithmetic with a test clock: every instant is built from `t0`, never from today's date.
@Suite struct PollPlannerTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    let policy = SchedulePolicy(
        startInterval: 900, minInterval: 300, maxInterval: 86_400, jitter: 0, maxBackoff: 6 * 3600,
        permanentMaxBackoff: 86_400, unconditionalEvery: 86_400)

    func fresh() -> FeedSchedule { FeedSchedule(id: "f", configuredURL: "https://a.example/feed", interval: 900, reason: "") }

    func plan(
        _ s: FeedSchedule, _ outcome: PollOutcome, at t: Date, conditional: Bool = true, movedTo: String? = nil,
        policy: SchedulePolicy? = nil
    ) -> (FeedSchedule, [ScheduleEvent]) {
        PollPlanner.plan(
            s, outcome: outcome, conditional: conditional, movedTo: movedTo, policy: policy ?? self.policy, polledAt: t,
            now: t, random: 0)
    }

    func fetched(_ dates: [Date?], hints: ServerHints = ServerHints(), sameETag: Bool = false) -> PollOutcome {
        .fetched(status: 200, newEntryDates: dates, hints: hints, sameETag: sameETag)
    }

    func failure(_ code: String, _ cls: FailureClass, status: Int? = nil, retryAfter: Date? = nil) -> PollOutcome {
        .failed(PollFailureInfo(code: code, message: "m-\(code)", failureClass: cls, status: status, retryAfter: retryAfter))
    }

    @Test func aBusyFeedMovesTowardTheMinimumAndAQuietOneTowardTheMaximum() {
        // 48 entries over the last day: a gap of 30 min, polled every 15 min.
        let dates = (0..<48).map { Optional(t0.addingTimeInterval(-Double($0) * 1800)) }
        let (busy, _) = plan(fresh(), fetched(dates), at: t0)
        #expect(busy.interval > 850 && busy.interval <= 900)
        #expect(busy.nextPoll == t0.addingTimeInterval(busy.interval))

        // An entry a minute for an hour (seen over at least six hours) asks for 3 min: held at the minimum.
        let many = (0..<60).map { Optional(t0.addingTimeInterval(-Double($0) * 60)) }
        let (fast, _) = plan(fresh(), fetched(many), at: t0)
        #expect(fast.interval == 300)
        #expect(fast.intervalReason.contains("min_interval"))

        // A feed that never changes lengthens step by step to the maximum and stays there.
        var quiet = fresh()
        var intervals: [Double] = []
        var t = t0
        for _ in 0..<12 {
            (quiet, _) = plan(quiet, .notModified(hints: ServerHints()), at: t)
            intervals.append(quiet.interval)
            t = t.addingTimeInterval(quiet.interval)
        }
        #expect(zip(intervals, intervals.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(intervals.last == 86_400)
        #expect(quiet.intervalReason.contains("no new entries"))
    }

    @Test func oldArrivalsLeaveTheWindow() {
        var s = fresh()
        (s, _) = plan(s, fetched([nil, nil, nil, nil]), at: t0)
        #expect(s.interval < 86_400 / 2)
        // Eight days later nothing arrived since: the window is empty again.
        let later = t0.addingTimeInterval(8 * 86_400)
        (s, _) = plan(s, .notModified(hints: ServerHints()), at: later)
        #expect(s.intervalReason.contains("no new entries"))
    }

    @Test func theFeedsOrServersRequestIsAFloorWithinTheMaximum() {
        let dates = (0..<60).map { Optional(t0.addingTimeInterval(-Double($0) * 60)) }
        let (ttl, _) = plan(fresh(), fetched(dates, hints: ServerHints(ttl: 3600)), at: t0)
        #expect(ttl.interval == 3600)
        #expect(ttl.intervalReason.contains("ttl"))
        // A request of a week is capped at max_interval.
        let (week, _) = plan(fresh(), fetched(dates, hints: ServerHints(freshness: 7 * 86_400)), at: t0)
        #expect(week.interval == 86_400)
        // The longest of several requests wins.
        let hints = ServerHints(ttl: 600, syndicationPeriod: 7200, freshness: 60)
        #expect(hints.floor?.seconds == 7200)
    }

    @Test func aPinnedIntervalIsKeptButStillHonoursTheServer() {
        var p = policy
        p.pinnedInterval = 120
        let (s, _) = plan(fresh(), fetched([nil]), at: t0, policy: p)
        #expect(s.interval == 120)
        let (floored, _) = plan(fresh(), fetched([nil], hints: ServerHints(freshness: 1800)), at: t0, policy: p)
        #expect(floored.interval == 1800)
    }

    @Test func transientFailuresBackOffAndRecover() {
        var s = fresh()
        var waits: [Double] = []
        var events: [ScheduleEvent] = []
        var t = t0
        for _ in 0..<12 {
            var e: [ScheduleEvent]
            (s, e) = plan(s, failure("timeout", .transient), at: t)
            events += e
            waits.append(s.nextPoll!.timeIntervalSince(t))
            t = s.nextPoll!
        }
        #expect(waits[0] == 225)
        #expect(waits[1] == 450)
        #expect(zip(waits, waits.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(abs(waits.last! - 6 * 3600) < 0.01)
        // One event when the feed starts failing, none while the reason stays the same.
        #expect(events.count == 1)
        #expect(s.failingSince == t0)
        #expect(s.lastReasonCode == "timeout")
        let (ok, recovered) = plan(s, .notModified(hints: ServerHints()), at: t)
        #expect(!ok.failing && ok.consecutiveErrors == 0 && ok.failingSince == nil)
        #expect(recovered == [.recovered(failedPolls: 12, lastError: "m-timeout", code: "timeout")])
    }

    @Test func permanentFailuresBackOffFurtherButAreNeverDropped() {
        var s = fresh()
        var t = t0
        var last = 0.0
        for _ in 0..<20 {
            (s, _) = plan(s, failure("http_404", .permanent, status: 404), at: t)
            last = s.nextPoll!.timeIntervalSince(t)
            t = s.nextPoll!
        }
        #expect(abs(last - 86_400) < 0.01)
        #expect(s.nextPoll != nil && s.failing)
        // A transient failure of the same count waits less.
        #expect(PollPlanner.backoff(policy: policy, interval: 900, failures: 3, failureClass: .permanent, random: 0)
            > PollPlanner.backoff(policy: policy, interval: 900, failures: 3, failureClass: .transient, random: 0))
    }

    @Test func dnsFailuresTurnPermanentAfterADay() {
        let info = PollFailureInfo(code: "dns", message: "x", failureClass: .transient)
        #expect(PollPlanner.effectiveClass(info, failingSince: t0, now: t0.addingTimeInterval(3600)) == .transient)
        #expect(PollPlanner.effectiveClass(info, failingSince: t0, now: t0.addingTimeInterval(90_000)) == .permanent)
    }

    @Test func retryAfterIsNeverUndercut() {
        let until = t0.addingTimeInterval(7200)
        let (s, _) = plan(fresh(), failure("http_429", .transient, status: 429, retryAfter: until), at: t0)
        #expect(s.nextPoll == until)
        #expect(s.notBefore == until)
        // A success before that instant (a reingest) still schedules no earlier than it.
        let (after, _) = plan(s, .notModified(hints: ServerHints()), at: t0.addingTimeInterval(60))
        #expect(after.nextPoll! >= until)
        // Once the instant has passed it no longer applies.
        let (later, _) = plan(after, .notModified(hints: ServerHints()), at: until.addingTimeInterval(1))
        #expect(later.notBefore == nil)
    }

    @Test func goneStopsAndAMoveIsRemembered() {
        let (gone, events) = plan(fresh(), .gone(status: 410), at: t0)
        #expect(gone.gone && gone.nextPoll == nil)
        #expect(events == [.gone(url: "https://a.example/feed")])
        let (back, _) = plan(gone, .notModified(hints: ServerHints()), at: t0, conditional: false)
        #expect(!back.gone && back.nextPoll != nil)

        let (moved, movedEvents) = plan(fresh(), fetched([]), at: t0, movedTo: "https://b.example/feed")
        #expect(moved.pollURL == "https://b.example/feed")
        #expect(movedEvents == [.moved(from: "https://a.example/feed", to: "https://b.example/feed")])
        // The same move again is no new event.
        let (_, again) = plan(moved, fetched([]), at: t0, movedTo: "https://b.example/feed")
        #expect(again.isEmpty)
    }

    @Test func validatorsAreCheckedWithoutThemOnceADay() {
        var s = fresh()
        s.etag = "\"v1\""
        #expect(!PollPlanner.sendsValidators(s, policy: policy, now: t0))  // never fetched unconditionally yet
        s.lastUnconditional = t0
        #expect(PollPlanner.sendsValidators(s, policy: policy, now: t0.addingTimeInterval(3600)))
        #expect(!PollPlanner.sendsValidators(s, policy: policy, now: t0.addingTimeInterval(86_401)))
        s.validatorsTrusted = false
        #expect(!PollPlanner.sendsValidators(s, policy: policy, now: t0.addingTimeInterval(10)))
    }

    @Test func lyingValidatorsAreDetectedByTheUnconditionalFetch() {
        var s = fresh()
        s.etag = "\"v1\""
        s.lastUnconditional = t0
        (s, _) = plan(s, .notModified(hints: ServerHints()), at: t0.addingTimeInterval(3600))
        #expect(s.lastNotModified == t0.addingTimeInterval(3600))
        // The daily unconditional fetch finds an entry published before that 304: the 304 lied.
        let hidden = t0.addingTimeInterval(1800)
        let (after, events) = plan(s, fetched([hidden]), at: t0.addingTimeInterval(86_500), conditional: false)
        #expect(!after.validatorsTrusted)
        #expect(events.contains { if case .validatorsDistrusted = $0 { return true } else { return false } })
        // An entry published after the last 304 is just new: validators stay trusted.
        let (honest, _) = plan(s, fetched([t0.addingTimeInterval(7200)]), at: t0.addingTimeInterval(86_500), conditional: false)
        #expect(honest.validatorsTrusted)
        // The same ETag sent back for a changed document is a lie too.
        let (sameTag, _) = plan(s, fetched([nil], sameETag: true), at: t0.addingTimeInterval(86_500), conditional: false)
        #expect(!sameTag.validatorsTrusted)
    }

    @Test func recordsSurviveTheJournalEncoding() throws {
        var s = fresh()
        (s, _) = plan(s, failure("http_503", .transient, status: 503, retryAfter: t0.addingTimeInterval(60)), at: t0)
        let decoded = try JSONDecoder.state.decode(FeedSchedule.self, from: JSONEncoder.state.encode(s))
        #expect(decoded == s)
    }
}

extension JSONEncoder {
    static var state: JSONEncoder {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .secondsSince1970
        return e
    }
}

extension JSONDecoder {
    static var state: JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .secondsSince1970
        return d
    }
}
