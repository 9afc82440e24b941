import Synchronization

/// An in-memory index of article sketches that finds the stored article a new text nearly duplicates.
///
/// Candidates come from MinHash LSH banding (one hash table per band; two sketches are candidates when one band
/// agrees exactly) and are kept only if their estimated similarity reaches ``threshold``. With the default
/// threshold of 0.5 the index uses 32 bands of 4 rows. A lookup costs a few dozen hash-table probes regardless
/// of the number of stored articles.
///
/// Memory per entry is 128 bytes of signature, the id bytes plus 10 bytes, 8–16 bytes of id table and 4 × bands
/// × 1.4–2 bytes of band tables: 330–400 MB for a million entries with 17-byte ids at the default threshold.
///
/// Thread safety: all methods are safe to call from any thread or task; a mutex serialises them (lookups
/// included), so the index is `Sendable` and can be shared by reference.
public final class NearDuplicateIndex: Sendable {
    let storage: Mutex<IndexStorage>

    /// The similarity (estimated Jaccard, in (0, 1]) a stored sketch must reach to be reported as a match.
    public let threshold: Double
    /// Number of LSH bands (hash tables).
    public let bands: Int
    /// Number of sketch values per band.
    public let rows: Int

    /// The default threshold: texts sharing at least half of their 5-word shingles.
    public static let defaultThreshold = 0.5

    /// Creates an empty index with a threshold and the band layout chosen for it.
    ///
    /// - Parameter threshold: similarity in (0, 1] at or above which a stored article is a near-duplicate.
    ///   Values outside that range are a programming error; validate configuration with
    ///   ``init(threshold:bands:rows:)`` when the value comes from a user.
    public convenience init(threshold: Double = NearDuplicateIndex.defaultThreshold) {
        precondition(threshold > 0 && threshold <= 1, "near-duplicate threshold must be in (0, 1]")
        self.init(layout: BandLayout.forThreshold(threshold))
    }

    /// Checks a threshold taken from configuration.
    ///
    /// - Throws: ``SimilarityError`` (`.invalidArgument`) unless `threshold` is in (0, 1].
    public static func validate(threshold: Double) throws {
        try BandLayout(threshold: threshold, bands: 1, rows: 1).validate()
    }

    /// Creates an empty index with an explicit band layout.
    ///
    /// - Throws: ``SimilarityError`` (`.invalidArgument`) if the threshold is not in (0, 1] or
    ///   `bands × rows` exceeds ``TextSketch/hashCount``.
    public convenience init(threshold: Double, bands: Int, rows: Int) throws {
        let layout = BandLayout(threshold: threshold, bands: bands, rows: rows)
        try layout.validate()
        self.init(layout: layout)
    }

    init(storage: IndexStorage) {
        threshold = storage.layout.threshold
        bands = storage.layout.bands
        rows = storage.layout.rows
        self.storage = Mutex(storage)
    }

    convenience init(layout: BandLayout) {
        self.init(storage: IndexStorage(layout: layout))
    }

    /// Number of stored articles.
    public var count: Int {
        storage.withLock { $0.count }
    }

    /// Bytes held by the index's arrays (signatures, ids and hash tables), excluding allocator overhead.
    public var memoryBytes: Int {
        storage.withLock { storage in
            storage.signatures.capacity + storage.idOffsets.capacity * 4 + storage.idLengths.capacity * 2
                + storage.idHashes.capacity * 4 + storage.idArena.capacity + storage.bandSlots.capacity * 4
                + storage.idSlots.capacity * 8
        }
    }

    /// Whether an article is stored under `id`.
    public func contains(id: String) -> Bool {
        storage.withLock { $0.entry(forID: id) != nil }
    }

    /// Stores the sketch of an article, replacing any sketch stored under the same id.
    ///
    /// An empty sketch (a text without words) matches nothing and is not stored; inserting one only removes a
    /// previous sketch with that id. Ids longer than 65,535 UTF-8 bytes are a programming error.
    public func insert(id: String, sketch: TextSketch) {
        storage.withLock { storage in
            if let existing = storage.entry(forID: id) { storage.remove(entry: existing) }
            guard !sketch.isEmpty else { return }
            do {
                try storage.append(id: id, signature: sketch.values)
            } catch {
                preconditionFailure("\(error)")
            }
        }
    }

    /// The stored article most similar to `sketch` among those at or above ``threshold``, if any.
    ///
    /// - Parameters:
    ///   - sketch: the sketch of the new text.
    ///   - excluding: an id never to report (typically the new article's own id when it is already stored).
    /// - Returns: the best match (on equal similarity, the smallest id), or nil.
    public func bestMatch(for sketch: TextSketch, excluding: String? = nil) -> NearDuplicateMatch? {
        guard sketch.values.count == TextSketch.hashCount else { return nil }
        return storage.withLock { storage -> NearDuplicateMatch? in
            let excludedEntry = excluding.flatMap { storage.entry(forID: $0) }
            let found = sketch.values.withUnsafeBufferPointer { query in
                storage.bestMatch(for: query.baseAddress!, excluding: excludedEntry)
            }
            guard let found else { return nil }
            return NearDuplicateMatch(
                id: storage.id(ofEntry: found.entry), similarity: TextSketcher.estimate(agreeing: found.agreeing))
        }
    }

    /// Sizes the hash tables for at least `count` articles now, so that inserting up to that many causes no
    /// table growth (growing rebuilds every table while holding the lock: about a second at a million entries).
    public func reserveCapacity(_ count: Int) {
        storage.withLock { storage in
            let needed = Int((Double(count) / IndexStorage.maximumLoad).rounded(.up)) + 1
            if needed > storage.capacity { storage.rebuildTables(capacity: needed) }
        }
    }

    /// Removes the article stored under `id`; does nothing if there is none.
    public func remove(id: String) {
        storage.withLock { storage in
            if let entry = storage.entry(forID: id) { storage.remove(entry: entry) }
        }
    }
}
