/// One token of a text: a word (starts with a letter), a number (starts with a digit) or one punctuation scalar.
struct Token: Sendable {
    enum Kind: Sendable { case word, number, punctuation }

    var start: Int
    var end: Int
    var text: String
    var kind: Kind
    /// Index of the sentence the token belongs to.
    var sentence: Int = 0
    /// Index of the line (text between newlines).
    var line: Int = 0
    /// First word or number of its sentence (after any opening punctuation), or the first after a colon.
    var sentenceInitial = false
    /// White space (or the start of the text) comes right before the token.
    var spaceBefore = false

    /// The text lowercased.
    let lowered: String
    /// A word starting with a capital (or titlecase) letter.
    let isCapitalized: Bool
    /// Two or more letters, all uppercase (digits, `-`, `&` allowed): IRIGC-M&MTC, SCO, USSR.
    let isAcronym: Bool

    init(start: Int, end: Int, text: String, kind: Kind, line: Int, spaceBefore: Bool) {
        self.start = start
        self.end = end
        self.text = text
        self.kind = kind
        self.line = line
        self.spaceBefore = spaceBefore
        lowered = text.lowercased()
        isCapitalized = kind == .word && (text.unicodeScalars.first.map(Self.isUpper) ?? false)
        var letters = 0
        var lower = false
        if kind == .word {
            for scalar in text.unicodeScalars {
                if scalar.isASCII {
                    if ("a"..."z").contains(scalar) { lower = true; break }
                    if ("A"..."Z").contains(scalar) { letters += 1 }
                } else if scalar.properties.isLowercase {
                    lower = true
                    break
                } else if scalar.properties.isAlphabetic {
                    letters += 1
                }
            }
        }
        isAcronym = kind == .word && !lower && letters >= 2
    }

    var isWord: Bool { kind == .word }

    static func isUpper(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return ("A"..."Z").contains(scalar) }
        return scalar.properties.isUppercase || scalar.properties.generalCategory == .titlecaseLetter
    }
}

/// The text as scalars, its tokens, sentences and lines.
struct TokenizedText: Sendable {
    let scalars: [Unicode.Scalar]
    let tokens: [Token]
    /// Token index ranges of the sentences.
    let sentences: [Range<Int>]
    /// Token index ranges of the lines.
    let lines: [Range<Int>]

    /// The text's UTF-8 bytes and, per scalar offset, the byte offset where that scalar starts.
    let utf8: [UInt8]
    let byteOffsets: [Int]

    func string(_ start: Int, _ end: Int) -> String {
        guard start < end else { return "" }
        return String(decoding: utf8[byteOffsets[start]..<byteOffsets[end]], as: UTF8.self)
    }

