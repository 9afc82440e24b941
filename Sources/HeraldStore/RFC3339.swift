import Glibc

/// Formats and parses RFC 3339 timestamps without Foundation formatters (which are slow and not `Sendable`).
enum RFC3339 {
    /// The current time as seconds and nanoseconds since the epoch.
    static func now() -> (seconds: Int64, nanoseconds: Int64) {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return (Int64(ts.tv_sec), Int64(ts.tv_nsec))
    }

    /// Formats a UTC timestamp with millisecond precision, e.g. `2026-11-22T04:12:33.123Z`.
    static func format(seconds: Int64, nanoseconds: Int64) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        let millis = Int(nanoseconds / 1_000_000)
        var out = ""
        out.reserveCapacity(24)
        append(&out, Int(parts.tm_year) + 1900, width: 4)
        out += "-"
        append(&out, Int(parts.tm_mon) + 1, width: 2)
        out += "-"
        append(&out, Int(parts.tm_mday), width: 2)
        out += "T"
        append(&out, Int(parts.tm_hour), width: 2)
        out += ":"
        append(&out, Int(parts.tm_min), width: 2)
        out += ":"
        append(&out, Int(parts.tm_sec), width: 2)
        out += "."
        append(&out, millis, width: 3)
        out += "Z"
        return out
    }

    /// Formats the current time (see ``format(seconds:nanoseconds:)``).
    static func nowString() -> String {
        let (s, ns) = now()
        return format(seconds: s, nanoseconds: ns)
    }

    private static func append(_ out: inout String, _ value: Int, width: Int) {
        let digits = String(value)
        if digits.count < width { out += String(repeating: "0", count: width - digits.count) }
        out += digits
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` (the `T` and `Z` may be lower case).
    /// Returns seconds since the epoch as a Double, or nil when the text is not RFC 3339.
    static func parse(_ text: String) -> Double? {
        let b = Array(text.utf8)
        var i = 0
        func digits(_ n: Int) -> Int? {
            guard i + n <= b.count else { return nil }
            var v = 0
            for k in 0..<n {
                let c = b[i + k]
                guard c >= 0x30, c <= 0x39 else { return nil }
                v = v * 10 + Int(c - 0x30)
            }
            i += n
            return v
        }
        func expect(_ set: [UInt8]) -> Bool {
            guard i < b.count, set.contains(b[i]) else { return false }
            i += 1
            return true
        }
        guard let year = digits(4), expect([0x2D]), let month = digits(2), expect([0x2D]), let day = digits(2),
            expect([0x54, 0x74, 0x20]), let hour = digits(2), expect([0x3A]), let minute = digits(2),
            expect([0x3A]), let second = digits(2)
        else { return nil }
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second <= 60 else {
            return nil
        }
        var fraction = 0.0
        if i < b.count, b[i] == 0x2E {
            i += 1
            var scale = 0.1
            let start = i
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
                fraction += Double(b[i] - 0x30) * scale
                scale /= 10
                i += 1
            }
            if i == start { return nil }
        }
        var offset = 0
        guard i < b.count else { return nil }
        if b[i] == 0x5A || b[i] == 0x7A {
            i += 1
        } else if b[i] == 0x2B || b[i] == 0x2D {
            let sign = b[i] == 0x2D ? -1 : 1
            i += 1
            guard let oh = digits(2), expect([0x3A]), let om = digits(2), oh < 24, om < 60 else { return nil }
            offset = sign * (oh * 3600 + om * 60)
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        let base = timegm(&parts)
        return Double(base - offset) + fraction
    }
}
