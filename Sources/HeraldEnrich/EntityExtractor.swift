/// Finds named entities in a text: candidates from capitalisation, typed by cues and gazetteers, merged by
/// within-document coreference. See `docs/architecture.md` ("Entities, quotes, amounts and stories").
struct EntityExtractor: Sendable {
    let gazetteer: Gazetteer

    /// A possible mention, before coreference.
    struct Candidate {
        var tokens: Range<Int>
        var start: Int
        var end: Int
        var text: String
        var type: EntityType?
        /// 2: a cue or gazetteer typed it; 1: typed by weaker evidence; 0: untyped single word.
        var strength: Int
        var heading = false
        /// For a generic phrase ("Annual Summit"): the type it takes if it ends a longer name of the text.
        var pendingType: EntityType?
        /// ``NameNormalizer`` key and word count, filled once before coreference.
        var key = ""
        var wordCount = 0
        /// Token index of the candidate's first token, for ordering.
        var order: Int { tokens.lowerBound }
        /// Words in the text (split at spaces, hyphens, dashes and `&`), counted without allocating.
        var words: Int {
            var count = 0
            var inWord = false
            for byte in text.utf8 {
                // Space, tab, '-', '/', '&' and the lead byte of U+2010…U+2014 (0xE2) end a word.
                let separator = byte == 0x20 || byte == 0x09 || byte == 0x2D || byte == 0x2F || byte == 0x26
                    || byte == 0xE2
                if separator {
                    if byte == 0x26 { count += 1 }
                    inWord = false
                } else if byte >= 0x80 && byte < 0xC0 && !inWord {
                    continue
                } else if !inWord {
                    inWord = true
                    count += 1
                }
            }
            return count
        }
    }

    /// One entity being built.
    struct Cluster {
        var type: EntityType
        var name: String
        var nameWords: Int
        var forms: [String] = []
        var mentions: [EntityMention] = []
        var keys: Set<String> = []
        var firstOrder: Int
    }

    func extract(_ text: TokenizedText) -> [Entity] {
        var context = Context(text: text, gazetteer: gazetteer)
        context.findCandidates()
        return context.resolve()
    }
}

extension EntityExtractor {
    struct Context {
        let text: TokenizedText
        let gazetteer: Gazetteer
        var tokens: [Token] { text.tokens }
        var headingLines: Set<Int> = []
        var lowerVocabulary: Set<String> = []
        var midSentenceCapitals: [String: Int] = [:]
        /// Capitalised words seen alone (not beside another capitalised word), e.g. a surname used by itself.
        var standaloneCapitals: [String: Int] = [:]
        var candidates: [Candidate] = []
        /// Acronym key → scalar offset of its expansion's candidate.
        var acronyms: [String: Int] = [:]

        /// ``NameNormalizer`` keys of capitalised words and name connectors ("" for other tokens).
        var tokenKeys: [String] = []
        /// Demonym verdicts by word.
        var demonymCache: [String: Bool] = [:]
        /// For each token, where its name part ends when an adjectival suffix is cut ("Russia-led").
        var cutEnds: [Int?] = []
        /// For each token, the cue lists its lowercased text is on.
        var cues: [CueSet] = []

        init(text: TokenizedText, gazetteer: Gazetteer) {
            self.text = text
            self.gazetteer = gazetteer
            cutEnds = text.tokens.map(Self.cutSuffix)
            cues = text.tokens.map { CueSet.table[$0.lowered] ?? [] }
            var cache: [String: String] = [:]
            tokenKeys = text.tokens.map { token in
                guard token.kind != .punctuation, token.isCapitalized || token.kind == .number
                    || Self.connectors.contains(token.lowered) || Self.particles.contains(token.lowered)
                    || token.lowered == "the"
                else { return token.text == "&" ? "and" : "" }
                if let known = cache[token.text] { return known }
                let plain = !token.text.utf8.contains { $0 == 0x2D || $0 == 0xE2 || $0 == 0x26 || $0 == 0x2F || $0 == 0x20 }
                let key = plain ? NameNormalizer.key(word: token.text) : NameNormalizer.key(name: token.text)
                cache[token.text] = key
                return key
            }
            for token in text.tokens where token.kind == .word {
                if token.text.unicodeScalars.first?.properties.isLowercase == true {
                    lowerVocabulary.insert(token.text.lowercased())
                } else if !token.sentenceInitial {
                    midSentenceCapitals[token.text, default: 0] += 1
                }
            }
            let all = text.tokens
            for (i, token) in all.enumerated() where token.isCapitalized {
                let before = i > 0 && all[i - 1].isCapitalized && all[i - 1].line == token.line
                let after = i + 1 < all.count && all[i + 1].isCapitalized && all[i + 1].line == token.line
                if !before && !after { standaloneCapitals[token.text, default: 0] += 1 }
            }
            for line in text.lines where isHeading(line) { headingLines.insert(text.tokens[line.lowerBound].line) }
        }

