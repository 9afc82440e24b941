/// Binary persistence of a ``NearDuplicateIndex``.
///
/// Layout (all integers little-endian; sections padded to 4 bytes):
/// ```
/// "HNDX" u32 version=1 u32 hashCount=128 u32 bands u32 rows u32 0
/// u64 threshold (IEEE bit pattern) u64 count u64 capacity u64 idBytes
/// count × 128 signature bytes
/// count × u16 id lengths, pad
/// idBytes of ids, concatenated in entry order, pad
/// bands × capacity × u32 band-table slots (entry number or 0xFFFFFFFF)
/// ```
/// The band tables are stored as they are so that loading is a copy plus a validation pass; the id table is
/// rebuilt (it is small). A million entries at the default threshold take about 340 MB.
extension NearDuplicateIndex {
    static let magic: [UInt8] = Array("HNDX".utf8)
    static let formatVersion: UInt32 = 1
    static let headerSize = 56

    /// The index as bytes for ``init(serialized:)``; a consistent snapshot even while other threads insert.
    public func serialized() -> [UInt8] {
        storage.withLock { storage in Self.serialize(storage) }
    }

    /// Loads an index written by ``serialized()``.
    ///
    /// - Throws: ``SimilarityError`` (`.corruptIndex`) if the bytes are truncated, from another format version,
    ///   or internally inconsistent. The caller should then rebuild the index from the stored articles.
    public convenience init(serialized bytes: [UInt8]) throws {
        let storage = try bytes.withUnsafeBytes { try Self.deserialize($0) }
        self.init(storage: storage)
    }

    /// Loads an index written by ``serialized()`` and gives it a new threshold.
    ///
    /// When the threshold calls for another band layout, the band tables are rebuilt from the stored signatures
    /// (about a second per million entries); otherwise only the verification threshold changes.
    ///
    /// - Throws: ``SimilarityError`` (`.corruptIndex` for unusable bytes, `.invalidArgument` for a threshold
    ///   outside (0, 1]).
    public convenience init(serialized bytes: [UInt8], threshold: Double) throws {
        try Self.validate(threshold: threshold)
        let loaded = try bytes.withUnsafeBytes { try Self.deserialize($0) }
        self.init(storage: loaded.relaidOut(for: BandLayout.forThreshold(threshold)))
    }

    static func padded(_ size: Int) -> Int { (size + 3) & ~3 }

    static func serialize(_ storage: IndexStorage) -> [UInt8] {
        let count = storage.count
        let idBytes = storage.idArena.count - storage.garbageBytes
        let bandBytes = storage.layout.bands * storage.capacity * 4
        let total = headerSize + count * IndexStorage.width + padded(count * 2) + padded(idBytes) + bandBytes
        return [UInt8](unsafeUninitializedCapacity: total) { buffer, initialized in
            let out = UnsafeMutableRawBufferPointer(buffer)
            var writer = ByteWriter(buffer: out)
            writer.write(bytes: magic)
            writer.write(formatVersion)
            writer.write(UInt32(TextSketch.hashCount))
            writer.write(UInt32(storage.layout.bands))
            writer.write(UInt32(storage.layout.rows))
            writer.write(UInt32(0))
            writer.write(storage.layout.threshold.bitPattern)
            writer.write(UInt64(count))
            writer.write(UInt64(storage.capacity))
            writer.write(UInt64(idBytes))
            storage.signatures.withUnsafeBytes { writer.write(raw: $0) }
            writer.write(array: storage.idLengths)
            writer.pad()
            storage.idArena.withUnsafeBytes { arena in
                for entry in 0..<count {
                    let offset = Int(storage.idOffsets[entry])
                    writer.write(
                        raw: UnsafeRawBufferPointer(rebasing: arena[offset..<(offset + Int(storage.idLengths[entry]))]))
                }
            }
            writer.pad()
            writer.write(array: storage.bandSlots)
            precondition(writer.position == total, "near-duplicate index: serialized size mismatch")
            initialized = total
        }
    }

    /// Counts the occupied slots of one band table and checks that each holds an entry number below `count`.
    /// (An empty slot is 0xFFFFFFFF, so `slot &+ 1` is 0 when empty and 1...count when valid.)
    static func checkSlots(_ table: UnsafePointer<UInt32>, capacity: Int, count: Int) -> (used: Int, valid: Bool) {
        // Branch-free so that the compiler vectorises it: this pass reads every slot of every band table.
        var used: UInt32 = 0
        var largest: UInt32 = 0
        for slot in 0..<capacity {
            let shifted = table[slot] &+ 1
            used &+= (shifted | (0 &- shifted)) >> 31
            largest = max(largest, shifted)
        }
        return (Int(used), largest <= UInt32(count))
    }

