import Foundation

/// A binary min-heap of (due time, key) with lazy removal: rescheduling a key pushes a new item with a new
/// generation, and stale items are skipped when they reach the top. Memory is one small item per scheduled key
/// (plus stale ones, compacted when they outnumber the live ones).
struct DueQueue: Sendable {
    struct Item: Sendable {
        var due: Date
        /// Insertion order breaks ties, so feeds due at the same instant go in the order they were scheduled.
        var order: UInt64
        var key: String
        var generation: UInt64
    }

    private var heap: [Item] = []
    /// The live generation of each key; an item with another generation is stale.
    private var live: [String: UInt64] = [:]
    private var nextOrder: UInt64 = 0
    private var nextGeneration: UInt64 = 0

    /// Keys scheduled (not counting stale items).
    var count: Int { live.count }

    /// Schedules `key` at `due`, replacing any earlier schedule of it.
    mutating func schedule(_ key: String, at due: Date) {
        nextGeneration &+= 1
        nextOrder &+= 1
        live[key] = nextGeneration
        push(Item(due: due, order: nextOrder, key: key, generation: nextGeneration))
        if heap.count > 64 && heap.count > 2 * live.count { compact() }
    }

    /// Unschedules `key`.
    mutating func remove(_ key: String) {
        live[key] = nil
    }

    /// Whether `key` is scheduled.
    func contains(_ key: String) -> Bool { live[key] != nil }

    /// The earliest due time of a live key.
    mutating func peek() -> Date? {
        dropStale()
        return heap.first?.due
    }

    /// Removes and returns the earliest key if it is due at `now` or before.
    mutating func popDue(now: Date) -> String? {
        dropStale()
        guard let top = heap.first, top.due <= now else { return nil }
        popTop()
        live[top.key] = nil
        return top.key
    }

    private func isLive(_ item: Item) -> Bool { live[item.key] == item.generation }

    private mutating func dropStale() {
        while let top = heap.first, !isLive(top) { popTop() }
    }

    private mutating func compact() {
        let live = self.live
        heap.removeAll { live[$0.key] != $0.generation }
        // Floyd's heap construction: linear.
        var i = heap.count / 2 - 1
        while i >= 0 {
            siftDown(i)
            i -= 1
        }
    }

    private static func less(_ a: Item, _ b: Item) -> Bool {
        a.due != b.due ? a.due < b.due : a.order < b.order
    }

    private mutating func push(_ item: Item) {
        heap.append(item)
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard Self.less(heap[i], heap[parent]) else { break }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    private mutating func popTop() {
        let last = heap.removeLast()
        guard !heap.isEmpty else { return }
        heap[0] = last
        siftDown(0)
    }

    private mutating func siftDown(_ start: Int) {
        var i = start
        while true {
            let l = 2 * i + 1
            let r = l + 1
            var smallest = i
            if l < heap.count && Self.less(heap[l], heap[smallest]) { smallest = l }
            if r < heap.count && Self.less(heap[r], heap[smallest]) { smallest = r }
            if smallest == i { return }
            heap.swapAt(i, smallest)
            i = smallest
        }
    }
}