        // MARK: Lines

        /// A line set in title case (most longer words capitalised) and not a list item: a heading.
        func isHeading(_ line: Range<Int>) -> Bool {
            guard let first = line.first else { return false }
            let listItem = tokens[first].kind == .punctuation && ["-", "•", "*", "–", "·"].contains(tokens[first].text)
            var words = 0
            var capitals = 0
            for i in line where tokens[i].kind == .word {
                let lower = tokens[i].lowered
                if EntityCues.functionWords.contains(lower) && !tokens[i].isCapitalized { continue }
                if tokens[i].text.unicodeScalars.count < 3 && !tokens[i].isCapitalized { continue }
                words += 1
                if tokens[i].isCapitalized { capitals += 1 }
            }
            guard words >= 1, words <= 25, !listItem || capitals >= 4 else { return false }
            return Double(capitals) >= 0.75 * Double(words)
        }

        func isCommonWord(_ word: String) -> Bool {
            let lower = word.lowercased()
            if lowerVocabulary.contains(lower) || EntityCues.functionWords.contains(lower) { return true }
            if lower.hasSuffix("s"), lowerVocabulary.contains(String(lower.dropLast())) { return true }
            return false
        }

        // MARK: Candidates

        static let connectors: Set<String> = ["of", "on", "for", "and", "&"]
        static let particles: Set<String> = ["de", "del", "da", "van", "von", "bin", "al", "la", "le", "du", "di"]

        func isNameWord(_ i: Int) -> Bool {
            let token = tokens[i]
            guard token.kind == .word else { return false }
            return token.isCapitalized
        }

        func hasHead(_ range: Range<Int>) -> Bool {
            range.contains { !cues[$0].isDisjoint(with: .head) }
        }

        mutating func findCandidates() {
            cacheDemonyms()
            var i = 0
            let count = tokens.count
            while i < count {
                guard isNameWord(i) else { i += 1; continue }
                var end = i + 1
                while end < count && cutSuffix(i) == nil {
                    let token = tokens[end]
                    guard token.sentence == tokens[i].sentence else { break }
                    if isNameWord(end) && token.spaceBefore {
                        if cutSuffix(end) != nil { end += 1; break }
                        end += 1
                        continue
                    }
                    // "St. Petersburg", "Mr. Smith", "John F. Kennedy".
                    if token.text == ".", !token.spaceBefore, end + 1 < count, isNameWord(end + 1) {
                        let previous = tokens[end - 1].lowered
                        if TokenizedText.abbreviations.contains(previous) || previous.unicodeScalars.count == 1 {
                            end += 2
                            continue
                        }
                    }
                    if token.kind == .word, !token.isCapitalized {
                        let lower = token.lowered
                        var next = end + 1
                        if next < count, tokens[next].lowered == "the", lower != "and" { next += 1 }
                        guard next < count, isNameWord(next), tokens[next].sentence == tokens[i].sentence else { break }
                        if Self.particles.contains(lower) { end = next + 1; continue }
                        if Self.connectors.contains(lower) {
                            var ahead = next
                            while ahead < count && isNameWord(ahead) && tokens[ahead].spaceBefore { ahead += 1 }
                            let insidePhrase = (i..<end).contains { ["of", "on", "for"].contains(tokens[$0].lowered) }
                            // "Commission on Military & Military Technical Cooperation" joins; "Ministry of X and
                            // Y Ltd" is two names, since the right side has a head of its own.
                            let rightHead = hasHead((ahead - 1)..<ahead)
                            let joins = ["and", "&"].contains(lower)
                                ? (insidePhrase && !rightHead) || (!hasHead(i..<end) && rightHead)
                                : hasHead(i..<end)
                            if joins {
                                end = next
                                continue
                            }
                        }
                    }
                    if token.text == "&", end + 1 < count, isNameWord(end + 1),
                        (i..<end).contains(where: { ["of", "on", "for"].contains(tokens[$0].lowered) })
                    {
                        end += 1
                        continue
                    }
                    break
                }
                analyse(i..<end)
                i = end
            }
            findAcronymDefinitions()
            applyListContext()
        }

