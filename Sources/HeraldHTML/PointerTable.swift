/// A small open-addressing map from pointers to `Int32`, for the parser's interned names.
///
/// libxml2 hands out element and attribute names from its dictionary, so one name is one pointer for a whole
/// parse. A lookup here is a multiply and a compare or two, much less than `Dictionary` hashing per node.
struct PointerTable {
    private var keys: [UInt]
    private var values: [Int32]
    private var mask: Int
    private var count = 0

    init(capacity: Int = 256) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = [UInt](repeating: 0, count: size)
        values = [Int32](repeating: 0, count: size)
        mask = size - 1
    }

    @inline(__always)
    private func slot(_ key: UInt) -> Int {
        // Fibonacci hashing; the low bits of aligned pointers carry little information.
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
    }

    func value(for pointer: UnsafeRawPointer) -> Int32? {
        let key = UInt(bitPattern: pointer)
        var i = slot(key)
        while true {
            let k = keys[i]
            if k == key { return values[i] }
            if k == 0 { return nil }
            i = (i + 1) & mask
        }
    }

    mutating func set(_ value: Int32, for pointer: UnsafeRawPointer) {
        if (count + 1) * 2 > keys.count { grow() }
        let key = UInt(bitPattern: pointer)
        var i = slot(key)
        while keys[i] != 0 && keys[i] != key { i = (i + 1) & mask }
        if keys[i] == 0 { count += 1 }
        keys[i] = key
        values[i] = value
    }

    private mutating func grow() {
        let oldKeys = keys
        let oldValues = values
        keys = [UInt](repeating: 0, count: oldKeys.count * 2)
        values = [Int32](repeating: 0, count: oldKeys.count * 2)
        mask = keys.count - 1
        count = 0
        for (i, key) in oldKeys.enumerated() where key != 0 {
            set(oldValues[i], for: UnsafeRawPointer(bitPattern: key)!)
        }
    }
}
