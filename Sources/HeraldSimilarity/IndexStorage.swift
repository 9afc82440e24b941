/// The data behind a ``NearDuplicateIndex``: flat arrays, no per-entry objects.
///
/// Entries are numbered 0..<count and kept dense (removal moves the last entry into the hole). For entry `e`:
/// its signature is `signatures[e*128 ..< e*128+128]`, its id is `idLengths[e]` bytes of `idArena` from
/// `idOffsets[e]`, and `idHashes[e]` is a 32-bit hash of the id.
///
/// Lookup tables are open-addressing hash tables with linear probing, all of `capacity` slots (load 0.5–0.7;
/// the home slot of a 32/64-bit hash is found by multiply-shift range reduction, so the capacity need not be a
/// power of two):
/// - one table per LSH band in `bandSlots` (band `j` occupies `bandSlots[j*capacity ..< (j+1)*capacity]`),
///   each slot an entry number or `emptyBand`; the key is the hash of the band's `rows` signature bytes, read
///   back from `signatures` when probing;
/// - `idSlots`, each slot `idHash << 32 | entry` or `emptyID`.
/// Deletion uses backward shifting, so there are no tombstones.
struct IndexStorage {
    static let emptyBand = UInt32.max
    static let emptyID = UInt64.max
    static let maximumLoad = 0.7
    /// Load right after the tables grow (so the tables hold between 1/0.7 and 2 slots per entry).
    static let loadAfterGrowth = 0.5
    static let minimumCapacity = 64
    static let width = TextSketch.hashCount

    let layout: BandLayout
    let minimumAgreeing: Int
    var count = 0
    var signatures: [UInt8] = []
    var idOffsets: [UInt32] = []
    var idLengths: [UInt16] = []
    var idHashes: [UInt32] = []
    var idArena: [UInt8] = []
    var garbageBytes = 0
    var capacity: Int
    var bandSlots: [UInt32]
    var idSlots: [UInt64]

    init(layout: BandLayout) {
        self.layout = layout
        minimumAgreeing = layout.minimumAgreeing
        capacity = Self.minimumCapacity
        bandSlots = [UInt32](repeating: Self.emptyBand, count: layout.bands * Self.minimumCapacity)
        idSlots = [UInt64](repeating: Self.emptyID, count: Self.minimumCapacity)
    }

    // MARK: Hashing

    @inline(__always)
    static func home(_ hash: UInt64, capacity: Int) -> Int {
        Int(truncatingIfNeeded: hash.multipliedFullWidth(by: UInt64(capacity)).high)
    }

    @inline(__always)
    static func idHome(_ idHash: UInt32, capacity: Int) -> Int {
        Int(truncatingIfNeeded: (UInt64(idHash) &* UInt64(capacity)) >> 32)
    }

    static func idHash(_ id: UnsafeRawBufferPointer) -> UInt32 {
        UInt32(truncatingIfNeeded: HashMixing.hash(bytes: id, seed: 0x6964) >> 32)
    }

    /// Hash of band `band` of the signature at `signature` (which points at 128 bytes).
    @inline(__always)
    static func bandHash(_ signature: UnsafePointer<UInt8>, band: Int, rows: Int) -> UInt64 {
        var h = 0x243f_6a88_85a3_08d3 &+ UInt64(band) &* 0x9e37_79b9_7f4a_7c15
        var position = band * rows
        let end = position + rows
        while position < end {
            var chunk: UInt64 = 0
            var shift: UInt64 = 0
            while position < end && shift < 64 {
                chunk |= UInt64(signature[position]) << shift
                shift += 8
                position += 1
            }
            h = HashMixing.mix(h ^ chunk)
        }
        return h
    }