        /// For a hyphenated word whose last part is an adjectival suffix ("Russia-led"), the scalar offset where
        /// the name part ends.
        func cutSuffix(_ i: Int) -> Int? { cutEnds[i] }

        static func cutSuffix(_ token: Token) -> Int? {
            guard token.kind == .word, token.text.utf8.contains(where: { $0 == 0x2D || $0 == 0xE2 }) else { return nil }
            return computeCut(token)
        }

        static func computeCut(_ token: Token) -> Int? {
            let tokens = [token]
            let i = 0
            let parts = tokens[i].text.split(whereSeparator: { "-\u{2010}\u{2011}\u{2013}".contains($0) })
            guard parts.count >= 2, let last = parts.last, EntityCues.adjectivalSuffixes.contains(last.lowercased())
            else { return nil }
            return tokens[i].end - last.unicodeScalars.count - 1
        }

        func makeCandidate(_ range: Range<Int>, type: EntityType?, strength: Int) -> Candidate {
            let start = tokens[range.lowerBound].start
            var end = tokens[range.upperBound - 1].end
            if let cut = cutSuffix(range.upperBound - 1) { end = cut }
            return Candidate(
                tokens: range, start: start, end: end, text: text.string(start, end), type: type, strength: strength,
                heading: headingLines.contains(tokens[range.lowerBound].line))
        }

        func key(_ range: Range<Int>) -> String {
            if cutSuffix(range.upperBound - 1) == nil {
                // Words written together ("U.S") join without a space, as the gazetteer's keys do.
                var out = ""
                for i in range where !tokenKeys[i].isEmpty {
                    if !out.isEmpty && tokens[i].spaceBefore { out += " " }
                    out += tokenKeys[i]
                }
                return out
            }
            var start = tokens[range.lowerBound].start
            var end = tokens[range.upperBound - 1].end
            if let cut = cutSuffix(range.upperBound - 1) { end = cut }
            start = min(start, end)
            return NameNormalizer.key(name: text.string(start, end))
        }

        static func isYear(_ text: Substring) -> Bool {
            guard text.count == 4, text.allSatisfy(\.isNumber), let value = Int(text) else { return false }
            return value >= 1900 && value <= 2099
        }

        /// S-400, Su-30MKI, MiG-29K, T-90, AK-203, P8I: a short capitalised prefix, digits, a short suffix.
        static func isEquipmentCode(_ word: String) -> Bool {
            let scalars = Array(word.unicodeScalars)
            var i = 0
            var letters = 0
            while i < scalars.count, scalars[i].properties.isAlphabetic { i += 1; letters += 1 }
            guard letters >= 1, letters <= 6, let first = scalars.first, Token.isUpper(first) else { return false }
            if i < scalars.count, scalars[i] == "-" { i += 1 }
            var digits = 0
            var digitText = ""
            while i < scalars.count, ("0"..."9").contains(scalars[i]) { digitText.unicodeScalars.append(scalars[i]); i += 1; digits += 1 }
            guard digits >= 1, digits <= 4, !isYear(Substring(digitText)) else { return false }
            var suffix = 0
            while i < scalars.count, Token.isUpper(scalars[i]) || ("0"..."9").contains(scalars[i]) { i += 1; suffix += 1 }
            return i == scalars.count && suffix <= 4
        }

        static func hasYearSuffix(_ word: String) -> Bool {
            guard word.utf8.contains(where: { $0 == 0x2D || $0 == 0xE2 }) else { return false }
            guard let dash = word.lastIndex(where: { "-\u{2013}".contains($0) }) else { return false }
            return isYear(word[word.index(after: dash)...])
        }

