/// A binary min-heap of (instant, key): the next wake-up of each host waiting for its delay.
struct DueTimeHeap<Key> {
    private var items: [(due: ContinuousClock.Instant, key: Key)] = []

    var count: Int { items.count }
    var first: (due: ContinuousClock.Instant, key: Key)? { items.first }

    mutating func insert(_ due: ContinuousClock.Instant, _ key: Key) {
        items.append((due, key))
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child].due < items[parent].due else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the earliest entry.
    mutating func popFirst() -> (due: ContinuousClock.Instant, key: Key)? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let top = items.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < items.count && items[left].due < items[smallest].due { smallest = left }
            if right < items.count && items[right].due < items[smallest].due { smallest = right }
            if smallest == parent { break }
            items.swapAt(parent, smallest)
            parent = smallest
        }
        return top
    }
}
