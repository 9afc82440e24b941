import Foundation
import Testing

@testable import HeraldDaemon

@Suite struct SchedulerCoreTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func feeds(_ n: Int) -> [HeraldConfig.FeedConfig] {
        (0..<n).map { HeraldConfig.FeedConfig(id: "f\($0)", url: "https://h\($0 % 3).example/\($0)", line: $0 + 1) }
    }

    @Test func firstPollsAreSpreadOverTheWindow() {
        var core = SchedulerCore(limit: 100, spreadPerThousand: 60)
        core.apply(feeds: feeds(20), limit: 100, saved: { _ in nil }, now: t0)
        // 20 feeds: a window of 1.2 s, one feed every 60 ms, so only the first is due at once.
        let taken1 = core.take(now: t0).starts
        #expect(taken1.map(\.feed.id) == ["f0"])
        let all = core.take(now: t0.addingTimeInterval(1.2)).starts.count
        #expect(all == 19)
    }

    @Test func aReloadWithoutChangesPollsNothingWhateverMovedInTheFile() {
        var core = SchedulerCore(limit: 10, spreadPerThousand: 0)
        let original = feeds(5)
        core.apply(feeds: original, limit: 10, saved: { _ in (self.t0.addingTimeInterval(600), false) }, now: t0)
        let taken2 = core.take(now: t0).starts
        #expect(taken2.isEmpty)
        // The same feeds, shuffled, each one line lower (a comment added on top).
        let moved = original.reversed().map { f -> HeraldConfig.FeedConfig in
            var f = f
            f.line += 1
            return f
        }
        core.apply(feeds: moved, limit: 10, saved: { _ in nil }, now: t0.addingTimeInterval(1))
        let taken3 = core.take(now: t0.addingTimeInterval(1)).starts
        #expect(taken3.isEmpty)
        let taken4 = core.take(now: t0.addingTimeInterval(600)).starts
        #expect(taken4.count == 5)
    }

    @Test func aChangedFeedIsPolledAgainAndANewOneSoon() {
        var core = SchedulerCore(limit: 10, spreadPerThousand: 0)
        var list = feeds(3)
        core.apply(feeds: list, limit: 10, saved: { _ in (self.t0.addingTimeInterval(600), false) }, now: t0)
        list[1].url = "https://moved.example/feed"
        list.append(HeraldConfig.FeedConfig(id: "new", url: "https://n.example/feed"))
        core.apply(feeds: list, limit: 10, saved: { _ in nil }, now: t0)
        #expect(Set(core.take(now: t0).starts.map(\.feed.id)) == ["f1", "new"])
    }

    @Test func aStartHonoursSavedSchedulesAndSpreadsOverdueFeeds() {
        var core = SchedulerCore(limit: 100, spreadPerThousand: 1000)
        let list = feeds(10)
        // f0..f4 are due in an hour (a backoff, say); f5..f9 were due while the daemon was down.
        core.apply(feeds: list, limit: 100, saved: { f in
            let n = Int(f.id.dropFirst())!
            return n < 5 ? (self.t0.addingTimeInterval(3600), false) : (self.t0.addingTimeInterval(-Double(n)), false)
        }, now: t0)
        let first = core.take(now: t0).starts.map(\.feed.id)
        #expect(first == ["f9"])  // the most overdue first; the rest spread over 5 s (1000 s per 1000 feeds)
        let taken5 = core.take(now: t0.addingTimeInterval(5)).starts
        #expect(taken5.count == 4)
        let taken6 = core.take(now: t0.addingTimeInterval(3599)).starts
        #expect(taken6.isEmpty)
        let taken7 = core.take(now: t0.addingTimeInterval(3600)).starts
        #expect(taken7.count == 5)
    }

    @Test func theLimitHoldsAndAReloadResizesIt() {
        var core = SchedulerCore(limit: 2, spreadPerThousand: 0)
        let list = feeds(6)
        core.apply(feeds: list, limit: 2, saved: { _ in nil }, now: t0)
        let taken8 = core.take(now: t0).starts
        #expect(taken8.count == 2)
        let taken9 = core.take(now: t0).starts
        #expect(taken9.isEmpty)
        core.apply(feeds: list, limit: 4, saved: { _ in nil }, now: t0)
        let taken10 = core.take(now: t0).starts
        #expect(taken10.count == 2)
        #expect(core.running == 4)
    }

    @Test func aFeedIsNeverPolledTwiceAtOnce() {
        var core = SchedulerCore(limit: 10, spreadPerThousand: 0)
        core.apply(feeds: feeds(1), limit: 10, saved: { _ in nil }, now: t0)
        let first = core.take(now: t0).starts
        #expect(first.count == 1 && first[0].ticket == nil)
        // A re-ingest of the same feed waits for the scheduled poll in flight.
        let accepted = core.request("f0", ticket: 7)
        #expect(accepted)
        let taken11 = core.take(now: t0).starts
        #expect(taken11.isEmpty)
        core.finished("f0", nextDue: t0)
        let next = core.take(now: t0).starts
        #expect(next.map(\.ticket) == [7])  // the request goes first; the due poll waits for it
        core.finished("f0", nextDue: t0.addingTimeInterval(900))
        let taken12 = core.take(now: t0).starts
        #expect(taken12.isEmpty)
        let unknown = core.request("unknown", ticket: 8)
        #expect(!unknown)
    }

    @Test func goneFeedsStayParkedUntilAskedFor() {
        var core = SchedulerCore(limit: 10, spreadPerThousand: 0)
        core.apply(feeds: feeds(2), limit: 10, saved: { f in f.id == "f0" ? (nil, true) : nil }, now: t0)
        let taken13 = core.take(now: t0.addingTimeInterval(1e6)).starts
        #expect(taken13.map(\.feed.id) == ["f1"])
        let asked = core.request("f0", ticket: 1)
        #expect(asked)
        let taken14 = core.take(now: t0).starts
        #expect(taken14.map(\.feed.id) == ["f0"])
        core.finished("f0", nextDue: nil)
        let taken15 = core.take(now: t0.addingTimeInterval(1e6)).starts
        #expect(taken15.isEmpty)
    }

    @Test func removedFeedsStop() {
        var core = SchedulerCore(limit: 10, spreadPerThousand: 0)
        core.apply(feeds: feeds(3), limit: 10, saved: { _ in nil }, now: t0)
        _ = core.take(now: t0)
        let asked = core.request("f2", ticket: 9)
        #expect(asked)
        let (removed, dropped) = core.apply(feeds: Array(feeds(3).prefix(1)), limit: 10, saved: { _ in nil }, now: t0)
        #expect(Set(removed) == ["f1", "f2"])
        #expect(dropped == [9], "a request for a removed feed is handed back to be failed")
        core.finished("f1", nextDue: t0)
        core.finished("f0", nextDue: t0)
        let taken16 = core.take(now: t0).starts
        #expect(taken16.map(\.feed.id) == ["f0"])
    }

    @Test func aHundredThousandFeedsAreOnlyMemory() {
        var core = SchedulerCore(limit: 8, spreadPerThousand: 60)
        core.apply(feeds: feeds(100_000), limit: 8, saved: { _ in nil }, now: t0)
        #expect(core.feedCount == 100_000)
        // Spread over 100 minutes: at the start only the first is due, at the end all have been offered.
        let taken17 = core.take(now: t0).starts
        #expect(taken17.count == 1)
    }

    @Test func dueQueueOrdersByTimeThenInsertion() {
        var q = DueQueue()
        for i in 0..<1000 { q.schedule("k\(i)", at: t0.addingTimeInterval(Double((i * 7919) % 1000))) }
        for i in stride(from: 0, to: 1000, by: 2) { q.schedule("k\(i)", at: t0.addingTimeInterval(5000)) }
        for i in stride(from: 1, to: 1000, by: 4) { q.remove("k\(i)") }
        var popped: [String] = []
        var last = t0.addingTimeInterval(-1)
        var ordered = true
        while let top = q.peek(), let key = q.popDue(now: t0.addingTimeInterval(1e9)) {
            ordered = ordered && top >= last
            last = top
            popped.append(key)
        }
        #expect(ordered)
        #expect(popped.count == 1000 - 250)
        #expect(Set(popped).count == popped.count)
        #expect(popped.suffix(500).allSatisfy { Int($0.dropFirst())! % 2 == 0 })
    }
}
