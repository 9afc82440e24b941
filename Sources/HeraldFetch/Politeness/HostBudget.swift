/// The politeness budget of every host: a pure state machine that decides when each request may start.
///
/// Callers report events (a request is wanted, a request finished, a host's `Crawl-delay`, time passing) and
/// get back ``Actions``: the requests to start now and the ones to fail. Nothing here does I/O or reads a
/// clock; every method takes `now`. ``nextWakeUp`` says when ``due(now:)`` must be called next.
///
/// Rules, per host (lowercased name, any port or scheme):
/// - at most ``Settings/connections`` requests in flight;
/// - a request starts no sooner than ``delay(for:)`` after the previous start: the page delay (raised to the
///   host's `Crawl-delay`, capped) for pages, the feed delay for feeds and robots.txt, and the slowdown below for
///   both when it is longer;
/// - a 429 or 503 doubles the host's slowdown (from at least ``Settings/firstSlowdown`` up to
///   ``Settings/maximumDelay``), and its `Retry-After` is a floor: nothing starts before that instant;
/// - the slowdown halves after every ``Settings/successesPerHalving`` answers in a row that are not 429/503,
///   and goes once it is no longer than the page delay. It decays with traffic, not with time: an idle host
///   has shown nothing, so its first requests after a pause still go at the slowed pace;
/// - a wanted request whose host's floor is more than ``Settings/maximumQueueWait`` away is failed at once
///   (``Actions/deferred``) instead of waiting;
/// - waiting requests start in arrival order, except that a request whose kind is not held back by a delay
///   (a feed, with no feed delay) may pass pages that are, and the next hop of a redirect goes first.
struct HostBudget {
    struct Settings: Sendable, Equatable {
        var connections: Int
        var pageDelay: Duration
        var feedDelay: Duration
        var maximumDelay: Duration = .seconds(60)
        var firstSlowdown: Duration = .seconds(1)
        var successesPerHalving: Int = 5
        var maximumQueueWait: Duration = .seconds(60)

        init(connections: Int, pageDelay: Duration, feedDelay: Duration) {
            self.connections = max(1, connections)
            self.pageDelay = max(.zero, pageDelay)
            self.feedDelay = max(.zero, feedDelay)
        }
    }

    /// How a started request ended, as far as the budget cares.
    enum Outcome: Equatable {
        /// A response other than 429/503.
        case answered
        /// 429 Too Many Requests or 503 Service Unavailable, with the `Retry-After` delay if one was sent.
        case throttled(retryAfter: Duration?)
        /// No response (network error, cancellation): neither a success nor a throttle.
        case failed
    }

    /// What the caller must do after an event.
    struct Actions: Equatable {
        /// Requests to hand to the transport now, in this order.
        var start: [UInt64] = []
        /// Requests to fail now, with the instant their host allows contact again.
        var deferred: [Deferred] = []

        struct Deferred: Equatable {
            var id: UInt64
            var host: String
            var until: ContinuousClock.Instant
        }

        static let none = Actions()

        mutating func append(_ other: Actions) {
            start += other.start
            deferred += other.deferred
        }
    }

    /// One host's state, for `herald status`.
    struct Snapshot: Equatable {
        var host: String
        var pageDelay: Duration
        var slowdown: Duration?
        var crawlDelay: Duration?
        var queued: Int
        var inFlight: Int
        var blockedUntil: ContinuousClock.Instant?
    }

    private struct Waiting {
        var id: UInt64
        var order: UInt64
    }

    /// A FIFO that pops from a moving head and compacts now and then.
    private struct Line {
        private var items: [Waiting] = []
        private var head = 0

        var isEmpty: Bool { head == items.count }
        var count: Int { items.count - head }
        var first: Waiting? { isEmpty ? nil : items[head] }

        mutating func append(_ item: Waiting) { items.append(item) }

        mutating func prepend(_ item: Waiting) {
            if head > 0 {
                head -= 1
                items[head] = item
            } else {
                items.insert(item, at: 0)
            }
        }

        mutating func removeFirst() -> Waiting {
            let item = items[head]
            head += 1
            if head > 64 && head * 2 > items.count {
                items.removeFirst(head)
                head = 0
            }
            return item
        }

        mutating func remove(id: UInt64) -> Bool {
            guard let index = items[head...].firstIndex(where: { $0.id == id }) else { return false }
            items.remove(at: index)
            return true
        }

        var ids: [UInt64] { items[head...].map(\.id) }
    }

    private struct Host {
        var lines: [FetchKind: Line] = [:]
        var inFlight: Set<UInt64> = []
        var lastStart: ContinuousClock.Instant?
        var slowdown: Duration?
        var successStreak = 0
        var notBefore: ContinuousClock.Instant?
        var crawlDelay: Duration?
        var scheduledWake: ContinuousClock.Instant?

