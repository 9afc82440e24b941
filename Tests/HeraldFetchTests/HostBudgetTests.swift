import Foundation
import Testing

@testable import HeraldFetch

/// Every rule of the politeness budget, driven by a test clock (instants are plain arithmetic on one origin).
@Suite struct HostBudgetTests {
    let t0 = ContinuousClock.now

    func at(_ seconds: Double) -> ContinuousClock.Instant { t0.advanced(by: .milliseconds(Int64(seconds * 1000))) }

    func budget(connections: Int = 2, page: Duration = .seconds(1), feed: Duration = .zero) -> HostBudget {
        HostBudget(settings: .init(connections: connections, pageDelay: page, feedDelay: feed))
    }

    @Test func pagesArePacedByTheDelay() {
        var budget = budget(connections: 4)
        #expect(budget.requestWanted(1, host: "a", kind: .page, now: at(0)).start == [1])
        #expect(budget.requestWanted(2, host: "a", kind: .page, now: at(0)).start == [])
        #expect(budget.requestWanted(3, host: "a", kind: .page, now: at(0.1)).start == [])
        #expect(budget.nextWakeUp == at(1))
        #expect(budget.due(now: at(0.999)).start == [])
        #expect(budget.due(now: at(1)).start == [2])
        #expect(budget.nextWakeUp == at(2))
        #expect(budget.due(now: at(2.5)).start == [3])  // late wake-ups start what is due, once
        #expect(budget.due(now: at(10)).start == [])
    }

    @Test func theDelayCountsFromTheRealStart() {
        var budget = budget(connections: 4)
        #expect(budget.requestWanted(1, host: "a", kind: .page, now: at(0)).start == [1])
        budget.started(1, now: at(0.02))  // the transport got to it a little later
        #expect(budget.requestWanted(2, host: "a", kind: .page, now: at(0.5)).start == [])
        #expect(budget.nextWakeUp == at(1.02))
        #expect(budget.due(now: at(1.01)).start == [])
        #expect(budget.due(now: at(1.02)).start == [2])
        budget.started(99, now: at(5))  // unknown ids are ignored
        budget.started(2, now: at(0.9))  // and a start never moves the clock back
        #expect(budget.requestWanted(3, host: "a", kind: .page, now: at(2.01)).start == [])
        #expect(budget.requestWanted(4, host: "a", kind: .page, now: at(2.02)).start == [3])
    }

    @Test func connectionLimitHoldsRequestsUntilOneFinishes() {
        var budget = budget(connections: 2, page: .zero)
        var started: [UInt64] = []
        for id in UInt64(1)...5 { started += budget.requestWanted(id, host: "a", kind: .page, now: at(0)).start }
        #expect(started == [1, 2])
        #expect(budget.nextWakeUp == nil)  // nothing waits on time, only on a slot
        #expect(budget.finished(1, outcome: .answered, now: at(0.1)).start == [3])
        #expect(budget.finished(3, outcome: .failed, now: at(0.2)).start == [4])
        #expect(budget.cancelled(2, now: at(0.3)).start == [5])
        #expect(budget.snapshot().first?.inFlight == 2)
    }

    @Test func hostsAreIndependent() {
        var budget = budget()
        #expect(budget.requestWanted(1, host: "a", kind: .page, now: at(0)).start == [1])
        #expect(budget.requestWanted(2, host: "b", kind: .page, now: at(0)).start == [2])
        #expect(budget.requestWanted(3, host: "a", kind: .page, now: at(0)).start == [])
    }

    @Test func feedsUseTheirOwnDelayAndMayPassWaitingPages() {
        var budget = budget(connections: 4)
        #expect(budget.requestWanted(1, host: "a", kind: .page, now: at(0)).start == [1])
        #expect(budget.requestWanted(2, host: "a", kind: .page, now: at(0)).start == [])
        // A feed has no delay: it starts at once, ahead of the page that waits for its delay.
        #expect(budget.requestWanted(3, host: "a", kind: .feed, now: at(0.2)).start == [3])
        #expect(budget.requestWanted(4, host: "a", kind: .robots, now: at(0.3)).start == [4])
        // The page delay counts from the latest start on the host, whatever its kind.
        #expect(budget.due(now: at(1)).start == [])
        #expect(budget.due(now: at(1.3)).start == [2])

        var paced = self.budget(connections: 4, page: .seconds(1), feed: .milliseconds(500))
        #expect(paced.requestWanted(1, host: "a", kind: .feed, now: at(0)).start == [1])
        #expect(paced.requestWanted(2, host: "a", kind: .feed, now: at(0.1)).start == [])
        #expect(paced.due(now: at(0.5)).start == [2])
    }