    init(_ text: String) {
        let scalars = Array(text.unicodeScalars)
        self.scalars = scalars
        let utf8 = Array(text.utf8)
        self.utf8 = utf8
        var offsets = [Int]()
        offsets.reserveCapacity(scalars.count + 1)
        var byte = 0
        for scalar in scalars {
            offsets.append(byte)
            byte += UTF8.width(scalar)
        }
        offsets.append(byte)
        byteOffsets = offsets
        func slice(_ start: Int, _ end: Int) -> String {
            String(decoding: utf8[offsets[start]..<offsets[end]], as: UTF8.self)
        }
        var tokens: [Token] = []
        var index = 0
        var line = 0
        var space = true
        let count = scalars.count
        func isAlnum(_ s: Unicode.Scalar) -> Bool {
            if s.isASCII { return ("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s) }
            return s.properties.isAlphabetic || s.properties.numericType != nil
        }
        func isDigit(_ s: Unicode.Scalar) -> Bool { ("0"..."9").contains(s) }
        while index < count {
            let scalar = scalars[index]
            if scalar == "\n" || scalar == "\r" || scalar == "\u{2029}" || scalar == "\u{2028}" {
                line += 1
                space = true
                index += 1
                continue
            }
            if scalar == " " || scalar == "\t" || (!scalar.isASCII && scalar.properties.isWhitespace) {
                space = true
                index += 1
                continue
            }
            if isAlnum(scalar) {
                let start = index
                let numeric = isDigit(scalar)
                index += 1
                while index < count {
                    let s = scalars[index]
                    if isAlnum(s) || (!s.isASCII && s.properties.generalCategory == .nonspacingMark) { index += 1; continue }
                    guard index + 1 < count else { break }
                    let next = scalars[index + 1]
                    if s == "-" || s == "\u{2010}" || s == "\u{2011}" || s == "\u{2013}" || s == "&" {
                        // Joined forms: Su-30MKI, India–Russia, M&MTC; not "December 4–5" ranges of numbers.
                        if isAlnum(next) && !(numeric && isDigit(next) && s == "\u{2013}") { index += 1; continue }
                        break
                    }
                    if s == "'" || s == "\u{2019}" {
                        // Possessive 's ends the word; other apostrophes (O'Brien, don't) stay inside.
                        if next == "s" || next == "S" {
                            let after = index + 2 < count ? scalars[index + 2] : " "
                            if !isAlnum(after) { break }
                        }
                        if next.properties.isAlphabetic { index += 1; continue }
                        break
                    }
                    if numeric && (s == "." || s == ",") && isDigit(next) { index += 1; continue }
                    break
                }
                tokens.append(Token(
                    start: start, end: index, text: slice(start, index), kind: numeric ? .number : .word, line: line,
                    spaceBefore: space))
                space = false
                continue
            }
            var text = String(scalar)
            var end = index + 1
            if (scalar == "'" || scalar == "\u{2019}") && index + 1 < count
                && (scalars[index + 1] == "s" || scalars[index + 1] == "S")
                && (index + 2 >= count || !isAlnum(scalars[index + 2]))
                && !tokens.isEmpty && !space
            {
                text = "'s"
                end = index + 2
            }
            tokens.append(Token(
                start: index, end: end, text: text, kind: .punctuation, line: line, spaceBefore: space))
            space = false
            index = end
        }
        // Sentences: a newline, or . ! ? (then closing quotes) before white space and a capital, digit or quote.
        var sentence = 0
        var sentences: [Range<Int>] = []
        var lines: [Range<Int>] = []
        var sentenceStart = 0
        var lineStart = 0
        var wantInitial = true
        for i in tokens.indices {
            if i > 0 && tokens[i].line != tokens[i - 1].line {
                sentences.append(sentenceStart..<i)
                lines.append(lineStart..<i)
                sentence += 1
                sentenceStart = i
                lineStart = i
                wantInitial = true
            } else if i > 0 && tokens[i].spaceBefore && Self.endsSentence(tokens, before: i) {
                sentences.append(sentenceStart..<i)
                sentence += 1
                sentenceStart = i
                wantInitial = true
            }
            tokens[i].sentence = sentence
            if tokens[i].kind != .punctuation {
                if wantInitial { tokens[i].sentenceInitial = true }
                wantInitial = false
            } else if tokens[i].text == ":" {
                wantInitial = true
            }
        }
        if !tokens.isEmpty {
            sentences.append(sentenceStart..<tokens.count)
            lines.append(lineStart..<tokens.count)
        }
        self.tokens = tokens
        self.sentences = sentences
        self.lines = lines
    }

    static let abbreviations: Set<String> = [
        "mr", "mrs", "ms", "dr", "st", "gen", "lt", "col", "maj", "capt", "sgt", "rev", "prof", "sen", "rep",
        "gov", "jr", "sr", "inc", "ltd", "co", "corp", "vs", "no", "adm", "cmdr", "brig", "hon", "mt", "ft",
    ]

    /// Whether a sentence ends before token `i` (which follows white space).
    static func endsSentence(_ tokens: [Token], before i: Int) -> Bool {
        var j = i - 1
        // Closing quotes and brackets after the stop.
        while j >= 0, tokens[j].kind == .punctuation, "\"”’')]".contains(tokens[j].text) { j -= 1 }
        guard j >= 0, tokens[j].kind == .punctuation, [".", "!", "?", "…"].contains(tokens[j].text) else {
            return false
        }
        let next = tokens[i]
        let opensNew = next.isCapitalized || next.kind == .number
            || (next.kind == .punctuation && "\"“‘'(".contains(next.text))
        guard opensNew else { return false }
        if tokens[j].text == ".", j > 0, tokens[j - 1].isWord, !tokens[j].spaceBefore {
            let word = tokens[j - 1].text
            if abbreviations.contains(word.lowercased()) { return false }
            if word.unicodeScalars.count == 1, word.unicodeScalars.first.map(Token.isUpper) == true { return false }
        }
        return true
    }
}
