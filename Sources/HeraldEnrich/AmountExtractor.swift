/// Finds money with a currency, percentages and counts of things.
///
/// Money: a currency symbol, code or word next to a number, with scale words or suffixes ("$5.4bn",
/// "Rs 1,000 crore", "€3 million", "USD 2 billion", "2 billion dollars"). Percentages: a number with `%`,
/// "per cent" or "percent". Counts: a number followed, within four words, by the plural noun it counts
/// ("25 agreements", "10 intergovernmental documents"); years, ordinals, dates and durations are not counts.
struct AmountExtractor {
    let text: TokenizedText
    var tokens: [Token] { text.tokens }

    static let symbols: [String: String] = ["$": "USD", "€": "EUR", "£": "GBP", "₹": "INR", "¥": "JPY", "₽": "RUB"]
    static let codes: [String: String] = [
        "usd": "USD", "us$": "USD", "eur": "EUR", "gbp": "GBP", "inr": "INR", "rs": "INR", "rupees": "INR",
        "jpy": "JPY", "cny": "CNY", "rmb": "CNY", "rub": "RUB", "aud": "AUD", "cad": "CAD", "chf": "CHF",
    ]
    static let currencyWords: [String: String] = [
        "dollar": "USD", "dollars": "USD", "euro": "EUR", "euros": "EUR", "pound": "GBP", "pounds": "GBP",
        "rupee": "INR", "rupees": "INR", "yuan": "CNY", "renminbi": "CNY", "rouble": "RUB", "roubles": "RUB",
        "ruble": "RUB", "rubles": "RUB", "yen": "JPY",
    ]
    static let scales: [String: Double] = [
        "thousand": 1e3, "lakh": 1e5, "lakhs": 1e5, "million": 1e6, "millions": 1e6, "crore": 1e7, "crores": 1e7,
        "billion": 1e9, "billions": 1e9, "trillion": 1e12, "bn": 1e9, "mn": 1e6, "m": 1e6, "k": 1e3, "tn": 1e12,
        "trn": 1e12, "cr": 1e7, "b": 1e9,
    ]
    static let qualifiers: [String] = [
        "more than", "less than", "fewer than", "up to", "at least", "at most", "as many as", "over", "about",
        "around", "nearly", "almost", "some", "roughly", "approximately", "under", "above", "below", "only",
    ]
    static let durations: Set<String> = [
        "years", "months", "weeks", "days", "hours", "minutes", "seconds", "decades", "centuries", "year", "month",
        "week", "day", "hour", "minute", "second", "decade", "century", "times",
    ]
    static let notNouns: Set<String> = [
        "its", "this", "was", "has", "is", "as", "us", "his", "yes", "thus", "across", "plus", "less", "unless",
        "whereas", "always", "perhaps", "besides", "towards", "afterwards", "was", "does", "goes",
    ]
    static let numberWords: [String: Double] = [
        "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
        "eleven": 11, "twelve": 12, "dozen": 12, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
        "hundred": 100, "dozens": 24, "hundreds": 200, "thousands": 2000,
    ]

    /// The value of a number token ("1,000", "5.4bn", "60"), with the scale its suffix gives.
    static func value(of token: Token) -> (Double, hasSuffix: Bool)? {
        var digits = ""
        var suffix = ""
        for scalar in token.text.unicodeScalars {
            if suffix.isEmpty, ("0"..."9").contains(scalar) || scalar == "." { digits.unicodeScalars.append(scalar) }
            else if scalar == "," && suffix.isEmpty { continue }
            else { suffix.unicodeScalars.append(scalar) }
        }
        guard let number = Double(digits) else { return nil }
        if suffix.isEmpty { return (number, false) }
        guard let scale = scales[suffix.lowercased()] else { return nil }
        return (number * scale, true)
    }

    static let qualifierWords: [(String, [String])] = qualifiers.map { ($0, $0.split(separator: " ").map(String.init)) }

    func qualifier(before i: Int) -> (String, Int)? {
        for (phrase, words) in Self.qualifierWords {
            let start = i - words.count
            guard start >= 0 else { continue }
            if zip(words, tokens[start..<i]).allSatisfy({ $0.0 == $0.1.lowered }) { return (phrase, start) }
        }
        return nil
    }

    func isDate(_ i: Int) -> Bool {
        let before = i > 0 ? tokens[i - 1].lowered : ""
        let after = i + 1 < tokens.count ? tokens[i + 1].lowered : ""
        return EntityCues.calendarWords.contains(before) || EntityCues.calendarWords.contains(after)
    }

    func extract() -> [Amount] {
        var out: [Amount] = []
        var i = 0
        while i < tokens.count {
            if let amount = amount(at: i) {
                out.append(amount.0)
                i = amount.next
            } else {
                i += 1
            }
        }
        return out
    }

