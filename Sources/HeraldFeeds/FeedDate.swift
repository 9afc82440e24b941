import Foundation

/// Parses the date formats found in real feeds into `Date` values.
///
/// Accepted families (all case-insensitive, surrounding whitespace ignored):
/// - RFC 822 / 1123 / 2822 and their real-world variants: optional weekday, one- or two-digit day, English month
///   names (abbreviated or full, any case), two- or four-digit years, times with or without seconds, numeric zones
///   (`+0000`, `-05:00`, `+05`) or named zones (`GMT`, `UT`, `UTC`, `Z`, North American and a few European/Asian
///   zones, military letters); `-` or `/` between the date parts; also asctime order (`Sun Jan  4 16:29:06 PST 2004`).
/// - RFC 3339 / ISO 8601 / W3CDTF: `2003-12-31T10:14:55Z`, with or without seconds, fractional seconds, `Z` or
///   offsets (`+01:00`, `+0100`, `+01`), a space instead of `T`, date only (`2003-12-31`, `2003-12`, `2003`),
///   and basic format (`20031231T101455Z`, `20031231`).
/// - Unix epoch seconds (9 to 11 digits, optionally with a fraction).
/// - Year first with slashes: `2004/1/2`, `2004/01/02 3:04`, `2004/01/02 13:04:05` (optionally `Z`, `UTC`, `GMT`
///   or a numeric offset).
///
/// Times without a zone are taken as UTC. The parser works on the UTF-8 bytes and allocates nothing per call
/// beyond the input's UTF-8 view.
public enum FeedDate {
    /// Parses `s`, returning nil when it is not a recognisable date.
    public static func parse(_ s: String) -> Date? {
        var copy = s
        return copy.withUTF8 { buffer -> Date? in
            var start = 0
            var end = buffer.count
            while start < end, isSpace(buffer[start]) { start += 1 }
            while end > start, isSpace(buffer[end - 1]) { end -= 1 }
            guard start < end else { return nil }
            let bytes = UnsafeBufferPointer(rebasing: buffer[start..<end])
            if let seconds = parseISO(bytes) ?? parseEpoch(bytes) ?? parseSlashed(bytes) ?? parseRFC822(bytes) {
                return Date(timeIntervalSince1970: seconds)
            }
            return nil
        }
    }

    // MARK: - Calendar arithmetic

