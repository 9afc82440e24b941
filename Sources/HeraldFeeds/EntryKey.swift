import Foundation

/// Assigns `FeedEntry.key`, Herald's identity for an entry within its feed.
///
/// Rule, applied in document order (before any `maxEntries` trimming, so keys do not depend on the limit):
/// 1. the trimmed `guid` / `id`, if present and not already used by an earlier entry;
/// 2. else the resolved `link`, if present and not already used;
/// 3. else `"h:"` + the 16-hex-digit FNV-1a 64-bit hash of `link + "\n" + title + "\n" + date`, where date is
///    the published (else updated) time in whole epoch seconds (empty strings for missing parts);
///    a hash already used gets `"-2"`, `"-3"`, ... appended.
/// So repeated ids keep the id for their first occurrence only, and the later ones fall back.
enum EntryKey {
    static func fnv1a64(_ s: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 {
            hash ^= UInt64(b)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }

    static func hex(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }

    static func hashKey(for entry: FeedEntry) -> String {
        var date = ""
        if let d = entry.published ?? entry.updated { date = String(Int64(d.timeIntervalSince1970.rounded(.down))) }
        let material = (entry.link ?? "") + "\n" + (entry.title ?? "") + "\n" + date
        return "h:" + hex(fnv1a64(material))
    }

    /// Assigns every key; returns the number of candidate keys tried, which grows linearly with the entries
    /// (each hash remembers the next suffix to try, so repeated hashes do not retry `-2`, `-3`, … from the start).
    @discardableResult
    static func assign(_ entries: inout [FeedEntry]) -> Int {
        var used = Set<String>()
        used.reserveCapacity(entries.count)
        var nextSuffix: [String: Int] = [:]
        var probes = 0
        for i in entries.indices {
            let key: String
            probes += 1
            if let g = entries[i].guid?.trimmingCharacters(in: .whitespacesAndNewlines), !g.isEmpty, !used.contains(g) {
                key = g
            } else if let l = entries[i].link, !l.isEmpty, !used.contains(l) {
                key = l
            } else {
                let h = hashKey(for: entries[i])
                var candidate = h
                if used.contains(candidate) {
                    // Suffixes below nextSuffix[h] are all taken already (`used` only grows), so start there.
                    var n = nextSuffix[h] ?? 2
                    repeat {
                        probes += 1
                        candidate = h + "-" + String(n)
                        n += 1
                    } while used.contains(candidate)
                    nextSuffix[h] = n
                }
                key = candidate
            }
            entries[i].key = key
            used.insert(key)
        }
        return probes
    }
}