    @Test func waitingRequestsStartInArrivalOrder() {
        var budget = budget(connections: 1, page: .zero)
        #expect(budget.requestWanted(1, host: "a", kind: .page, now: at(0)).start == [1])
        _ = budget.requestWanted(2, host: "a", kind: .feed, now: at(0))
        _ = budget.requestWanted(3, host: "a", kind: .page, now: at(0))
        _ = budget.requestWanted(4, host: "a", kind: .feed, now: at(0))
        #expect(budget.finished(1, outcome: .answered, now: at(1)).start == [2])
        #expect(budget.finished(2, outcome: .answered, now: at(1)).start == [3])
        #expect(budget.finished(3, outcome: .answered, now: at(1)).start == [4])
    }

    @Test func theNextHopOfARedirectGoesFirst() {
        var budget = budget(connections: 1, page: .seconds(1))
        #expect(budget.requestWanted(1, host: "a", kind: .page, now: at(0)).start == [1])
        for id in UInt64(2)...5 { _ = budget.requestWanted(id, host: "a", kind: .page, now: at(0)) }
        // Request 1 redirects on the same host, and its end is seen late, when page 2 is already due: the next
        // hop still goes first.
        #expect(budget.finished(1, outcome: .answered, redirectingTo: "a", now: at(1.5)).start == [1])
        #expect(budget.finished(1, outcome: .answered, now: at(1.6)).start == [])
        #expect(budget.due(now: at(2.5)).start == [2])
        // A hop to another host goes ahead of that host's queue.
        _ = budget.requestWanted(10, host: "b", kind: .page, now: at(2.5))
        _ = budget.requestWanted(11, host: "b", kind: .page, now: at(2.5))
        #expect(budget.finished(2, outcome: .answered, redirectingTo: "b", now: at(2.6)).start == [])
        #expect(budget.finished(10, outcome: .answered, now: at(3)).start == [])  // b's delay runs to 3.5
        #expect(Set(budget.due(now: at(3.5)).start) == [3, 2])
        #expect(budget.snapshot().map(\.queued) == [2, 1])
    }

    @Test func throttlingDoublesTheDelayUpToTheCap() {
        var budget = budget(connections: 1, page: .seconds(1))
        var now = at(0)
        var expected = Duration.seconds(1)
        for round in UInt64(1)...8 {
            let actions = budget.requestWanted(round, host: "a", kind: .page, now: now)
            #expect(actions.start == [round], "round \(round)")
            _ = budget.finished(round, outcome: .throttled(retryAfter: nil), now: now)
            expected = min(expected * 2, .seconds(60))
            #expect(budget.delay(for: .page, host: "a") == expected, "round \(round)")
            // The slowdown applies to feeds too.
            #expect(budget.delay(for: .feed, host: "a") == expected)
            now = now.advanced(by: expected)
        }
        #expect(expected == .seconds(60))
    }

    @Test func throttlingWithoutAPageDelayStartsFromTheFirstSlowdown() {
        var budget = budget(connections: 1, page: .zero)
        _ = budget.requestWanted(1, host: "a", kind: .feed, now: at(0))
        _ = budget.finished(1, outcome: .throttled(retryAfter: nil), now: at(0))
        #expect(budget.delay(for: .feed, host: "a") == .seconds(1))
        _ = budget.requestWanted(2, host: "a", kind: .feed, now: at(1))
        _ = budget.finished(2, outcome: .throttled(retryAfter: nil), now: at(1))
        #expect(budget.delay(for: .feed, host: "a") == .seconds(2))
    }