        func headType(_ range: Range<Int>) -> EntityType? {
            func type(of lower: String) -> EntityType? {
                if EntityCues.organizationHeads.contains(lower) { return .organization }
                if EntityCues.eventHeads.contains(lower) { return .event }
                if EntityCues.otherHeads.contains(lower) { return .other }
                if EntityCues.locationHeads.contains(lower) { return .location }
                return nil
            }
            // The head of the phrase before "of"/"on"/"for" ("Commission on Military ...", "Ministry of ...").
            if let connector = range.first(where: { ["of", "on", "for"].contains(tokens[$0].lowered) && !tokens[$0].isCapitalized }),
                connector > range.lowerBound, let found = type(of: tokens[connector - 1].lowered)
            {
                return found
            }
            var last = tokens[range.upperBound - 1].lowered
            if cutSuffix(range.upperBound - 1) != nil, let part = last.split(whereSeparator: { "-\u{2013}".contains($0) }).first {
                last = String(part)
            }
            if let found = type(of: last) { return found }
            if range.count > 1, let found = type(of: tokens[range.lowerBound].lowered) { return found }
            return nil
        }

        func isHeadOrRole(_ i: Int) -> Bool {
            if !cues[i].isDisjoint(with: [.head, .role, .demonym]) { return true }
            let lower = tokens[i].lowered
            return Self.isOrdinalWord(lower) || ["annual", "international", "global", "joint", "bilateral"].contains(lower)
        }

        /// Modifiers that make a head a description, not a name ("Annual Summit", "Joint Exercise").
        static let genericModifiers: Set<String> = [
            "annual", "international", "global", "joint", "bilateral", "first", "second", "third", "fourth", "fifth",
            "next", "last", "special", "new", "regional", "national", "general", "high-level",
        ]

        static func isOrdinalWord(_ lower: String) -> Bool {
            ["first", "second", "third", "fourth", "fifth", "annual"].contains(lower)
        }

        func isDemonym(_ word: String) -> Bool {
            if let known = demonymCache[word] { return known }
            return Self.demonym(word, gazetteer)
        }

        mutating func cacheDemonyms() {
            for token in tokens where token.isCapitalized && demonymCache[token.text] == nil {
                demonymCache[token.text] = Self.demonym(token.text, gazetteer)
            }
        }

        static func demonym(_ word: String, _ gazetteer: Gazetteer) -> Bool {
            let lower = word.lowercased()
            if EntityCues.demonyms.contains(lower) { return true }
            if lower.utf8.contains(where: { $0 == 0x2D || $0 == 0xE2 }) {
                let parts = lower.split(whereSeparator: { "-\u{2013}".contains($0) })
                if parts.count > 1 { return parts.allSatisfy { EntityCues.demonyms.contains(String($0)) } }
            }
            guard lower.hasSuffix("n") else { return false }
            // Russia → Russian, India → Indian, Korea → Korean.
            if lower.hasSuffix("n"), gazetteer.type(of: String(word.dropLast())) == .location { return true }
            if lower.hasSuffix("ian"), gazetteer.type(of: String(word.dropLast(3))) == .location { return true }
            return false
        }

        mutating func add(_ range: Range<Int>, _ type: EntityType?, _ strength: Int) {
            guard !range.isEmpty else { return }
            candidates.append(makeCandidate(range, type: type, strength: strength))
        }

