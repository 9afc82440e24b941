/// Turns the many date spellings found in pages into RFC 3339.
///
/// Output: `YYYY-MM-DDTHH:MM:SS±HH:MM` (or `Z`) when a time and an offset are known, keeping the page's offset;
/// `YYYY-MM-DDTHH:MM:SS` when the page gives a time without an offset; `YYYY-MM-DD` when it gives only a date.
enum DateNormalizer {
    struct Parts: Equatable {
        var year: Int
        var month: Int
        var day: Int
        var hour: Int? = nil
        var minute: Int = 0
        var second: Int = 0
        /// Offset from UTC in minutes; `nil` when unknown.
        var offsetMinutes: Int? = nil
        /// True when the page wrote "Z"/"UTC"/"GMT" rather than a numeric offset.
        var isZulu = false

        var rfc3339: String {
            var s = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
            guard let hour else { return s }
            s += "T" + pad(hour, 2) + ":" + pad(minute, 2) + ":" + pad(second, 2)
            guard let offset = offsetMinutes else { return s }
            if offset == 0 && isZulu { return s + "Z" }
            let sign = offset < 0 ? "-" : "+"
            return s + sign + pad(abs(offset) / 60, 2) + ":" + pad(abs(offset) % 60, 2)
        }
    }

    /// Normalises one date value (a meta content, a `datetime` attribute, a JSON-LD date). Nil when no date.
    static func normalize(_ text: String) -> String? {
        parse(text)?.rfc3339
    }

    static func parse(_ text: String) -> Parts? {
        let tokens = tokenize(Substring(text).prefix(200))
        if let parts = parseISO(tokens) { return parts }
        return parseGeneral(tokens, from: 0)?.parts
    }

    /// Finds the first plausible date written in running text ("New Delhi. 05 December 2025",
    /// "Dec 4, 2025, Updated Dec 4, 2025 11:18 PM IST"). Requires a month name or an ISO date and a year.
    static func findDate(in text: String, after keyword: String? = nil) -> Parts? {
        // A keyword token can only be there if its letters are: most texts are rejected without tokenizing.
        if let keyword, !text.lowercasedFast().containsUTF8(keyword) { return nil }
        let tokens = tokenize(Substring(text).prefix(800))
        var start = 0
        if let keyword {
            guard let k = tokens.firstIndex(where: { $0.word == keyword }) else { return nil }
            start = k + 1
        }
        var k = start
        while k < tokens.count {
            if tokens[k].isYearLike, k + 4 < tokens.count, tokens[k + 1].symbol == "-", let parts = parseISO(
                Array(tokens[k...]))
            {
                return parts
            }
            if let word = tokens[k].word, monthNumber(word) != nil {
                let from = max(start, k - 2)
                if let result = parseGeneral(tokens, from: from), result.sawMonthName { return result.parts }
            }
            if keyword != nil && k > start + 12 { return nil }
            k += 1
        }
        return nil
    }

    // MARK: - Tokens

    struct Token {
        var number: Int? = nil
        var digits = 0
        var word: String? = nil
        var symbol: Character? = nil

        var isYearLike: Bool { digits == 4 && (number ?? 0) >= 1900 && (number ?? 0) <= 2100 }
    }

    static func tokenize(_ text: Substring) -> [Token] {
        var tokens: [Token] = []
        var current = ""
        var kind = 0  // 0 none, 1 digits, 2 letters
        func flush() {
            if kind == 1 {
                tokens.append(Token(number: Int(current.prefix(9)), digits: current.count))
            } else if kind == 2 {
                tokens.append(Token(word: current.lowercased()))
            }
            current = ""
            kind = 0
        }
        for ch in text {
            if ch.isASCII && ch.isNumber {
                if kind != 1 { flush(); kind = 1 }
                current.append(ch)
            } else if ch.isLetter {
                if kind != 2 { flush(); kind = 2 }
                current.append(ch)
            } else {
                flush()
                if !ch.isWhitespace { tokens.append(Token(symbol: ch)) }
            }
        }
        flush()
        return tokens
    }

    // MARK: - ISO 8601