    @Test func slowdownHalvesAfterSuccessesAndThenGoes() {
        var budget = budget(connections: 1, page: .seconds(1))
        var id: UInt64 = 0
        var now = at(0)
        func exchange(_ outcome: HostBudget.Outcome) {
            id += 1
            _ = budget.due(now: now)
            let started = budget.requestWanted(id, host: "a", kind: .page, now: now).start
            #expect(started == [id])
            _ = budget.finished(id, outcome: outcome, now: now)
            now = now.advanced(by: .seconds(120))
        }
        exchange(.throttled(retryAfter: nil))  // 2 s
        exchange(.throttled(retryAfter: nil))  // 4 s
        exchange(.throttled(retryAfter: nil))  // 8 s
        #expect(budget.delay(for: .page, host: "a") == .seconds(8))
        for _ in 0..<4 { exchange(.answered) }
        #expect(budget.delay(for: .page, host: "a") == .seconds(8))  // four successes are not enough
        exchange(.answered)
        #expect(budget.delay(for: .page, host: "a") == .seconds(4))
        // A throttle resets the streak.
        for _ in 0..<4 { exchange(.answered) }
        exchange(.throttled(retryAfter: nil))
        #expect(budget.delay(for: .page, host: "a") == .seconds(8))
        for _ in 0..<15 { exchange(.answered) }
        #expect(budget.delay(for: .page, host: "a") == .seconds(1))
        #expect(budget.snapshot().first?.slowdown == nil)
        // Failures are neither successes nor throttles.
        exchange(.throttled(retryAfter: nil))
        for _ in 0..<10 { exchange(.failed) }
        #expect(budget.delay(for: .page, host: "a") == .seconds(2))
    }

    @Test func retryAfterIsAFloorForEveryKind() {
        var budget = budget(connections: 4, page: .zero)
        _ = budget.requestWanted(1, host: "a", kind: .feed, now: at(0))
        _ = budget.finished(1, outcome: .throttled(retryAfter: .seconds(30)), now: at(0))
        #expect(budget.requestWanted(2, host: "a", kind: .feed, now: at(1)).start == [])
        #expect(budget.requestWanted(3, host: "a", kind: .page, now: at(1)).start == [])
        #expect(budget.nextWakeUp == at(30))
        #expect(budget.due(now: at(29.9)).start == [])
        #expect(budget.due(now: at(30)).start == [2])
        // The throttle also slowed the host down (1 s), so the page waits for that after the feed.
        #expect(budget.due(now: at(31)).start == [3])
        // A shorter Retry-After later does not shorten the floor already set.
        _ = budget.finished(2, outcome: .throttled(retryAfter: .seconds(50)), now: at(30))
        _ = budget.finished(3, outcome: .throttled(retryAfter: .seconds(5)), now: at(31))
        #expect(budget.requestWanted(4, host: "a", kind: .feed, now: at(60)).start == [])
        #expect(budget.due(now: at(80)).start == [4])
        #expect(budget.snapshot().first?.blockedUntil == nil)
    }

    @Test func aFloorBeyondTheQueueWaitDefersRequests() {
        var budget = budget(connections: 4, page: .zero)
        _ = budget.requestWanted(1, host: "a", kind: .feed, now: at(0))
        _ = budget.requestWanted(2, host: "a", kind: .page, now: at(0))
        #expect(budget.finished(1, outcome: .throttled(retryAfter: .seconds(3600)), now: at(0)).deferred == [])
        let actions = budget.requestWanted(3, host: "a", kind: .page, now: at(1))
        #expect(actions.start == [])
        #expect(actions.deferred == [.init(id: 3, host: "a", until: at(3600))])
        // Request 2 was already in flight and ends normally; the floor stays.
        #expect(budget.finished(2, outcome: .answered, now: at(2)) == .none)
        #expect(budget.requestWanted(4, host: "b", kind: .page, now: at(2)).start == [4])
        #expect(budget.requestWanted(5, host: "a", kind: .page, now: at(3600)).start == [5])
    }

