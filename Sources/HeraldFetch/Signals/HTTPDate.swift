import Foundation

/// Parses the three HTTP-date forms of RFC 9110 §5.6.7 without a locale-dependent formatter.
///
/// - IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`
/// - RFC 850: `Sunday, 06-Nov-94 08:49:37 GMT` (two-digit years 70–99 are 19xx, 00–69 are 20xx)
/// - asctime: `Sun Nov  6 08:49:37 1994`
///
/// The weekday is not checked (servers get it wrong); the zone must be GMT/UTC (or absent, as asctime has none).
enum HTTPDate {
    static func parse(_ text: String) -> Date? {
        var tokens: [Substring] = []
        for piece in text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," || $0 == "-" }) {
            tokens.append(piece)
            if tokens.count > 7 { return nil }
        }
        guard !tokens.isEmpty else { return nil }
        // Drop the weekday name, whatever its spelling.
        if month(tokens[0]) == nil, tokens[0].allSatisfy(\.isLetter) { tokens.removeFirst() }
        guard tokens.count >= 4 else { return nil }

        let day: Int
        let monthNumber: Int
        let year: Int
        let time: Substring
        var rest: ArraySlice<Substring>
        if let m = month(tokens[0]) {
            // asctime: month day time year
            guard let d = number(tokens[1], digits: 1...2), let y = number(tokens[3], digits: 4...4) else { return nil }
            (monthNumber, day, time, year) = (m, d, tokens[2], y)
            rest = tokens[4...]
        } else {
            // IMF-fixdate or RFC 850: day month year time zone
            guard let d = number(tokens[0], digits: 1...2), let m = month(tokens[1]),
                let y = number(tokens[2], digits: 2...4)
            else { return nil }
            (day, monthNumber, time) = (d, m, tokens[3])
            year = tokens[2].count == 2 ? (y >= 70 ? 1900 + y : 2000 + y) : y
            rest = tokens[4...]
        }
        if let zone = rest.first {
            guard ["gmt", "utc", "ut", "z", "+0000"].contains(zone.lowercased()) else { return nil }
            rest = rest.dropFirst()
        }
        guard rest.isEmpty else { return nil }

        let clock = time.split(separator: ":", omittingEmptySubsequences: false)
        guard clock.count == 3, let hour = number(clock[0], digits: 1...2),
            let minute = number(clock[1], digits: 2...2),
            let second = number(clock[2], digits: 2...2), hour < 24, minute < 60, second <= 60
        else { return nil }
        guard year >= 1000, day >= 1, day <= daysIn(month: monthNumber, year: year) else { return nil }

        let days = daysSinceEpoch(year: year, month: monthNumber, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + min(second, 59)
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    private static func month(_ token: Substring) -> Int? {
        guard token.count == 3 else { return nil }
        return months.firstIndex(of: token.lowercased()).map { $0 + 1 }
    }

    private static func number(_ token: Substring, digits: ClosedRange<Int>) -> Int? {
        guard digits.contains(token.utf8.count), token.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(token)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil).
    private static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