        mutating func analyse(_ span: Range<Int>) {
            var lower = span.lowerBound
            var upper = span.upperBound
            // Function words, calendar words and non-names at the edges.
            func droppable(_ i: Int) -> Bool {
                let word = tokens[i].lowered
                return !cues[i].isDisjoint(with: [.function, .calendar, .nonName]) || tokens[i].kind != .word
                    || Self.connectors.contains(word) || word == "the"
            }
            while lower < upper, droppable(lower), !isTitle(lower) { lower += 1 }
            while upper > lower, droppable(upper - 1) { upper -= 1 }
            guard lower < upper else { return }
            let heading = headingLines.contains(tokens[lower].line)
            if bylineStart(lower), (2...4).contains(upper - lower) {
                var candidate = makeCandidate(lower..<upper, type: .person, strength: 2)
                candidate.heading = false
                candidates.append(candidate)
                return
            }
            if heading {
                addWindows(lower..<upper)
                return
            }
            var range = lower..<upper
            if let known = gazetteer.type(key: key(range)) {
                add(range, known, 2)
                return
            }
            // A common word opening a sentence ("Bilateral Summit at ...") is not part of the name.
            if tokens[range.lowerBound].sentenceInitial, range.count > 1, !isTitle(range.lowerBound),
                isCommonWord(tokens[range.lowerBound].text), !gazetteer.isFirstName(tokens[range.lowerBound].text),
                !isDemonym(tokens[range.lowerBound].text)
            {
                range = (range.lowerBound + 1)..<range.upperBound
                if let known = gazetteer.type(key: key(range)) {
                    add(range, known, 2)
                    return
                }
            }
            // A plural of an acronym (MoUs, NGOs) or a letter-and-letter (R&D) is a common noun.
            if range.count == 1, Self.isCommonAcronym(tokens[range.lowerBound].text) { return }
            // Titles: what follows the last title is a person's name; a title alone names no one.
            if let title = range.last(where: { isTitle($0) }) {
                var name = (title + 1)..<range.upperBound
                while let first = name.first, tokens[first].text == "." || EntityCues.roleWords.contains(tokens[first].lowered)
                    || isDemonym(tokens[first].text)
                {
                    name = (first + 1)..<name.upperBound
                }
                if name.isEmpty {
                    if range.contains(where: { EntityCues.pluralTitles.contains(tokens[$0].lowered) })
                        || headType(range) == nil || headType(range) == .organization && isTitle(range.upperBound - 1)
                    {
                        return
                    }
                } else if headType(name) == nil || name.count == 1 {
                    if name.allSatisfy({ isCommonWord(tokens[$0].text) }) { return }
                    add(name, .person, 2)
                    return
                }
            }
            if range.allSatisfy({ EntityCues.pluralTitles.contains(tokens[$0].lowered) || isHeadOrRole($0) }) {
                let spanKey = range.map { tokens[$0].lowered }.joined(separator: " ")
                if EntityCues.standaloneOrganizations.contains(spanKey) || spanKey == "air force" {
                    if !tokens[range.lowerBound].sentenceInitial { add(range, .organization, 2) }
                    return
                }
                let generic = Self.genericModifiers.contains(tokens[range.lowerBound].lowered)
                if range.count >= 3 || (range.count == 2 && !generic), let type = headType(range) {
                    add(range, type, 2)
                } else if range.count == 2, let type = headType(range) {
                    // "Annual Summit": kept only if it ends a longer name of the text.
                    var candidate = makeCandidate(range, type: nil, strength: 0)
                    candidate.pendingType = type
                    candidate.heading = true
                    candidates.append(candidate)
                }
                return
            }
            let last = range.upperBound - 1
            if Self.hasYearSuffix(tokens[last].text) {
                add(range, .event, 2)
                return
            }
            if range.count > 1, EntityCues.shipPrefixes.contains(tokens[range.lowerBound].lowered),
                tokens[range.lowerBound].isAcronym
            {
                add(range, .equipment, 2)
                return
            }
            // Equipment codes inside a longer span stand alone.
            if range.contains(where: { Self.isEquipmentCode(tokens[$0].text) || tokens[$0].lowered.hasSuffix("-class") }) {
                for i in range where Self.isEquipmentCode(tokens[i].text) || tokens[i].lowered.hasSuffix("-class") {
                    add(i..<(i + 1), .equipment, 2)
                }
                return
            }
            if let type = headType(range) {
                // Strip a leading demonym from a place or event name only when the rest stays a name.
                add(range, type, 2)
                return
            }
            if range.count == 1 {
                let word = makeCandidate(range, type: nil, strength: 0).text
                if isDemonym(word) { return }
                if splitCompound(range.lowerBound) { return }
                if gazetteer.isFirstName(word) && !tokens[range.lowerBound].isAcronym {
                    add(range, nil, 0)
                    return
                }
                add(range, nil, 0)
                return
            }
            if range.lowerBound > 0, EntityCues.personNouns.contains(tokens[range.lowerBound - 1].lowered),
                !tokens[range.lowerBound - 1].isCapitalized, range.count <= 4
            {
                add(range, .person, 2)
                return
            }
            // Names made of known names ("India Russia Defence Ties") give the known names only.
            if addKnownWindows(range) { return }
            if gazetteer.isFirstName(tokens[range.lowerBound].text), range.count <= 4,
                !isCommonWord(tokens[range.upperBound - 1].text)
            {
                add(range, .person, 1)
                return
            }
            while let first = range.first, isDemonym(tokens[first].text) { range = (first + 1)..<range.upperBound }
            guard !range.isEmpty else { return }
            if range.allSatisfy({ isCommonWord(tokens[$0].text) || isDemonym(tokens[$0].text) }) { return }
            // Two or three plain words whose last is also used alone ("Cam Heyward" … "Heyward"), or that a speech
            // verb follows: a person's name.
            if (2...3).contains(range.count),
                range.allSatisfy({ !tokens[$0].isAcronym && !isCommonWord(tokens[$0].text) && tokens[$0].text.allSatisfy(\.isLetter) }),
                (standaloneCapitals[tokens[range.upperBound - 1].text] ?? 0) >= 1
                    || range.upperBound < tokens.count && EntityCues.speechVerbs.contains(tokens[range.upperBound].lowered)
            {
                add(range, .person, 1)
                return
            }
            if range.count == 1 {
                add(range, nil, 0)
                return
            }
            add(range, .other, 1)
        }

