/// Durations written in the configuration: `500ms`, `90s`, `15m`, `1h`, `2d`, or combinations like `1h30m`.
public enum DurationText {
    /// Parses a duration; nil when the text is not one.
    public static func parse(_ text: String) -> Duration? {
        let s = text.trimmingSpaces()
        guard !s.isEmpty else { return nil }
        var total: Int64 = 0  // milliseconds
        var number: Int64? = nil
        var chars = Array(s.unicodeScalars)
        chars.append(" ")
        var i = 0
        while i < chars.count - 1 {
            let c = chars[i]
            if let digit = Int64(String(c)), c.isASCII {
                number = (number ?? 0) * 10 + digit
                if number! > 10_000_000_000 { return nil }
                i += 1
                continue
            }
            guard let n = number else { return nil }
            let unit: Int64
            if c == "m" && chars[i + 1] == "s" {
                unit = 1
                i += 1
            } else {
                switch c {
                case "s": unit = 1000
                case "m": unit = 60_000
                case "h": unit = 3_600_000
                case "d": unit = 86_400_000
                default: return nil
                }
            }
            total += n * unit
            number = nil
            i += 1
        }
        if number != nil { return nil }  // a bare number has no unit
        return .milliseconds(total)
    }

    /// Formats a duration the way the configuration writes them.
    public static func format(_ d: Duration) -> String {
        let ms = d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000
        if ms % 3_600_000 == 0 { return "\(ms / 3_600_000)h" }
        if ms % 60_000 == 0 { return "\(ms / 60_000)m" }
        if ms % 1000 == 0 { return "\(ms / 1000)s" }
        return "\(ms)ms"
    }
}

/// Byte sizes: `1048576`, `512KiB`, `15MiB`, `1GiB` (also KB/MB/GB as powers of 1000).
enum ByteSizeText {
    static func parse(_ text: String) -> Int? {
        let s = text.trimmingSpaces()
        let units: [(String, Int)] = [
            ("KiB", 1024), ("MiB", 1 << 20), ("GiB", 1 << 30), ("KB", 1000), ("MB", 1_000_000), ("GB", 1_000_000_000),
            ("B", 1),
        ]
        for (suffix, factor) in units where s.hasSuffix(suffix) {
            guard let n = Int(String(s.dropLast(suffix.count)).trimmingSpaces()), n >= 0 else { return nil }
            return n.multipliedReportingOverflow(by: factor).overflow ? nil : n * factor
        }
        return Int(s)
    }
}

extension String {
    func trimmingSpaces() -> String {
        let character: Character = " "
        var s = Substring(self)
        while s.first == character { s.removeFirst() }
        while s.last == character { s.removeLast() }
        return String(s)
    }
}