    @Test func crawlDelayRaisesOnlyThePageDelayAndIsCapped() {
        var budget = budget(connections: 4, page: .seconds(1))
        _ = budget.setCrawlDelay(.seconds(5), host: "a", now: at(0))
        #expect(budget.delay(for: .page, host: "a") == .seconds(5))
        #expect(budget.delay(for: .feed, host: "a") == .zero)
        #expect(budget.requestWanted(1, host: "a", kind: .page, now: at(0)).start == [1])
        #expect(budget.requestWanted(2, host: "a", kind: .page, now: at(1)).start == [])
        #expect(budget.nextWakeUp == at(5))
        // Lowering the crawl delay releases a waiting page at once.
        #expect(budget.setCrawlDelay(.seconds(2), host: "a", now: at(3)).start == [2])
        _ = budget.setCrawlDelay(.seconds(86_400), host: "a", now: at(3))
        #expect(budget.delay(for: .page, host: "a") == .seconds(60))
        _ = budget.setCrawlDelay(.milliseconds(100), host: "a", now: at(3))
        #expect(budget.delay(for: .page, host: "a") == .seconds(1))  // never below the configured delay
    }

    @Test func cancelledWaitingRequestsNeverStart() {
        var budget = budget(connections: 1, page: .zero)
        _ = budget.requestWanted(1, host: "a", kind: .page, now: at(0))
        _ = budget.requestWanted(2, host: "a", kind: .page, now: at(0))
        _ = budget.requestWanted(3, host: "a", kind: .page, now: at(0))
        #expect(budget.cancelled(2, now: at(0)) == .none)
        #expect(budget.finished(1, outcome: .answered, now: at(0)).start == [3])
        #expect(budget.cancelled(99, now: at(0)) == .none)
        #expect(budget.finished(99, outcome: .answered, now: at(0)) == .none)
        #expect(budget.finished(1, outcome: .answered, now: at(0)) == .none)  // a second finish is ignored
    }

    @Test func idleHostsAreForgotten() {
        var budget = budget(connections: 1, page: .seconds(1))
        var now = at(0)
        for id in UInt64(1)...2000 {
            let host = "host\(id)"
            #expect(budget.requestWanted(id, host: host, kind: .page, now: now).start == [id])
            _ = budget.finished(id, outcome: .answered, now: now)
            now = now.advanced(by: .milliseconds(10))
        }
        // Only hosts whose delay has not run out (100 per second here) may remain, plus one sweep's worth.
        #expect(budget.hostCount < 400)
    }

    @Test func queueWorkGrowsLinearlyWithRequests() {
        // 10× the requests on one host costs about 10× the wake-ups, never the square.
        func wakeUps(_ count: UInt64) -> Int {
            var budget = budget(connections: 1, page: .seconds(1))
            for id in 1...count { _ = budget.requestWanted(id, host: "a", kind: .page, now: at(0)) }
            var now = at(0)
            var wakeUps = 0
            var current: UInt64? = 1
            while let id = current {
                var started = budget.finished(id, outcome: .answered, now: now).start
                while started.isEmpty, let wake = budget.nextWakeUp {
                    now = wake
                    started = budget.due(now: now).start
                    wakeUps += 1
                }
                current = started.first
            }
            #expect(now == at(Double(count - 1)))
            return wakeUps
        }
        #expect(wakeUps(100) == 99)
        #expect(wakeUps(1000) == 999)
    }

    @Test func aLongQueueOnOneHostCostsLinearTime() {
        // Ten times the queue may cost about ten times as much; a queue copied on every event would cost a
        // hundred times. Measured in this thread's CPU time (not wall time, which other processes stretch), the
        // least of three runs, against a generous bound (40×).
        func cost(_ count: UInt64) -> Duration {
            var budget = budget(connections: 1, page: .zero)
            return threadCPUTime {
                for id in 1...count { _ = budget.requestWanted(id, host: "a", kind: .page, now: at(0)) }
                var current: UInt64? = 1
                while let id = current { current = budget.finished(id, outcome: .answered, now: at(0)).start.first }
            }
        }
        _ = cost(1000)  // warm up
        let small = (0..<3).map { _ in cost(3000) }.min()!
        let large = (0..<3).map { _ in cost(30_000) }.min()!
        #expect(large < small * 40, "3,000 requests: \(small), 30,000: \(large)")
    }
}

/// The CPU time the calling thread spends in `work` (synchronous, so it stays on one thread).
func threadCPUTime(_ work: () -> Void) -> Duration {
    func now() -> Duration {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return .seconds(Int64(spec.tv_sec)) + .nanoseconds(Int64(spec.tv_nsec))
    }
    let start = now()
    work()
    return now() - start
}