    func make(_ value: Double, _ unit: String, _ kind: Amount.Kind, from: Int, to: Int, number: Int) -> Amount {
        var start = from
        var qualifierText: String?
        if let (phrase, at) = qualifier(before: min(from, number)) {
            qualifierText = phrase
            start = at
        }
        let startScalar = tokens[start].start
        let endScalar = tokens[to].end
        return Amount(
            value: value, unit: unit, kind: kind, qualifier: qualifierText, text: text.string(startScalar, endScalar),
            start: startScalar, end: endScalar)
    }

    func amount(at i: Int) -> (Amount, next: Int)? {
        let token = tokens[i]
        // Currency before the number: $, €, Rs, USD, US$.
        var currency: String?
        var numberIndex = i
        if token.kind == .punctuation, let code = Self.symbols[token.text] {
            currency = code
            numberIndex = i + 1
            if i > 0, tokens[i - 1].text == "US", !token.spaceBefore { currency = "USD" }
        } else if token.kind == .word, let code = Self.codes[token.lowered] {
            currency = code
            numberIndex = i + 1
            if numberIndex < tokens.count, tokens[numberIndex].text == "." { numberIndex += 1 }
        }
        if currency != nil {
            guard numberIndex < tokens.count, tokens[numberIndex].kind == .number,
                let (base, _) = Self.value(of: tokens[numberIndex])
            else { return nil }
            var value = base
            var end = numberIndex
            if end + 1 < tokens.count, let scale = Self.scales[tokens[end + 1].lowered], tokens[end + 1].text.count > 1 {
                value *= scale
                end += 1
            }
            let from = i > 0 && tokens[i - 1].text == "US" && !token.spaceBefore ? i - 1 : i
            return (make(value, currency!, .money, from: from, to: end, number: from), end + 1)
        }
        guard token.kind == .number, let number = numberValue(i) else {
            return nil
        }
        var value = number.value
        var end = i
        if end + 1 < tokens.count, let scale = Self.scales[tokens[end + 1].lowered], tokens[end + 1].text.count > 1 {
            value *= scale
            end += 1
        }
        // Currency after: "2 billion dollars".
        if end + 1 < tokens.count, let code = Self.currencyWords[tokens[end + 1].lowered] {
            return (make(value, code, .money, from: i, to: end + 1, number: i), end + 2)
        }
        // Percentages.
        if end + 1 < tokens.count, tokens[end + 1].text == "%" {
            return (make(value, "%", .percent, from: i, to: end + 1, number: i), end + 2)
        }
        if end + 2 < tokens.count, tokens[end + 1].lowered == "per", tokens[end + 2].lowered == "cent" {
            return (make(value, "%", .percent, from: i, to: end + 2, number: i), end + 3)
        }
        if end + 1 < tokens.count, ["percent", "pc"].contains(tokens[end + 1].lowered) {
            return (make(value, "%", .percent, from: i, to: end + 1, number: i), end + 2)
        }
        // Counts: not years, ordinals, dates, times.
        guard !number.isYearLike, !isDate(i) else { return nil }
        var k = end + 1
        if k < tokens.count, tokens[k].text == "+" { k += 1 }
        var skipped = 0
        while k < tokens.count, skipped < 4, tokens[k].kind == .word, tokens[k].line == token.line {
            let word = tokens[k].lowered
            if Self.durations.contains(word) { return nil }
            if word.hasSuffix("s"), word.count > 3, !Self.notNouns.contains(word), !word.hasSuffix("ss"),
                !word.hasSuffix("ous")
            {
                return (make(value, word, .count, from: i, to: k, number: i), k + 1)
            }
            if EntityCues.functionWords.contains(word) && word != "and" { return nil }
            skipped += 1
            k += 1
        }
        return nil
    }

    /// A number token's value (digits or a number word), nil for ordinals, times and codes.
    func numberValue(_ i: Int) -> (value: Double, isYearLike: Bool)? {
        let token = tokens[i]
        if let word = Self.numberWords[token.lowered] { return (word, false) }
        let text = token.text
        let lower = text.lowercased()
        if lower.hasSuffix("st") || lower.hasSuffix("nd") || lower.hasSuffix("rd") || lower.hasSuffix("th") { return nil }
        if i + 1 < tokens.count, tokens[i + 1].text == ":", !tokens[i + 1].spaceBefore { return nil }
        if i > 0, tokens[i - 1].text == ":", !token.spaceBefore { return nil }
        guard let (value, _) = Self.value(of: token) else { return nil }
        let yearLike = text.count == 4 && !text.contains(",") && value >= 1900 && value <= 2100
        return (value, yearLike)
    }
}