    /// Days from 1970-01-01 to the given proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func epochSeconds(
        year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, fraction: Double, offsetSeconds: Int
    ) -> Double? {
        guard (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month),
            (0...24).contains(hour), (0...59).contains(minute), (0...60).contains(second)
        else { return nil }
        if hour == 24 && (minute != 0 || second != 0) { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let secs = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return Double(secs) + fraction
    }

    // MARK: - Byte helpers

    @inline(__always) static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    @inline(__always) static func isAlpha(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }

    /// Reads exactly `count` digits at `i`.
    static func digits(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ count: Int) -> Int? {
        guard i + count <= b.count else { return nil }
        var value = 0
        for k in i..<(i + count) {
            guard isDigit(b[k]) else { return nil }
            value = value * 10 + Int(b[k] - 0x30)
        }
        return value
    }

    // MARK: - YYYY/M/D [H:MM[:SS]]

    /// Reads 1 or 2 digits at `i`: the value and the index after them.
    static func shortNumber(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> (Int, Int)? {
        guard i < b.count, isDigit(b[i]) else { return nil }
        var value = Int(b[i] - 0x30)
        var j = i + 1
        if j < b.count, isDigit(b[j]) {
            value = value * 10 + Int(b[j] - 0x30)
            j += 1
        }
        return (value, j)
    }

    static func parseSlashed(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        guard b.count >= 8, let year = digits(b, 0, 4), b[4] == UInt8(ascii: "/"),
            let (month, afterMonth) = shortNumber(b, 5), afterMonth < b.count, b[afterMonth] == UInt8(ascii: "/"),
            let (day, afterDay) = shortNumber(b, afterMonth + 1)
        else { return nil }
        var i = afterDay
        var hour = 0
        var minute = 0
        var second = 0
        var offset = 0
        if i < b.count {
            guard isSpace(b[i]) || b[i] == UInt8(ascii: "T") else { return nil }
            while i < b.count, isSpace(b[i]) || b[i] == UInt8(ascii: "T") { i += 1 }
            guard let (h, afterHour) = shortNumber(b, i), afterHour < b.count, b[afterHour] == UInt8(ascii: ":"),
                let m = digits(b, afterHour + 1, 2)
            else { return nil }
            hour = h
            minute = m
            i = afterHour + 3
            if i < b.count, b[i] == UInt8(ascii: ":") {
                guard let sec = digits(b, i + 1, 2) else { return nil }
                second = sec
                i += 3
            }
            while i < b.count, isSpace(b[i]) { i += 1 }
            if i < b.count {
                let rest = UnsafeBufferPointer(rebasing: b[i...])
                if rest.count <= 3, rest.allSatisfy(isAlpha) {
                    let word = String(decoding: rest, as: UTF8.self).lowercased()
                    guard ["z", "ut", "utc", "gmt"].contains(word) else { return nil }
                } else {
                    guard rest[0] == UInt8(ascii: "+") || rest[0] == UInt8(ascii: "-"),
                        let hh = digits(rest, 1, 2)
                    else { return nil }
                    var mm = 0
                    if let m2 = digits(rest, rest.count >= 6 && rest[3] == UInt8(ascii: ":") ? 4 : 3, 2) { mm = m2 }
                    offset = (hh * 3600 + mm * 60) * (rest[0] == UInt8(ascii: "-") ? -1 : 1)
                }
            }
        }
        return epochSeconds(
            year: year, month: month, day: day, hour: hour, minute: minute, second: second, fraction: 0,
            offsetSeconds: offset)
    }

    // MARK: - ISO 8601 / RFC 3339 / W3CDTF

    static func parseISO(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        guard b.count >= 4, let year = digits(b, 0, 4) else { return nil }
        var i = 4
        var month = 1
        var day = 1
        let extended: Bool
        if i == b.count {
            return epochSeconds(
                year: year, month: 1, day: 1, hour: 0, minute: 0, second: 0,
                fraction: 0, offsetSeconds: 0)
        }
        if b[i] == UInt8(ascii: "-") {
            extended = true
            guard let m = digits(b, i + 1, 2) else { return nil }
            month = m
            i += 3
            if i < b.count, b[i] == UInt8(ascii: "-") {
                guard let d = digits(b, i + 1, 2) else { return nil }
                day = d
                i += 3
            }
        } else if let m = digits(b, 4, 2), let d = digits(b, 6, 2) {
            // Basic format needs the full YYYYMMDD and must not be a longer run of digits (epoch seconds).
            if b.count > 8, isDigit(b[8]) { return nil }
            extended = false
            month = m
            day = d
            i = 8
        } else {
            return nil
        }
        var hour = 0
        var minute = 0
        var second = 0
        var fraction = 0.0
        if i < b.count, b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: "t") || b[i] == 0x20 {
            var j = i + 1
            while j < b.count, b[j] == 0x20 { j += 1 }
            if let h = digits(b, j, 2) {
                hour = h
                j += 2
                let hasColon = j < b.count && b[j] == UInt8(ascii: ":")
                if hasColon { j += 1 }
                if let mi = digits(b, j, 2) {
                    minute = mi
                    j += 2
                    let secColon = j < b.count && b[j] == UInt8(ascii: ":")
                    if secColon || (!hasColon && !extended) {
                        if let se = digits(b, secColon ? j + 1 : j, 2) {
                            second = se
                            j += secColon ? 3 : 2
                        } else if secColon {
                            return nil
                        }
                    }
                    if j < b.count, b[j] == UInt8(ascii: ".") || b[j] == UInt8(ascii: ",") {
                        j += 1
                        var scale = 0.1
                        while j < b.count, isDigit(b[j]) {
                            fraction += Double(b[j] - 0x30) * scale
                            scale /= 10
                            j += 1
                        }
                    }
                } else if hasColon {
                    return nil
                }
                i = j
            } else if b[i] != 0x20 {
                return nil
            }
        }
        while i < b.count, b[i] == 0x20 { i += 1 }
        guard let offset = parseZone(b, from: i, allowTrailing: false) else { return nil }
        return epochSeconds(
            year: year, month: month, day: day, hour: hour, minute: minute, second: second, fraction: fraction,
            offsetSeconds: offset)
    }

    /// Parses a zone at `from` to the end: nothing, `Z`, `±hh`, `±hhmm`, `±hh:mm` or a named zone.
    static func parseZone(_ b: UnsafeBufferPointer<UInt8>, from: Int, allowTrailing: Bool) -> Int? {
        var i = from
        if i >= b.count { return 0 }
        let c = b[i]
        if c == UInt8(ascii: "+") || c == UInt8(ascii: "-") {
            let sign = c == UInt8(ascii: "-") ? -1 : 1
            i += 1
            guard let h = digits(b, i, 2) else {
                // "+5" or "-500" style: tolerate one digit hour
                if let h1 = digits(b, i, 1), i + 1 == b.count { return sign * h1 * 3600 }
                if let hm = digits(b, i, 3), i + 3 == b.count { return sign * ((hm / 100) * 3600 + (hm % 100) * 60) }
                return nil
            }
            i += 2
            var m = 0
            if i < b.count, b[i] == UInt8(ascii: ":") { i += 1 }
            if let mm = digits(b, i, 2) {
                m = mm
                i += 2
            }
            guard h <= 23, m <= 59 else { return nil }
            if !allowTrailing, i != b.count { return nil }
            return sign * (h * 3600 + m * 60)
        }
        var j = i
        while j < b.count, isAlpha(b[j]) { j += 1 }
        guard j > i, let offset = namedZone(b, i, j) else { return nil }
        if !allowTrailing, j != b.count { return nil }
        return offset
    }

    /// Offsets of named zones; the letters are matched case-insensitively.
    static func namedZone(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int? {
        let n = end - start
        guard n <= 4 else { return nil }
        var key: UInt32 = 0
        for k in start..<end { key = key << 8 | UInt32(b[k] | 0x20) }
        func k(_ s: StaticString) -> UInt32 {
            var v: UInt32 = 0
            for i in 0..<s.utf8CodeUnitCount { v = v << 8 | UInt32(s.utf8Start[i]) }
            return v
        }
        let hours: Double
        switch key {
        case k("z"), k("ut"), k("utc"), k("gmt"), k("wet"): hours = 0
        case k("edt"): hours = -4
        case k("est"), k("cdt"): hours = -5
        case k("cst"), k("mdt"): hours = -6
        case k("mst"), k("pdt"): hours = -7
        case k("pst"), k("akdt"): hours = -8
        case k("akst"): hours = -9
        case k("hst"): hours = -10
        case k("adt"): hours = -3
        case k("ast"): hours = -4
        case k("ndt"): hours = -2.5
        case k("nst"): hours = -3.5
        case k("bst"), k("cet"), k("met"), k("west"): hours = 1
        case k("cest"), k("mest"), k("eet"), k("sast"): hours = 2
        case k("eest"), k("msk"): hours = 3
        case k("ist"): hours = 5.5
        case k("jst"), k("kst"): hours = 9
        case k("aest"): hours = 10
        case k("aedt"): hours = 11
        case k("nzst"): hours = 12
        case k("nzdt"): hours = 13
        default:
            // Military single letters: A..I = +1..+9, K..M = +10..+12, N..Y = -1..-12 (J is unused).
            guard n == 1 else { return nil }
            let c = Int(b[start] | 0x20) - 0x61
            switch c {
            case 0...8: hours = Double(c + 1)
            case 10...12: hours = Double(c)
            case 13...24: hours = -Double(c - 12)
            default: return nil
            }
        }
        return Int(hours * 3600)
    }

    // MARK: - Epoch

    static func parseEpoch(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        var i = 0
        var value = 0.0
        while i < b.count, isDigit(b[i]) {
            value = value * 10 + Double(b[i] - 0x30)
            i += 1
        }
        guard (9...11).contains(i) else { return nil }
        if i < b.count {
            guard b[i] == UInt8(ascii: ".") else { return nil }
            i += 1
            var scale = 0.1
            while i < b.count, isDigit(b[i]) {
                value += Double(b[i] - 0x30) * scale
                scale /= 10
                i += 1
            }
            guard i == b.count else { return nil }
        }
        return value
    }

    // MARK: - RFC 822 family

    static func monthNumber(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int? {
        guard end - start >= 3 else { return nil }
        let key = UInt32(b[start] | 0x20) << 16 | UInt32(b[start + 1] | 0x20) << 8 | UInt32(b[start + 2] | 0x20)
        func k(_ s: StaticString) -> UInt32 {
            UInt32(s.utf8Start[0]) << 16 | UInt32(s.utf8Start[1]) << 8 | UInt32(s.utf8Start[2])
        }
        switch key {
        case k("jan"): return 1
        case k("feb"): return 2
        case k("mar"): return 3
        case k("apr"): return 4
        case k("may"): return 5
        case k("jun"): return 6
        case k("jul"): return 7
        case k("aug"): return 8
        case k("sep"): return 9
        case k("oct"): return 10
        case k("nov"): return 11
        case k("dec"): return 12
        default: return nil
        }
    }

    static func isWeekday(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        guard end - start >= 3 else { return false }
        let c0 = b[start] | 0x20
        let c1 = b[start + 1] | 0x20
        let c2 = b[start + 2] | 0x20
        switch (c0, c1, c2) {
        case (0x6D, 0x6F, 0x6E), (0x74, 0x75, 0x65), (0x77, 0x65, 0x64), (0x74, 0x68, 0x75), (0x66, 0x72, 0x69),
            (0x73, 0x61, 0x74), (0x73, 0x75, 0x6E):
            return true
        default:
            return false
        }
    }

    /// A token-driven reader: weekday names are skipped, a month name sets the month, `hh:mm[:ss]` sets the time,
    /// numbers fill day then year, and a sign or zone name after the time sets the zone.
    static func parseRFC822(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        var day: Int?
        var month: Int?
        var year: Int?
        var yearDigits = 0
        var hour: Int?
        var minute = 0
        var second = 0
        var offset: Int?
        var i = 0
        let n = b.count
        while i < n {
            let c = b[i]
            if isSpace(c) || c == UInt8(ascii: ",") || c == UInt8(ascii: "/") || c == UInt8(ascii: ".") {
                i += 1
                continue
            }
            if c == UInt8(ascii: "-") || c == UInt8(ascii: "+") {
                // A sign after the time is a numeric zone; otherwise "-" separates date parts.
                if hour != nil, offset == nil, i + 1 < n, isDigit(b[i + 1]) {
                    var j = i + 1
                    while j < n, isDigit(b[j]) || b[j] == UInt8(ascii: ":") { j += 1 }
                    let zone = UnsafeBufferPointer(rebasing: b[i..<j])
                    guard let z = parseZone(zone, from: 0, allowTrailing: false) else { return nil }
                    offset = z
                    i = j
                    continue
                }
                i += 1
                continue
            }
            if isDigit(c) {
                var j = i
                var value = 0
                while j < n, isDigit(b[j]) {
                    value = value * 10 + Int(b[j] - 0x30)
                    j += 1
                    if j - i > 4 { return nil }
                }
                if j < n, b[j] == UInt8(ascii: ":") {
                    // time
                    guard hour == nil, j - i <= 2, let mi = digits(b, j + 1, 2) else { return nil }
                    hour = value
                    minute = mi
                    j += 3
                    if j < n, b[j] == UInt8(ascii: ":") {
                        guard let se = digits(b, j + 1, 2) else { return nil }
                        second = se
                        j += 3
                        if j < n, b[j] == UInt8(ascii: ".") {  // fractional seconds: ignore
                            j += 1
                            while j < n, isDigit(b[j]) { j += 1 }
                        }
                    }
                    i = j
                    continue
                }
                let len = j - i
                if len <= 2, day == nil {
                    day = value
                } else if year == nil {
                    year = value
                    yearDigits = len
                } else {
                    return nil
                }
                i = j
                continue
            }
            if isAlpha(c) {
                var j = i
                while j < n, isAlpha(b[j]) { j += 1 }
                if let m = monthNumber(b, i, j), month == nil, j - i == 3 || fullMonth(b, i, j) {
                    month = m
                } else if isWeekday(b, i, j) {
                    // ignored
                } else if let z = namedZone(b, i, j), offset == nil {
                    offset = z
                    // "GMT+0100" / "UTC-05:00": an explicit offset follows the name
                    if j < n, b[j] == UInt8(ascii: "+") || b[j] == UInt8(ascii: "-") {
                        var k = j + 1
                        while k < n, isDigit(b[k]) || b[k] == UInt8(ascii: ":") { k += 1 }
                        if let extra = parseZone(
                            UnsafeBufferPointer(rebasing: b[j..<k]), from: 0,
                            allowTrailing: false)
                        {
                            offset = z + extra
                            j = k
                        }
                    }
                } else if j - i == 2, (b[i] | 0x20) == UInt8(ascii: "a") || (b[i] | 0x20) == UInt8(ascii: "p"),
                    (b[i + 1] | 0x20) == UInt8(ascii: "m"), let h = hour
                {
                    // 12-hour clock
                    let pm = (b[i] | 0x20) == UInt8(ascii: "p")
                    hour = (h % 12) + (pm ? 12 : 0)
                } else {
                    return nil
                }
                i = j
                continue
            }
            if c == UInt8(ascii: "(") {
                // comment, e.g. "(PST)"
                while i < n, b[i] != UInt8(ascii: ")") { i += 1 }
                i += 1
                continue
            }
            return nil
        }
        guard let d = day, let m = month, var y = year else { return nil }
        if yearDigits <= 2 { y += y < 50 ? 2000 : 1900 } else if yearDigits == 3 { y += 1900 }
        return epochSeconds(
            year: y, month: m, day: d, hour: hour ?? 0, minute: minute, second: second, fraction: 0,
            offsetSeconds: offset ?? 0)
    }

    static func fullMonth(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        let names: [StaticString] = [
            "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
            "november", "december", "sept",
        ]
        let len = end - start
        for name in names where name.utf8CodeUnitCount == len {
            var ok = true
            for k in 0..<len where (b[start + k] | 0x20) != name.utf8Start[k] {
                ok = false
                break
            }
            if ok { return true }
        }
        return false
    }
}