    /// `2025-12-04`, `2025-12-04T10:20:30.5+05:30`, `2025-12-04 10:20:30Z`, `20251204`.
    private static func parseISO(_ t: [Token]) -> Parts? {
        guard let first = t.first, first.isYearLike || first.digits == 8 else { return nil }
        var parts: Parts
        var k: Int
        if first.digits == 8, let n = first.number {
            parts = Parts(year: n / 10000, month: n / 100 % 100, day: n % 100)
            k = 1
        } else {
            guard t.count >= 5, t[1].symbol == "-", t[3].symbol == "-", let month = t[2].number,
                let day = t[4].number, t[2].digits <= 2, t[4].digits <= 2
            else {
                // "2025-12-04T..." tokenizes the "04T10" boundary fine; "2025-12" alone is not a date.
                return nil
            }
            parts = Parts(year: first.number!, month: month, day: day)
            k = 5
        }
        guard isValid(parts) else { return nil }
        // Time: "T" word glued to the hour is split by the tokenizer into word "t".
        if k < t.count, t[k].word == "t" { k += 1 }
        if k + 2 < t.count, let h = t[k].number, t[k + 1].symbol == ":", let m = t[k + 2].number, h < 24, m < 60 {
            parts.hour = h
            parts.minute = m
            k += 3
            if k + 1 < t.count, t[k].symbol == ":", let s = t[k + 1].number, s <= 60 {
                parts.second = s
                k += 2
                if k + 1 < t.count, t[k].symbol == ".", t[k + 1].number != nil { k += 2 }
            }
            parseOffset(t, &k, &parts)
        }
        return parts
    }

    private static func parseOffset(_ t: [Token], _ k: inout Int, _ parts: inout Parts) {
        guard k < t.count else { return }
        if let word = t[k].word {
            if word == "z" || word == "utc" || word == "gmt" || word == "ut" {
                parts.offsetMinutes = 0
                parts.isZulu = true
                k += 1
                // "GMT+05:30"
                if k < t.count, t[k].symbol == "+" || t[k].symbol == "-" {
                    parts.isZulu = false
                    parseNumericOffset(t, &k, &parts)
                }
                return
            }
            if let offset = zoneAbbreviations[word] {
                parts.offsetMinutes = offset
                k += 1
                return
            }
            // "10:20:30Z" where the tokenizer sees word "z" handled above; anything else: no offset.
            return
        }
        if t[k].symbol == "+" || t[k].symbol == "-" || t[k].symbol == "−" {
            parseNumericOffset(t, &k, &parts)
        }
    }

    private static func parseNumericOffset(_ t: [Token], _ k: inout Int, _ parts: inout Parts) {
        let negative = t[k].symbol != "+"
        guard k + 1 < t.count, let n = t[k + 1].number else { return }
        var minutes: Int
        if t[k + 1].digits == 4 {
            minutes = (n / 100) * 60 + n % 100
            k += 2
        } else if t[k + 1].digits <= 2 {
            minutes = n * 60
            k += 2
            if k + 1 < t.count, t[k].symbol == ":", let m = t[k + 1].number, t[k + 1].digits == 2 {
                minutes += m
                k += 2
            }
        } else {
            return
        }
        guard minutes <= 14 * 60 else { return }
        parts.offsetMinutes = negative ? -minutes : minutes
    }

    // MARK: - Free-form dates

    /// Reads tokens from `from` until a full date (and an optional time and zone) has been read.
    private static func parseGeneral(_ t: [Token], from: Int) -> (parts: Parts, sawMonthName: Bool)? {
        var year: Int?
        var month: Int?
        var day: Int?
        var sawMonthName = false
        var hour: Int?
        var minute = 0
        var second = 0
        var offset: Int?
        var zulu = false
        var k = from
        var steps = 0
        func complete() -> Bool { year != nil && month != nil && day != nil }
        while k < t.count, steps < 40 {
            steps += 1
            let tok = t[k]
            if let n = tok.number {
                // Time h:mm[:ss] [am|pm]
                if k + 2 < t.count, t[k + 1].symbol == ":", let m = t[k + 2].number, t[k + 2].digits == 2, n < 24,
                    m < 60, hour == nil, tok.digits <= 2
                {
                    var h = n
                    minute = m
                    k += 3
                    if k + 1 < t.count, t[k].symbol == ":", let s = t[k + 1].number, s <= 60 {
                        second = s
                        k += 2
                    }
                    if k < t.count, let w = t[k].word {
                        if w == "pm" || w == "p" { if h < 12 { h += 12 }; k += 1 } else if w == "am" || w == "a" {
                            if h == 12 { h = 0 }
                            k += 1
                        }
                        if k < t.count, t[k].symbol == "." { k += 1 }
                        if k < t.count, t[k].word == "m" {
                            k += 1
                            if k < t.count, t[k].symbol == "." { k += 1 }
                        }
                    }
                    hour = h
                    var p = Parts(year: 2000, month: 1, day: 1)
                    parseOffset(t, &k, &p)
                    offset = p.offsetMinutes
                    zulu = p.isZulu
                    if complete() { break }
                    continue
                }
                // Numeric date: d/m/yyyy, m/d/yyyy, yyyy/m/d, d.m.yyyy
                if k + 4 < t.count, let sep = t[k + 1].symbol, sep == "/" || sep == "." || sep == "-",
                    t[k + 3].symbol == sep, let b = t[k + 2].number, let c = t[k + 4].number, !complete(),
                    month == nil
                {
                    if tok.isYearLike {
                        year = n; month = b; day = c
                    } else if t[k + 4].isYearLike {
                        year = c
                        if n > 12 || sep == "." || (sep == "-" && b <= 12) {
                            day = n; month = b
                        } else {
                            month = n; day = b
                        }
                    } else {
                        k += 1
                        continue
                    }
                    k += 5
                    continue
                }
                if tok.isYearLike {
                    if year == nil { year = n } else if complete() { break }
                } else if tok.digits <= 2, n >= 1, n <= 31, day == nil {
                    day = n
                } else if complete() {
                    break
                }
                k += 1
                continue
            }
            if let w = tok.word {
                if let m = monthNumber(w) {
                    if month != nil { if complete() { break } } else { month = m; sawMonthName = true }
                } else if ordinalSuffixes.contains(w) || weekdays.contains(w) || fillerWords.contains(w) {
                    // skip
                } else if complete() {
                    break
                } else if year != nil || month != nil || day != nil {
                    // A stray word inside a partial date ("4 hours ago"): start again.
                    year = nil; month = nil; day = nil; sawMonthName = false
                }
            }
            k += 1
        }
        guard let year, let month, let day else { return nil }
        var parts = Parts(year: year, month: month, day: day)
        guard isValid(parts) else { return nil }
        if let hour {
            parts.hour = hour
            parts.minute = minute
            parts.second = second
            parts.offsetMinutes = offset
            parts.isZulu = zulu
        }
        return (parts, sawMonthName)
    }

