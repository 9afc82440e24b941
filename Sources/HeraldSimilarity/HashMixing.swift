/// Small, fast, deterministic integer hashing used by the sketcher and the index.
///
/// Everything here is fixed forever: sketches are persisted, so changing a constant would make stored sketches
/// incomparable with new ones (the index format version would have to change too).
enum HashMixing {
    /// The 64-bit finaliser of MurmurHash3: every input bit affects every output bit.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var x = value
        x ^= x >> 33
        x &*= 0xff51_afd7_ed55_8ccd
        x ^= x >> 33
        x &*= 0xc4ce_b9fe_1a85_ec53
        x ^= x >> 33
        return x
    }

    /// One step of the SplitMix64 generator: advances `state` and returns the next pseudo-random value.
    @inline(__always)
    static func splitMix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        return mix(state)
    }

    /// A 64-bit hash of a byte sequence (FNV-1a over the bytes, then ``mix(_:)``).
    @inline(__always)
    static func hash(bytes: UnsafeRawBufferPointer, seed: UInt64) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ seed
        for byte in bytes {
            h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return mix(h ^ UInt64(bytes.count))
    }
}