        func isTitle(_ i: Int) -> Bool {
            guard cues[i].contains(.title) else { return false }
            // "General" opening "General Motors" is not a title; a title needs a name or a role next to it.
            return true
        }

        func bylineStart(_ i: Int) -> Bool {
            i > 0 && tokens[i - 1].lowered == "by" && tokens[i - 1].sentenceInitial
        }

        static func isCommonAcronym(_ word: String) -> Bool {
            let scalars = Array(word.unicodeScalars)
            if scalars.count >= 3, scalars.last == "s", Token.isUpper(scalars[scalars.count - 2]),
                scalars.dropLast().filter({ Token.isUpper($0) }).count >= 2
            {
                return true
            }
            if scalars.count == 3, scalars[1] == "&" { return true }
            return false
        }

        /// "India-Russia", "India–Pakistan": a compound of known names gives one mention per part.
        mutating func splitCompound(_ i: Int) -> Bool {
            let token = tokens[i]
            let scalars = Array(token.text.unicodeScalars)
            var parts: [(Int, Int)] = []
            var start = 0
            for (offset, scalar) in scalars.enumerated() where "-\u{2010}\u{2011}\u{2013}".unicodeScalars.contains(scalar) {
                parts.append((start, offset))
                start = offset + 1
            }
            guard !parts.isEmpty else { return false }
            parts.append((start, scalars.count))
            let texts = parts.map { String(String.UnicodeScalarView(scalars[$0.0..<$0.1])) }
            if texts.allSatisfy({ isDemonym($0) || $0.lowercased() == "indo" }) { return true }
            let types = texts.map { gazetteer.type(of: $0) }
            guard types.allSatisfy({ $0 != nil }) else {
                // Unknown parts wait for coreference (Modi–Putin); kept whole as an untyped word.
                return false
            }
            for (index, part) in parts.enumerated() {
                candidates.append(Candidate(
                    tokens: i..<(i + 1), start: token.start + part.0, end: token.start + part.1, text: texts[index],
                    type: types[index], strength: 2, heading: headingLines.contains(token.line)))
            }
            return true
        }

        /// Adds the known names inside `range` (gazetteer windows, longest first); false when there are none.
        mutating func addKnownWindows(_ range: Range<Int>) -> Bool {
            var found = false
            var i = range.lowerBound
            while i < range.upperBound {
                var matched = false
                for length in stride(from: min(gazetteer.longest, range.upperBound - i), through: 1, by: -1) {
                    let window = i..<(i + length)
                    if let type = gazetteer.type(key: key(window)) {
                        add(window, type, 2)
                        i += length
                        matched = true
                        found = true
                        break
                    }
                }
                if !matched {
                    if Self.isEquipmentCode(tokens[i].text) { add(i..<(i + 1), .equipment, 2); found = true }
                    i += 1
                }
            }
            return found
        }