        var queued: Int { lines.values.reduce(0) { $0 + $1.count } }
    }

    private(set) var settings: Settings
    private var hosts: [String: Host] = [:]
    private var hostOfRequest: [UInt64: (host: String, kind: FetchKind)] = [:]
    private var wakeUps = DueTimeHeap<String>()
    private var nextOrder: UInt64 = 0
    private var eventsSinceSweep = 0
    private var eventsBetweenSweeps = 256

    init(settings: Settings) {
        self.settings = settings
    }

    /// When ``due(now:)`` should be called next; nil when nothing waits on time.
    var nextWakeUp: ContinuousClock.Instant? { wakeUps.first?.due }

    /// How many hosts the budget holds state for (hosts with nothing to remember are dropped).
    var hostCount: Int { hosts.count }

    // MARK: - Events

    /// A request for `host` wants to start.
    mutating func requestWanted(
        _ id: UInt64,
        host: String,
        kind: FetchKind,
        now: ContinuousClock.Instant
    ) -> Actions {
        hostOfRequest[id] = (host, kind)
        nextOrder += 1
        hosts[host, default: Host()].lines[kind, default: Line()].append(Waiting(id: id, order: nextOrder))
        return pump(host, now: now)
    }

    /// The transport really started a request the budget released (a moment after the release): the host's
    /// delay counts from the later of the two, so requests never go out closer together than the delay.
    mutating func started(_ id: UInt64, now: ContinuousClock.Instant) {
        guard let (name, _) = hostOfRequest[id], hosts[name]?.inFlight.contains(id) == true else { return }
        hosts[name]!.lastStart = max(hosts[name]!.lastStart ?? now, now)
    }

    /// A started request ended.
    /// - Parameter nextHost: the request redirected and its next hop goes to this host. The hop is queued in the
    ///   same step, ahead of every waiting request (it already had its turn; it still waits for the delay and a
    ///   free connection), so no other request can take the freed place first.
    mutating func finished(
        _ id: UInt64,
        outcome: Outcome,
        redirectingTo nextHost: String? = nil,
        now: ContinuousClock.Instant
    ) -> Actions {
        guard let (name, kind) = hostOfRequest[id], hosts[name]?.inFlight.contains(id) == true else { return .none }
        hostOfRequest[id] = nil
        // Taken out of the dictionary while it changes, so its queues are never copied (copy-on-write).
        var host = hosts.removeValue(forKey: name)!
        host.inFlight.remove(id)
        switch outcome {
        case .answered:
            host.successStreak += 1
            if let slowdown = host.slowdown, host.successStreak >= settings.successesPerHalving {
                host.successStreak = 0
                let halved = slowdown / 2
                host.slowdown = halved > pageDelay(of: host) ? halved : nil
            }
        case .throttled(let retryAfter):
            host.successStreak = 0
            let current = max(host.slowdown ?? .zero, pageDelay(of: host))
            host.slowdown = min(settings.maximumDelay, max(settings.firstSlowdown, current * 2))
            if let retryAfter, retryAfter > .zero {
                let until = now.advanced(by: min(retryAfter, RetryAfter.maximumDelay))
                host.notBefore = max(host.notBefore ?? until, until)
            }
        case .failed:
            break
        }
        hosts[name] = host
        if let nextHost {
            hostOfRequest[id] = (nextHost, kind)
            hosts[nextHost, default: Host()].lines[kind, default: Line()].prepend(Waiting(id: id, order: 0))
        }
        var actions = pump(name, now: now)
        if let nextHost, nextHost != name { actions.append(pump(nextHost, now: now)) }
        actions.append(sweepNowAndThen(now: now))
        return actions
    }

    /// A request was cancelled, whether it was waiting or in flight; unknown ids are ignored.
    mutating func cancelled(_ id: UInt64, now: ContinuousClock.Instant) -> Actions {
        guard let (name, kind) = hostOfRequest.removeValue(forKey: id), hosts[name] != nil else { return .none }
        if hosts[name]!.inFlight.remove(id) == nil {
            _ = hosts[name]!.lines[kind]?.remove(id: id)
        }
        return pump(name, now: now)
    }

    /// Sets (or clears) the `Crawl-delay` a host's robots.txt asks for; it raises the page delay, capped at
    /// ``Settings/maximumDelay``.
    mutating func setCrawlDelay(_ delay: Duration?, host name: String, now: ContinuousClock.Instant) -> Actions {
        let capped = delay.map { min(max($0, .zero), settings.maximumDelay) }
        if capped == nil && hosts[name] == nil { return .none }
        hosts[name, default: Host()].crawlDelay = capped
        return pump(name, now: now)
    }