    static func deserialize(_ input: UnsafeRawBufferPointer) throws -> IndexStorage {
        func corrupt(_ what: String) -> SimilarityError {
            SimilarityError(
                code: .corruptIndex,
                message: "near-duplicate index data is unusable (\(what)); delete it and rebuild from the articles")
        }
        var reader = ByteReader(buffer: input)
        guard input.count >= headerSize, Array(input[0..<4]) == magic else { throw corrupt("not an index file") }
        reader.position = 4
        let version: UInt32 = reader.read()
        guard version == formatVersion else { throw corrupt("format version \(version), expected \(formatVersion)") }
        let hashCount: UInt32 = reader.read()
        guard hashCount == UInt32(TextSketch.hashCount) else { throw corrupt("sketches of \(hashCount) values") }
        let bands = Int(reader.read() as UInt32)
        let rows = Int(reader.read() as UInt32)
        _ = reader.read() as UInt32
        let threshold = Double(bitPattern: reader.read())
        let layout = BandLayout(threshold: threshold, bands: bands, rows: rows)
        do { try layout.validate() } catch { throw corrupt("bad layout: \(error)") }
        let count64: UInt64 = reader.read()
        let capacity64: UInt64 = reader.read()
        let idBytes64: UInt64 = reader.read()
        guard count64 < UInt64(UInt32.max) - 1, capacity64 >= UInt64(IndexStorage.minimumCapacity),
            capacity64 < 1 << 40, idBytes64 <= UInt64(UInt32.max),
            Double(count64) <= Double(capacity64) * IndexStorage.maximumLoad
        else { throw corrupt("impossible sizes") }
        let count = Int(count64)
        let capacity = Int(capacity64)
        let idBytes = Int(idBytes64)
        let expected =
            headerSize + count * IndexStorage.width + padded(count * 2) + padded(idBytes) + bands * capacity * 4
        guard input.count == expected else { throw corrupt("\(input.count) bytes, expected \(expected)") }

        var storage = IndexStorage(layout: layout)
        storage.count = count
        storage.capacity = capacity
        storage.signatures = reader.readArray(count: count * IndexStorage.width)
        storage.idLengths = reader.readArray(count: count)
        reader.skipPadding()
        storage.idArena = reader.readArray(count: idBytes)
        reader.skipPadding()
        storage.bandSlots = reader.readArray(count: bands * capacity)

        var offsets = [UInt32](repeating: 0, count: count)
        var hashes = [UInt32](repeating: 0, count: count)
        var offset = 0
        try storage.idArena.withUnsafeBytes { arena in
            for entry in 0..<count {
                let length = Int(storage.idLengths[entry])
                guard offset + length <= idBytes else { throw corrupt("id bytes overrun") }
                offsets[entry] = UInt32(offset)
                hashes[entry] = IndexStorage.idHash(UnsafeRawBufferPointer(rebasing: arena[offset..<(offset + length)]))
                offset += length
            }
        }
        guard offset == idBytes else { throw corrupt("id lengths do not add up") }
        storage.idOffsets = offsets
        storage.idHashes = hashes

        let occupied = storage.bandSlots.withUnsafeBufferPointer { slots -> Bool in
            for band in 0..<bands {
                let (used, valid) = Self.checkSlots(
                    slots.baseAddress! + band * capacity, capacity: capacity, count: count)
                if !valid || used != count { return false }
            }
            return true
        }
        guard occupied else { throw corrupt("band tables do not match the entries") }
        storage.idSlots = [UInt64](repeating: IndexStorage.emptyID, count: capacity)
        storage.rebuildIDTable()
        return storage
    }
}

/// Writes little-endian integers and raw bytes into a preallocated buffer.
struct ByteWriter {
    let buffer: UnsafeMutableRawBufferPointer
    var position = 0

    mutating func write<T: FixedWidthInteger>(_ value: T) {
        buffer.storeBytes(of: value.littleEndian, toByteOffset: position, as: T.self)
        position += MemoryLayout<T>.size
    }

    mutating func write(bytes: [UInt8]) {
        bytes.withUnsafeBytes { write(raw: $0) }
    }

    mutating func write(raw: UnsafeRawBufferPointer) {
        guard raw.count > 0 else { return }
        (buffer.baseAddress! + position).copyMemory(from: raw.baseAddress!, byteCount: raw.count)
        position += raw.count
    }

    mutating func write<T: FixedWidthInteger>(array: [T]) {
        #if _endian(big)
            for value in array { write(value) }
        #else
            array.withUnsafeBytes { write(raw: $0) }
        #endif
    }

    /// Writes zero bytes up to the next multiple of 4.
    mutating func pad() {
        while position % 4 != 0 {
            buffer[position] = 0
            position += 1
        }
    }
}

/// Reads what ``ByteWriter`` wrote; the caller has checked the total size beforehand.
struct ByteReader {
    let buffer: UnsafeRawBufferPointer
    var position = 0

    mutating func read<T: FixedWidthInteger>() -> T {
        let value = buffer.loadUnaligned(fromByteOffset: position, as: T.self)
        position += MemoryLayout<T>.size
        return T(littleEndian: value)
    }

    mutating func readArray<T: FixedWidthInteger>(count: Int) -> [T] {
        let byteCount = count * MemoryLayout<T>.stride
        let start = position
        position += byteCount
        return [T](unsafeUninitializedCapacity: count) { destination, initialized in
            if byteCount > 0 {
                UnsafeMutableRawPointer(destination.baseAddress!)
                    .copyMemory(from: buffer.baseAddress! + start, byteCount: byteCount)
            }
            #if _endian(big)
                for index in 0..<count { destination[index] = T(littleEndian: destination[index]) }
            #endif
            initialized = count
        }
    }

    mutating func skipPadding() {
        position = NearDuplicateIndex.padded(position)
    }
}