        /// A heading: every window is kept as an untyped heading candidate; only known names survive.
        mutating func addWindows(_ range: Range<Int>) {
            if addKnownWindows(range) {}
            // Titles and place heads are cues even in title case: "President Droupadi Murmu", "Hyderabad House".
            if let title = range.last(where: { isTitle($0) }), title + 1 < range.upperBound,
                !isTitle(range.upperBound - 1), (range.upperBound - title - 1) <= 3,
                ((title + 1)..<range.upperBound).allSatisfy({ !isHeadOrRole($0) && !isCommonWord(tokens[$0].text) })
            {
                var candidate = makeCandidate((title + 1)..<range.upperBound, type: .person, strength: 2)
                candidate.heading = false
                candidates.append(candidate)
            }
            let lastLower = tokens[range.upperBound - 1].lowered
            if EntityCues.locationHeads.contains(lastLower), range.count >= 2 {
                var start = range.upperBound - 2
                while start > range.lowerBound, isNameWord(start - 1), !isCommonWord(tokens[start - 1].text) { start -= 1 }
                if !isCommonWord(tokens[start].text) {
                    var candidate = makeCandidate(start..<range.upperBound, type: .location, strength: 2)
                    candidate.heading = false
                    candidates.append(candidate)
                }
            }
            for i in range where isNameWord(i) && !Self.isEquipmentCode(tokens[i].text) {
                if gazetteer.type(of: tokens[i].text) != nil { continue }
                for length in 1...min(4, range.upperBound - i) {
                    let window = i..<(i + length)
                    guard window.allSatisfy({ isNameWord($0) }) else { break }
                    var candidate = makeCandidate(window, type: nil, strength: 0)
                    candidate.heading = true
                    candidates.append(candidate)
                }
            }
        }

        /// "Long Name (ACR)": the acronym is an alias of the long name.
        mutating func findAcronymDefinitions() {
            var added: [Candidate] = []
            for candidate in candidates where candidate.words >= 2 && !candidate.heading {
                let after = candidate.tokens.upperBound
                guard after + 2 < tokens.count, tokens[after].text == "(", tokens[after + 1].isAcronym
                    || tokens[after + 1].kind == .word && tokens[after + 1].text.unicodeScalars.filter({ Token.isUpper($0) }).count >= 2,
                    tokens[after + 2].text == ")"
                else { continue }
                let acronym = tokens[after + 1]
                guard let initial = acronym.text.unicodeScalars.first,
                    candidate.text.unicodeScalars.contains(where: { $0 == initial })
                else { continue }
                acronyms[NameNormalizer.key(name: acronym.text)] = candidate.start
                added.append(Candidate(
                    tokens: (after + 1)..<(after + 2), start: acronym.start, end: acronym.end, text: acronym.text,
                    type: candidate.type, strength: 2))
            }
            // The acronym token was analysed as a weak candidate already; replace it.
            let addedStarts = Set(added.map(\.start))
            candidates.removeAll { addedStarts.contains($0.start) && $0.strength == 0 }
            candidates += added
        }

        /// "Russian ships Pechanga, Rezkiy, and Aldar Tsydenzhapov": names listed after a vehicle noun.
        mutating func applyListContext() {
            let byStart = Dictionary(candidates.indices.map { (candidates[$0].tokens.lowerBound, $0) }, uniquingKeysWith: { a, _ in a })
            for i in tokens.indices where EntityCues.equipmentNouns.contains(tokens[i].lowered) && tokens[i].kind == .word
                && !tokens[i].isCapitalized
            {
                var j = i + 1
                while j < tokens.count, tokens[j].sentence == tokens[i].sentence {
                    // A title inside a ship name ("Marshal Shaposhnikov") starts the span one token earlier.
                    var index = byStart[j]
                    if index == nil, isTitle(j), let next = byStart[j + 1] {
                        index = next
                        candidates[next].start = tokens[j].start
                        candidates[next].text = text.string(tokens[j].start, candidates[next].end)
                        candidates[next].tokens = j..<candidates[next].tokens.upperBound
                    }
                    guard let found = index, !candidates[found].heading else { break }
                    candidates[found].type = .equipment
                    candidates[found].strength = 2
                    j = candidates[found].tokens.upperBound
                    if j < tokens.count, tokens[j].text == "," { j += 1 }
                    if j < tokens.count, tokens[j].lowered == "and" { j += 1 }
                }
            }
        }
    }
}