    static func isValid(_ p: Parts) -> Bool {
        guard p.year >= 1900, p.year <= 2100, p.month >= 1, p.month <= 12, p.day >= 1 else { return false }
        let lengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        let leap = (p.year % 4 == 0 && p.year % 100 != 0) || p.year % 400 == 0
        let maxDay = p.month == 2 && leap ? 29 : lengths[p.month - 1]
        return p.day <= maxDay
    }

    static func monthNumber(_ word: String) -> Int? {
        if let m = monthNames[word] { return m }
        if let m = foreignMonthNames[word] { return m }
        // "sept", "sept." and full names
        if word.count > 3, let m = monthNames[String(word.prefix(3))], fullMonthNames[m - 1].hasPrefix(word) {
            return m
        }
        return nil
    }

    private static let fullMonthNames = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
        "december",
    ]
    private static let monthNames: [String: Int] = [
        "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
        "nov": 11, "dec": 12,
    ]
    /// German, French, Spanish, Italian and Portuguese month names that English prefixes do not cover.
    private static let foreignMonthNames: [String: Int] = [
        "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "mai": 5, "juni": 6, "juli": 7, "oktober": 10,
        "dezember": 12, "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "juin": 6, "juillet": 7,
        "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12,
        "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8,
        "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12, "gennaio": 1,
        "febbraio": 2, "aprile": 4, "maggio": 5, "giugno": 6, "luglio": 7, "settembre": 9, "ottobre": 10,
        "dicembre": 12, "janeiro": 1, "fevereiro": 2, "março": 3, "maio": 5, "junho": 6, "julho": 7, "setembro": 9,
        "outubro": 10, "novembro": 11, "dezembro": 12,
    ]
    private static let weekdays: Set<String> = [
        "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "monday", "tuesday", "wednesday",
        "thursday", "friday", "saturday", "sunday",
    ]
    private static let ordinalSuffixes: Set<String> = ["st", "nd", "rd", "th"]
    private static let fillerWords: Set<String> = ["at", "on", "of", "the", "de", "et", "h"]

    private static let zoneAbbreviations: [String: Int] = [
        "ist": 330, "est": -300, "edt": -240, "cst": -360, "cdt": -300, "mst": -420, "mdt": -360, "pst": -480,
        "pdt": -420, "akst": -540, "akdt": -480, "hst": -600, "bst": 60, "cet": 60, "cest": 120, "eet": 120,
        "eest": 180, "wet": 0, "west": 60, "msk": 180, "jst": 540, "kst": 540, "hkt": 480, "sgt": 480, "pkt": 300,
        "aest": 600, "aedt": 660, "acst": 570, "awst": 480, "nzst": 720, "nzdt": 780, "wib": 420, "pht": 480,
        "npt": 345, "sast": 120, "eat": 180, "wat": 60, "brt": -180, "art": -180,
    ]

    private static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