    /// Time passed: starts what became due. Call it at ``nextWakeUp`` (earlier or later is harmless).
    mutating func due(now: ContinuousClock.Instant) -> Actions {
        var actions = Actions()
        while let next = wakeUps.first, next.due <= now {
            _ = wakeUps.popFirst()
            guard hosts[next.key]?.scheduledWake == next.due else { continue }  // a stale entry
            hosts[next.key]!.scheduledWake = nil
            actions.append(pump(next.key, now: now))
        }
        return actions
    }

    // MARK: - Queries

    /// The least time between the previous start on `host` and a request of `kind`.
    func delay(for kind: FetchKind, host name: String) -> Duration {
        guard let host = hosts[name] else { return kind == .page ? settings.pageDelay : settings.feedDelay }
        return delay(for: kind, of: host)
    }

    /// Every host with something queued, in flight or remembered, sorted by name.
    func snapshot() -> [Snapshot] {
        hosts.map { name, host in
            Snapshot(
                host: name,
                pageDelay: delay(for: .page, of: host),
                slowdown: host.slowdown,
                crawlDelay: host.crawlDelay,
                queued: host.queued,
                inFlight: host.inFlight.count,
                blockedUntil: host.notBefore
            )
        }.sorted { $0.host < $1.host }
    }

    // MARK: - Rules

    private func pageDelay(of host: Host) -> Duration {
        max(settings.pageDelay, host.crawlDelay ?? .zero)
    }

    private func delay(for kind: FetchKind, of host: Host) -> Duration {
        let base = kind == .page ? pageDelay(of: host) : settings.feedDelay
        return max(base, host.slowdown ?? .zero)
    }

    /// The earliest instant a request of `kind` may start on `host`.
    private func earliestStart(_ kind: FetchKind, of host: Host) -> ContinuousClock.Instant? {
        var earliest = host.notBefore
        if let lastStart = host.lastStart {
            let paced = lastStart.advanced(by: delay(for: kind, of: host))
            earliest = max(earliest ?? paced, paced)
        }
        return earliest
    }

    /// Starts every waiting request of `name` that the rules allow now and schedules a wake-up for the rest.
    private mutating func pump(_ name: String, now: ContinuousClock.Instant) -> Actions {
        // Taken out of the dictionary while it changes, so its queues are never copied (copy-on-write).
        guard var host = hosts.removeValue(forKey: name) else { return .none }
        defer { hosts[name] = host }
        var actions = Actions()
        if let notBefore = host.notBefore {
            if notBefore <= now {
                host.notBefore = nil
            } else if notBefore > now.advanced(by: settings.maximumQueueWait) {
                for kind in FetchKind.allCases {
                    while let waiting = host.lines[kind]?.first {
                        _ = host.lines[kind]?.removeFirst()
                        hostOfRequest[waiting.id] = nil
                        actions.deferred.append(.init(id: waiting.id, host: name, until: notBefore))
                    }
                }
            }
        }
        var wake: ContinuousClock.Instant?
        while host.inFlight.count < settings.connections {
            // The oldest waiting request among those allowed to start now.
            var chosen: (kind: FetchKind, order: UInt64)?
            wake = nil
            for kind in FetchKind.allCases {
                guard let head = host.lines[kind]?.first else { continue }
                let earliest = earliestStart(kind, of: host)
                if let earliest, earliest > now {
                    wake = min(wake ?? earliest, earliest)
                } else if head.order < chosen?.order ?? .max {
                    chosen = (kind, head.order)
                }
            }
            guard let chosen else { break }
            let started = host.lines[chosen.kind]!.removeFirst()
            host.inFlight.insert(started.id)
            host.lastStart = now
            actions.start.append(started.id)
        }
        if host.inFlight.count >= settings.connections { wake = nil }  // a finish will pump again
        if let wake, host.scheduledWake.map({ $0 > wake || $0 <= now }) ?? true {
            host.scheduledWake = wake
            wakeUps.insert(wake, name)
        }
        return actions
    }

    /// Drops hosts that have nothing left to remember, every few hundred events (amortised O(1)).
    private mutating func sweepNowAndThen(now: ContinuousClock.Instant) -> Actions {
        eventsSinceSweep += 1
        guard eventsSinceSweep >= eventsBetweenSweeps else { return .none }
        eventsSinceSweep = 0
        defer { eventsBetweenSweeps = max(256, hosts.count) }
        let longest = max(settings.pageDelay, settings.feedDelay)
        hosts = hosts.filter { _, host in
            let paced = host.lastStart.map { $0.advanced(by: longest) > now } ?? false
            let blocked = host.notBefore.map { $0 > now } ?? false
            return host.queued > 0 || !host.inFlight.isEmpty || host.slowdown != nil || host.crawlDelay != nil
                || blocked || paced
        }
        return .none
    }
}