    @inline(__always)
    static func bandsEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, band: Int, rows: Int) -> Bool {
        let start = band * rows
        for position in start..<(start + rows) where a[position] != b[position] {
            return false
        }
        return true
    }

    // MARK: Lookup

    /// The entry number of `id`, if stored.
    func entry(forID id: String) -> Int? {
        var id = id
        return id.withUTF8 { bytes in entry(forID: UnsafeRawBufferPointer(bytes)) }
    }

    func entry(forID id: UnsafeRawBufferPointer) -> Int? {
        let hash = Self.idHash(id)
        let capacity = capacity
        return idSlots.withUnsafeBufferPointer { slots -> Int? in
            var slot = Self.idHome(hash, capacity: capacity)
            while true {
                let value = slots[slot]
                if value == Self.emptyID { return nil }
                if UInt32(truncatingIfNeeded: value >> 32) == hash {
                    let entry = Int(truncatingIfNeeded: value & 0xffff_ffff)
                    if idEquals(entry, id) { return entry }
                }
                slot += 1
                if slot == capacity { slot = 0 }
            }
        }
    }

    func idEquals(_ entry: Int, _ id: UnsafeRawBufferPointer) -> Bool {
        let length = Int(idLengths[entry])
        guard length == id.count else { return false }
        let offset = Int(idOffsets[entry])
        return idArena.withUnsafeBytes { arena in
            id.isEmpty || memoryEqual(arena.baseAddress! + offset, id.baseAddress!, length)
        }
    }

    func id(ofEntry entry: Int) -> String {
        let offset = Int(idOffsets[entry])
        let length = Int(idLengths[entry])
        return String(decoding: idArena[offset..<(offset + length)], as: UTF8.self)
    }

    /// Orders two entries by their id bytes (used only to break exact similarity ties deterministically).
    func idPrecedes(_ a: Int, _ b: Int) -> Bool {
        let aStart = Int(idOffsets[a])
        let bStart = Int(idOffsets[b])
        return idArena[aStart..<(aStart + Int(idLengths[a]))]
            .lexicographicallyPrecedes(idArena[bStart..<(bStart + Int(idLengths[b]))])
    }

    /// The best stored entry whose similarity to `query` reaches the threshold (ties: smallest id).
    func bestMatch(for query: UnsafePointer<UInt8>, excluding excluded: Int?) -> (entry: Int, agreeing: Int)? {
        let layout = layout
        let capacity = capacity
        let minimumAgreeing = minimumAgreeing
        let count = count
        var best: (entry: Int, agreeing: Int)?
        signatures.withUnsafeBufferPointer { signatureBuffer in
            bandSlots.withUnsafeBufferPointer { slotBuffer in
                guard let signatureBase = signatureBuffer.baseAddress else { return }
                for band in 0..<layout.bands {
                    let table = slotBuffer.baseAddress! + band * capacity
                    var slot = Self.home(Self.bandHash(query, band: band, rows: layout.rows), capacity: capacity)
                    while true {
                        let stored = table[slot]
                        if stored == Self.emptyBand { break }
                        let entry = Int(stored)
                        if entry >= count { break }  // only after loading inconsistent data
                        let signature = signatureBase + entry * Self.width
                        if entry != excluded && entry != best?.entry
                            && Self.bandsEqual(signature, query, band: band, rows: layout.rows)
                        {
                            let agreeing = TextSketcher.agreementCount(signature, query)
                            if agreeing >= minimumAgreeing {
                                if let current = best {
                                    if agreeing > current.agreeing
                                        || (agreeing == current.agreeing && entry != current.entry
                                            && idPrecedes(entry, current.entry))
                                    {
                                        best = (entry, agreeing)
                                    }
                                } else {
                                    best = (entry, agreeing)
                                }
                            }
                        }
                        slot += 1
                        if slot == capacity { slot = 0 }
                    }
                }
            }
        }
        return best
    }

    // MARK: Mutation

    /// Adds an entry (the id must not be stored yet; `signature` has 128 values).
    mutating func append(id: String, signature: [UInt8]) throws {
        var id = id
        let length = id.utf8.count
        guard length <= Int(UInt16.max) else {
            throw SimilarityError(
                code: .invalidArgument, message: "article id is \(length) bytes; at most 65535 are allowed")
        }
        guard idArena.count + length <= Int(UInt32.max), count < Int(UInt32.max) - 1 else {
            throw SimilarityError(
                code: .invalidArgument, message: "the near-duplicate index is full (4 GB of ids or 4G entries)")
        }
        if Double(count + 1) > Double(capacity) * Self.maximumLoad {
            rebuildTables(capacity: max(Self.minimumCapacity, Int(Double(count + 1) / Self.loadAfterGrowth)))
        }
        let entry = count
        let hash = id.withUTF8 { Self.idHash(UnsafeRawBufferPointer($0)) }
        idOffsets.append(UInt32(idArena.count))
        idLengths.append(UInt16(length))
        idHashes.append(hash)
        idArena.append(contentsOf: id.utf8)
        signatures.append(contentsOf: signature)
        count += 1
        insertID(entry: entry, hash: hash)
        for band in 0..<layout.bands { insertBand(band, entry: entry) }
    }

    mutating func insertID(entry: Int, hash: UInt32) {
        let capacity = capacity
        idSlots.withUnsafeMutableBufferPointer { slots in
            var slot = Self.idHome(hash, capacity: capacity)
            while slots[slot] != Self.emptyID {
                slot += 1
                if slot == capacity { slot = 0 }
            }
            slots[slot] = UInt64(hash) << 32 | UInt64(entry)
        }
    }

    mutating func insertBand(_ band: Int, entry: Int) {
        let capacity = capacity
        let rows = layout.rows
        let hash = signatures.withUnsafeBufferPointer {
            Self.bandHash($0.baseAddress! + entry * Self.width, band: band, rows: rows)
        }
        bandSlots.withUnsafeMutableBufferPointer { slots in
            let table = slots.baseAddress! + band * capacity
            var slot = Self.home(hash, capacity: capacity)
            while table[slot] != Self.emptyBand {
                slot += 1
                if slot == capacity { slot = 0 }
            }
            table[slot] = UInt32(entry)
        }
    }

    /// The same entries under another layout (band tables rebuilt only if the bands change).
    func relaidOut(for newLayout: BandLayout) -> IndexStorage {
        if newLayout == layout { return self }
        var copy = IndexStorage(layout: newLayout)
        copy.count = count
        copy.signatures = signatures
        copy.idOffsets = idOffsets
        copy.idLengths = idLengths
        copy.idHashes = idHashes
        copy.idArena = idArena
        copy.garbageBytes = garbageBytes
        if newLayout.bands == layout.bands && newLayout.rows == layout.rows {
            copy.capacity = capacity
            copy.bandSlots = bandSlots
            copy.idSlots = idSlots
        } else {
            copy.rebuildTables(capacity: max(Self.minimumCapacity, Int(Double(count + 1) / Self.loadAfterGrowth)))
        }
        return copy
    }

    /// Re-creates every table at a new capacity from the entry arrays.
    mutating func rebuildTables(capacity newCapacity: Int) {
        capacity = newCapacity
        bandSlots = []
        idSlots = []
        bandSlots = [UInt32](repeating: Self.emptyBand, count: layout.bands * newCapacity)
        idSlots = [UInt64](repeating: Self.emptyID, count: newCapacity)
        rebuildIDTable()
        for band in 0..<layout.bands {
            for entry in 0..<count { insertBand(band, entry: entry) }
        }
    }

    mutating func rebuildIDTable() {
        for entry in 0..<count { insertID(entry: entry, hash: idHashes[entry]) }
    }

    /// Removes entry `entry`, moving the last entry into its place.
    mutating func remove(entry: Int) {
        for band in 0..<layout.bands {
            if let slot = bandSlot(band, holding: entry) { deleteBandSlot(band, at: slot) }
        }
        let idSlot = idSlotIndex(holding: entry)
        deleteIDSlot(at: idSlot)
        garbageBytes += Int(idLengths[entry])

        let last = count - 1
        if entry != last {
            for band in 0..<layout.bands {
                if let slot = bandSlot(band, holding: last) { bandSlots[band * capacity + slot] = UInt32(entry) }
            }
            let lastIDSlot = idSlotIndex(holding: last)
            idSlots[lastIDSlot] = (idSlots[lastIDSlot] & 0xffff_ffff_0000_0000) | UInt64(entry)
            let from = last * Self.width
            let to = entry * Self.width
            for offset in 0..<Self.width { signatures[to + offset] = signatures[from + offset] }
            idOffsets[entry] = idOffsets[last]
            idLengths[entry] = idLengths[last]
            idHashes[entry] = idHashes[last]
        }
        signatures.removeLast(Self.width)
        idOffsets.removeLast()
        idLengths.removeLast()
        idHashes.removeLast()
        count -= 1
        if garbageBytes > 4096 && garbageBytes * 2 > idArena.count { compactArena() }
    }

    /// The slot of `entry` in band table `band`; nil only if loaded data was inconsistent.
    func bandSlot(_ band: Int, holding entry: Int) -> Int? {
        let hash = signatures.withUnsafeBufferPointer {
            Self.bandHash($0.baseAddress! + entry * Self.width, band: band, rows: layout.rows)
        }
        var slot = Self.home(hash, capacity: capacity)
        let base = band * capacity
        while bandSlots[base + slot] != UInt32(entry) {
            if bandSlots[base + slot] == Self.emptyBand { return nil }
            slot += 1
            if slot == capacity { slot = 0 }
        }
        return slot
    }

    func idSlotIndex(holding entry: Int) -> Int {
        var slot = Self.idHome(idHashes[entry], capacity: capacity)
        while idSlots[slot] & 0xffff_ffff != UInt64(entry) {
            precondition(idSlots[slot] != Self.emptyID, "near-duplicate index: id table lost an entry")
            slot += 1
            if slot == capacity { slot = 0 }
        }
        return slot
    }

    /// Whether `home` lies cyclically in (hole, candidate]: then the entry at `candidate` may not move to `hole`.
    @inline(__always)
    static func staysPut(home: Int, hole: Int, candidate: Int) -> Bool {
        if hole <= candidate {
            return hole < home && home <= candidate
        }
        return hole < home || home <= candidate
    }

    mutating func deleteBandSlot(_ band: Int, at start: Int) {
        let base = band * capacity
        var hole = start
        var candidate = start
        while true {
            candidate += 1
            if candidate == capacity { candidate = 0 }
            let stored = bandSlots[base + candidate]
            if stored == Self.emptyBand { break }
            let hash = signatures.withUnsafeBufferPointer {
                Self.bandHash($0.baseAddress! + Int(stored) * Self.width, band: band, rows: layout.rows)
            }
            let home = Self.home(hash, capacity: capacity)
            if !Self.staysPut(home: home, hole: hole, candidate: candidate) {
                bandSlots[base + hole] = stored
                hole = candidate
            }
        }
        bandSlots[base + hole] = Self.emptyBand
    }

    mutating func deleteIDSlot(at start: Int) {
        var hole = start
        var candidate = start
        while true {
            candidate += 1
            if candidate == capacity { candidate = 0 }
            let stored = idSlots[candidate]
            if stored == Self.emptyID { break }
            let home = Self.idHome(UInt32(truncatingIfNeeded: stored >> 32), capacity: capacity)
            if !Self.staysPut(home: home, hole: hole, candidate: candidate) {
                idSlots[hole] = stored
                hole = candidate
            }
        }
        idSlots[hole] = Self.emptyID
    }

    /// Drops the bytes of removed ids, storing live ids in entry order.
    mutating func compactArena() {
        var arena: [UInt8] = []
        arena.reserveCapacity(idArena.count - garbageBytes)
        for entry in 0..<count {
            let offset = Int(idOffsets[entry])
            idOffsets[entry] = UInt32(arena.count)
            arena.append(contentsOf: idArena[offset..<(offset + Int(idLengths[entry]))])
        }
        idArena = arena
        garbageBytes = 0
    }
}

@inline(__always)
func memoryEqual(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ count: Int) -> Bool {
    for offset in 0..<count
    where a.load(fromByteOffset: offset, as: UInt8.self) != b.load(fromByteOffset: offset, as: UInt8.self) {
        return false
    }
    return true
}
