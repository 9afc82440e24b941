/// Finds direct quotations and their speakers.
///
/// A quotation is text between paired quotation marks (“…”, ‘…’, "…") of at least three words; shorter quoted
/// phrases are names or scare quotes. The speaker comes from, in order: "…," NAME VERB / "…," VERB NAME /
/// "…," he VERB after the quotation; NAME VERB (that) … before it in the same sentence; "according to NAME";
/// a headline's "‘…’: NAME"; and a neighbouring sentence that opens with NAME VERB (a quotation set as its
/// own paragraph). Pronouns resolve to the last person named as a subject (followed by a speech verb or opening
/// a sentence) before the quotation.
struct QuoteExtractor {
    let text: TokenizedText
    let entities: [Entity]

    var tokens: [Token] { text.tokens }

    /// Entity index by the token index where one of its mentions starts.
    func mentionStarts() -> [Int: (entity: Int, end: Int)] {
        var byScalar: [Int: (Int, Int)] = [:]
        for (index, entity) in entities.enumerated() where entity.type == .person || entity.type == .organization {
            for mention in entity.mentions { byScalar[mention.start] = (index, mention.end) }
        }
        var out: [Int: (entity: Int, end: Int)] = [:]
        for (i, token) in tokens.enumerated() {
            if let found = byScalar[token.start] {
                var last = i
                while last + 1 < tokens.count, tokens[last + 1].start < found.1 { last += 1 }
                out[i] = (found.0, last + 1)
            }
        }
        return out
    }

    static let pronouns: Set<String> = ["he", "she"]
    static let openers: [String: String] = ["“": "”", "‘": "’", "\"": "\"", "«": "»", "„": "“"]

    func extract() -> [Quote] {
        let mentions = mentionStarts()
        // For each closing mark, the index of its next occurrence at or after each token (one backward pass), so
        // finding a quotation's end never rescans the line.
        var nextCloser: [String: [Int]] = [:]
        for closer in Set(Self.openers.values) {
            var next = [Int](repeating: Int.max, count: tokens.count + 1)
            for k in stride(from: tokens.count - 1, through: 0, by: -1) {
                next[k] = tokens[k].kind == .punctuation && tokens[k].text == closer ? k : next[k + 1]
            }
            nextCloser[closer] = next
        }
        var quotes: [Quote] = []
        var i = 0
        while i < tokens.count {
            guard tokens[i].kind == .punctuation, let closer = Self.openers[tokens[i].text] else { i += 1; continue }
            // The closing mark on the same line.
            let j = nextCloser[closer]?[i + 1] ?? Int.max
            guard j < tokens.count, tokens[j].line == tokens[i].line else { i += 1; continue }
            let close = j
            let words = tokens[(i + 1)..<close].filter { $0.kind != .punctuation }.count
            if words < 3 { i = close + 1; continue }
            var inner = text.string(tokens[i].end, tokens[close].start)
            while let last = inner.last, last == "," || last == " " { inner.removeLast() }
            let (speaker, verb) = attribute(open: i, close: close, mentions: mentions)
            quotes.append(Quote(
                text: inner, speaker: speaker, verb: verb, start: tokens[i].start, end: tokens[close].end))
            i = close + 1
        }
        return quotes
    }

    func speaker(_ entity: Int) -> QuoteSpeaker {
        QuoteSpeaker(id: entities[entity].id, name: entities[entity].name)
    }

    /// The last person named as a subject before token `before`.
    func lastSubject(before: Int, mentions: [Int: (entity: Int, end: Int)]) -> Int? {
        var k = before - 1
        while k >= 0, k >= before - 600 {
            if let found = mentions[k], entities[found.entity].type == .person {
                let next = found.end
                let verbNext = next < tokens.count && EntityCues.speechVerbs.contains(tokens[next].lowered)
                    || next + 1 < tokens.count && EntityCues.speechVerbs.contains(tokens[next + 1].lowered)
                let opens = isSubjectPosition(k)
                if verbNext || opens { return found.entity }
            }
            k -= 1
        }
        return nil
    }

    /// The first token at or after `k` that is not "the", a title or a role word.
    func skipTitles(_ k: Int) -> Int {
        var k = k
        while k < tokens.count, mentionsAt(k) == false, tokens[k].kind == .word,
            tokens[k].lowered == "the" || EntityCues.titles.contains(tokens[k].lowered)
                || EntityCues.roleWords.contains(tokens[k].lowered) || EntityCues.demonyms.contains(tokens[k].lowered)
        {
            k += 1
        }
        return k
    }

