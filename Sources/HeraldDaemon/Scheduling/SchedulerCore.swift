import Foundation

/// The decisions of the feed scheduler, without I/O or clocks: which feed to poll now, when to wake up next, what a
/// reload changes. ``FeedScheduler`` owns one and carries out what it returns (the way async-http-client's
/// connection pool state machine returns actions for its caller to perform).
///
/// Rules:
/// - one due-time queue for every feed; a feed is polled by at most one poll at a time, scheduled or requested
///   (re-ingest); requested polls go first, and wait for a poll of the same feed in flight;
/// - at most `limit` polls at once; a reload changes the limit in place;
/// - a reload keeps the schedule of every feed whose id, URL, interval and options are unchanged, wherever it moved
///   in the file; new feeds, changed ones and feeds overdue at start are spread over `spreadWindow(count)`;
/// - a start honours each feed's saved `next_poll` (backoff and Retry-After included); a gone feed is not polled
///   until its URL changes or a re-ingest names it.
struct SchedulerCore: Sendable {
    /// A poll to start.
    struct Start: Sendable, Equatable {
        var feed: HeraldConfig.FeedConfig
        /// nil: a scheduled poll; otherwise the ticket of the request it serves.
        var ticket: UInt64?
    }

    private struct Slot: Sendable {
        var feed: HeraldConfig.FeedConfig
        var running = false
        /// Gone (410): not in the queue until its URL changes or a request names it.
        var parked = false
    }

    private var slots: [String: Slot] = [:]
    private var queue = DueQueue()
    /// Requested polls in arrival order (feed id, ticket).
    private var requests: [(id: String, ticket: UInt64)] = []
    private(set) var limit: Int
    private(set) var running = 0
    /// Seconds over which first polls are spread, per 1,000 feeds.
    var spreadPerThousand: Double

    init(limit: Int, spreadPerThousand: Double) {
        self.limit = max(1, limit)
        self.spreadPerThousand = max(0, spreadPerThousand)
    }

    /// Feeds known.
    var feedCount: Int { slots.count }

    /// Whether a feed is being polled now.
    func isRunning(_ id: String) -> Bool { slots[id]?.running ?? false }

    /// The window over which `count` first polls are spread.
    func spreadWindow(_ count: Int) -> Double { spreadPerThousand * Double(count) / 1000 }

    /// Brings the feed set in line with a configuration.
    /// - Parameters:
    ///   - saved: the saved due time of a feed whose stored schedule still matches its configured URL (nil when
    ///     never polled or the URL changed), and whether it is gone.
    ///   - now: the current time.
    /// - Returns: the ids of feeds removed (their polls in flight finish; nothing new starts for them), and the
    ///   tickets of requests for them that will never run (the caller fails them).
    @discardableResult
    mutating func apply(
        feeds: [HeraldConfig.FeedConfig], limit: Int, saved: (HeraldConfig.FeedConfig) -> (due: Date?, gone: Bool)?,
        now: Date
    ) -> (removed: [String], droppedTickets: [UInt64]) {
        self.limit = max(1, limit)
        let wanted = Dictionary(feeds.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var removed: [String] = []
        for id in slots.keys where wanted[id] == nil {
            removed.append(id)
            queue.remove(id)
            slots[id] = nil  // a poll in flight finishes; `finished` then finds no slot
        }
        let dropped = requests.filter { wanted[$0.id] == nil }.map(\.ticket)
        requests.removeAll { wanted[$0.id] == nil }

        var toSpread: [(feed: HeraldConfig.FeedConfig, overdue: Date?)] = []
        for feed in feeds {
            if var slot = slots[feed.id] {
                if slot.feed.sameSchedule(as: feed) {
                    slot.feed = feed  // its line or other cosmetic details may have moved
                    slots[feed.id] = slot
                    continue
                }
                // Changed URL, interval or options: a fresh start, soon.
                slot.feed = feed
                slot.parked = false
                slots[feed.id] = slot
                queue.remove(feed.id)
                if !slot.running { toSpread.append((feed, nil)) }
                continue
            }
            slots[feed.id] = Slot(feed: feed)
            switch saved(feed) {
            case .some((_, true)):
                slots[feed.id]!.parked = true
            case .some((.some(let due), false)) where due > now:
                queue.schedule(feed.id, at: due)
            case .some((let due, false)):
                toSpread.append((feed, due))
            case .none:
                toSpread.append((feed, nil))
            }
        }
        // Overdue feeds first, oldest due first, then never-polled ones in file order: spread evenly.
        let ordered = toSpread.enumerated().sorted { a, b in
            switch (a.element.overdue, b.element.overdue) {
            case (.some(let x), .some(let y)): return x != y ? x < y : a.offset < b.offset
            case (.some, .none): return true
            case (.none, .some): return false
            case (.none, .none): return a.offset < b.offset
            }
        }.map(\.element.feed)
        let window = spreadWindow(ordered.count)
        let step = ordered.count > 1 ? window / Double(ordered.count) : 0
        for (i, feed) in ordered.enumerated() {
            queue.schedule(feed.id, at: now.addingTimeInterval(step * Double(i)))
        }
        return (removed, dropped)
    }

    /// Asks for a poll of `id` outside the schedule; served before scheduled polls, after any poll of the same
    /// feed in flight. Unparks a gone feed. Returns false for an unknown feed.
    mutating func request(_ id: String, ticket: UInt64) -> Bool {
        guard slots[id] != nil else { return false }
        slots[id]!.parked = false
        requests.append((id, ticket))
        return true
    }

    /// The polls to start now (as many as the limit allows), and when to ask again (nil: only after an event).
    mutating func take(now: Date) -> (starts: [Start], wakeAt: Date?) {
        var starts: [Start] = []
        var i = 0
        while running < limit && i < requests.count {
            let request = requests[i]
            guard let slot = slots[request.id], !slot.running else {
                i += 1
                continue
            }
            requests.remove(at: i)
            begin(request.id)
            starts.append(Start(feed: slot.feed, ticket: request.ticket))
        }
        while running < limit, let id = queue.popDue(now: now) {
            guard let slot = slots[id], !slot.running, !slot.parked else { continue }
            begin(id)
            starts.append(Start(feed: slot.feed, ticket: nil))
        }
        return (starts, running < limit ? queue.peek() : nil)
    }

    private mutating func begin(_ id: String) {
        slots[id]!.running = true
        queue.remove(id)
        running += 1
    }

    /// A poll finished; `nextDue` is when the feed wants its next poll (nil: gone, do not schedule).
    mutating func finished(_ id: String, nextDue: Date?) {
        running -= 1
        guard var slot = slots[id] else { return }  // removed by a reload meanwhile
        slot.running = false
        if let nextDue {
            slot.parked = false
            queue.schedule(id, at: nextDue)
        } else {
            slot.parked = true
        }
        slots[id] = slot
    }

    /// The due time of a feed in the queue (for tests and status).
    mutating func isScheduled(_ id: String) -> Bool { queue.contains(id) }
}