    func mentionsAt(_ k: Int) -> Bool {
        entities.contains { entity in entity.mentions.contains { $0.start == tokens[k].start } }
    }

    /// The mention at `k` opens its sentence (perhaps after a title or "the").
    func isSubjectPosition(_ k: Int) -> Bool {
        var j = k - 1
        while j >= 0, j >= k - 12, tokens[j].sentence == tokens[k].sentence {
            if tokens[j].kind == .punctuation && tokens[j].text != "," { j -= 1; continue }
            if tokens[j].isCapitalized || EntityCues.titles.contains(tokens[j].lowered)
                || EntityCues.roleWords.contains(tokens[j].lowered)
            {
                j -= 1
                continue
            }
            return false
        }
        return true
    }

    func attribute(open: Int, close: Int, mentions: [Int: (entity: Int, end: Int)]) -> (QuoteSpeaker?, String?) {
        // After: "…," NAME VERB / VERB NAME / he VERB; a headline's "‘…’: NAME".
        var k = close + 1
        while k < tokens.count, tokens[k].kind == .punctuation, [",", "”", "’", "—", "–", "-"].contains(tokens[k].text) { k += 1 }
        k = skipTitles(k)
        if k < tokens.count, tokens[k].line == tokens[close].line {
            if let found = mentions[k] {
                let v = found.end
                if v < tokens.count, EntityCues.speechVerbs.contains(tokens[v].lowered) {
                    return (speaker(found.entity), tokens[v].text)
                }
            }
            if EntityCues.speechVerbs.contains(tokens[k].lowered) {
                if k + 1 < tokens.count, let found = mentions[skipTitles(k + 1)] { return (speaker(found.entity), tokens[k].text) }
                if k + 1 < tokens.count, Self.pronouns.contains(tokens[k + 1].lowered),
                    let subject = lastSubject(before: open, mentions: mentions)
                {
                    return (speaker(subject), tokens[k].text)
                }
            }
            if Self.pronouns.contains(tokens[k].lowered), k + 1 < tokens.count,
                EntityCues.speechVerbs.contains(tokens[k + 1].lowered)
            {
                if let subject = lastSubject(before: open, mentions: mentions) {
                    return (speaker(subject), tokens[k + 1].text)
                }
                return (nil, tokens[k + 1].text)
            }
            if tokens[k - 1].text == ":" || (k < tokens.count && tokens[k].text == ":") {
                var m = tokens[k].text == ":" ? k + 1 : k
                while m < tokens.count, m < k + 5, mentions[m] == nil { m += 1 }
                if m < tokens.count, let found = mentions[m], entities[found.entity].type == .person {
                    return (speaker(found.entity), nil)
                }
            }
        }
        // Before, in the same sentence: NAME … VERB (that) “…”, or "according to NAME".
        let sentence = tokens[open].sentence
        var verbIndex: Int?
        var m = open - 1
        while m >= 0, m >= open - 80, tokens[m].sentence == sentence {
            if verbIndex == nil, EntityCues.speechVerbs.contains(tokens[m].lowered) { verbIndex = m }
            m -= 1
        }
        let sentenceStart = m + 1
        for n in sentenceStart..<min(tokens.count, open + 80) {
            guard tokens[n].sentence == sentence else { break }
            if tokens[n].lowered == "according", n + 2 < tokens.count, tokens[n + 1].lowered == "to" {
                let p = skipTitles(n + 2)
                if let found = mentions[p] { return (speaker(found.entity), "according to") }
            }
        }
        if let verb = verbIndex {
            var p = verb - 1
            while p >= sentenceStart, p >= verb - 40 {
                if let found = mentions[p] { return (speaker(found.entity), tokens[verb].text) }
                if Self.pronouns.contains(tokens[p].lowered) {
                    return (lastSubject(before: p, mentions: mentions).map(speaker), tokens[verb].text)
                }
                p -= 1
            }
            return (nil, tokens[verb].text)
        }
        // A quotation set as its own line: the next line opening with NAME VERB, or the line before ending in ":".
        let opensLine = open == 0 || tokens[open - 1].line != tokens[open].line
        if opensLine, close + 1 < tokens.count, tokens[close + 1].line != tokens[close].line {
            let n = close + 1
            if let found = mentions[n], found.end < tokens.count, EntityCues.speechVerbs.contains(tokens[found.end].lowered) {
                return (speaker(found.entity), tokens[found.end].text)
            }
        }
        return (nil, nil)
    }
}
