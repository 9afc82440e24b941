extension EntityExtractor.Context {
    typealias Candidate = EntityExtractor.Candidate
    typealias Cluster = EntityExtractor.Cluster

    /// "INDRA 2025", "MILAN 2024": a name followed by a year is an edition of an event.
    mutating func attachYears() {
        for index in candidates.indices {
            let candidate = candidates[index]
            // A place written in capitals before a year ("MILAN 2024") is an event's edition, not the city.
            let capitalPlace = candidate.type == .location && candidate.words == 1
                && tokens[candidate.tokens.lowerBound].isAcronym && candidate.text.unicodeScalars.count > 3
            guard candidate.type != .person, candidate.type != .location || capitalPlace,
                candidate.type != .equipment, !candidate.heading
            else { continue }
            let next = candidate.tokens.upperBound
            guard next < tokens.count, tokens[next].kind == .number, tokens[next].spaceBefore,
                tokens[next].line == tokens[candidate.tokens.lowerBound].line,
                Self.isYear(Substring(tokens[next].text))
            else { continue }
            // Not "in 2018 alone": the year must end the phrase or precede punctuation or a lowercase word.
            candidates[index].end = tokens[next].end
            candidates[index].text = text.string(candidate.start, tokens[next].end)
            candidates[index].tokens = candidate.tokens.lowerBound..<(next + 1)
            if candidate.type == nil || capitalPlace || candidate.type == .other && candidate.strength < 2 {
                candidates[index].type = .event
            }
            candidates[index].strength = 2
        }
    }

    /// Merges candidates into entities: exact keys, transliteration keys, surnames, acronyms, suffixes.
    mutating func resolve() -> [Entity] {
        attachYears()
        var keyCache: [String: String] = [:]
        for index in candidates.indices {
            let text = candidates[index].text
            let key = keyCache[text] ?? NameNormalizer.key(name: text)
            keyCache[text] = key
            candidates[index].key = key
            candidates[index].wordCount = candidates[index].words
        }
        var clusters: [Cluster] = []
        var byKey: [String: Int] = [:]
        var bySurname: [String: [Int]] = [:]
        /// Clusters by the last word of each of their keys, so suffix matches look at few clusters.
        var byLastWord: [Substring: Set<Int>] = [:]

        func register(_ key: String, _ cluster: Int) {
            byKey[key] = byKey[key] ?? cluster
            clusters[cluster].keys.insert(key)
            if let last = key.split(separator: " ").last { byLastWord[last, default: []].insert(cluster) }
            if clusters[cluster].type == .person {
                let words = key.split(separator: " ")
                if words.count >= 2, let last = words.last { bySurname[String(last), default: []].append(cluster) }
            }
        }
        func attach(_ candidate: Candidate, to cluster: Int) {
            clusters[cluster].mentions.append(EntityMention(start: candidate.start, end: candidate.end, text: candidate.text))
            if !clusters[cluster].forms.contains(candidate.text) { clusters[cluster].forms.append(candidate.text) }
            let words = candidate.wordCount
            let acronym = candidate.text.unicodeScalars.filter({ $0.properties.isLowercase }).isEmpty
            if words > clusters[cluster].nameWords && !(acronym && words == 1) {
                clusters[cluster].name = candidate.text
                clusters[cluster].nameWords = words
            }
            register(candidate.key, cluster)
        }
        func create(_ candidate: Candidate, _ type: EntityType) {
            let acronym = candidate.text.unicodeScalars.filter({ $0.properties.isLowercase }).isEmpty
            clusters.append(Cluster(
                type: type, name: candidate.text, nameWords: acronym && candidate.wordCount == 1 ? 0 : candidate.wordCount,
                firstOrder: candidate.order))
            attach(candidate, to: clusters.count - 1)
        }
        func surnameMatch(_ key: String) -> Int? {
            guard !key.contains(" "), let found = bySurname[key], let first = found.first else { return nil }
            return first
        }
        /// A shorter name that ends a longer one of the same type ("Annual Summit" of "India-Russia Annual Summit").
        func suffixMatch(_ key: String, _ type: EntityType) -> Int? {
            guard type != .person, type != .location, key.contains(" "), let last = key.split(separator: " ").last
            else { return nil }
            var found: Int?
            for index in (byLastWord[last] ?? []).sorted() where clusters[index].type == type {
                let cluster = clusters[index]
                if cluster.keys.contains(where: { $0.hasSuffix(" " + key) }) {
                    if found != nil && found != index { return nil }
                    found = index
                }
            }
            return found
        }
        /// "Annual Summit" of "Annual India-Russia Summit": every word inside, the same last word; one such name.
        func containedMatch(_ key: String, _ type: EntityType) -> Int? {
            let words = key.split(separator: " ")
            guard words.count >= 2, let last = words.last else { return nil }
            var found: Int?
            for index in (byLastWord[last] ?? []).sorted() where clusters[index].type == type {
                let hit = clusters[index].keys.contains { other in
                    let otherWords = other.split(separator: " ")
                    return otherWords.count > words.count && otherWords.last == last
                        && words.allSatisfy { otherWords.contains($0) }
                }
                if hit {
                    if found != nil && found != index { return nil }
                    found = index
                }
            }
            return found
        }
        func acronymMatch(_ key: String) -> Int? {
            // "IRIGC" of "IRIGC-M&MTC": the first part of an acronym defined in the text.
            guard key.count >= 3 else { return nil }
            for acronym in acronymKeys where acronym.hasPrefix(key + " ") {
                if let cluster = byKey[acronym] { return cluster }
            }
            return nil
        }

        let acronymKeys = acronyms.keys.sorted()
        // Typed candidates first, longest first, so the fullest name founds each entity.
        let typed = candidates.indices.filter { candidates[$0].type != nil && candidates[$0].strength >= 1 && !candidates[$0].heading }
            .sorted {
                (candidates[$0].strength, candidates[$0].wordCount, -candidates[$0].order)
                    > (candidates[$1].strength, candidates[$1].wordCount, -candidates[$1].order)
            }
        var acronymClusters: [Int: Int] = [:]
        for index in typed {
            let candidate = candidates[index]
            guard let type = candidate.type else { continue }
            let key = candidate.key
            if let definition = acronyms[key], let cluster = acronymClusters[definition] {
                attach(candidate, to: cluster)
                continue
            }
            if let cluster = byKey[key], clusters[cluster].type == type || candidate.strength < 2 {
                attach(candidate, to: cluster)
            } else if type == .person, let cluster = surnameMatch(key) {
                attach(candidate, to: cluster)
            } else if !Self.hasYearSuffix(candidate.text), let cluster = suffixMatch(key, type) {
                attach(candidate, to: cluster)
            } else if let cluster = byKey[key] {
                attach(candidate, to: cluster)
            } else {
                create(candidate, type)
            }
            acronymClusters[candidate.start] = byKey[key]
        }
        // Acronyms defined in the text join their expansion even when found before it in the sort.
        for index in typed {
            let key = candidates[index].key
            guard let definition = acronyms[key], let target = acronymClusters[definition],
                let current = byKey[key], current != target
            else { continue }
            for mention in clusters[current].mentions { clusters[target].mentions.append(mention) }
            for form in clusters[current].forms where !clusters[target].forms.contains(form) {
                clusters[target].forms.append(form)
            }
            for k in clusters[current].keys { byKey[k] = target; clusters[target].keys.insert(k) }
            clusters[current].mentions = []
        }
        // Then untyped words and heading windows: only what coreference or a context cue supports.
        let rest = candidates.indices.filter { candidates[$0].type == nil || candidates[$0].heading }
            .sorted { (candidates[$0].wordCount, -candidates[$0].order) > (candidates[$1].wordCount, -candidates[$1].order) }
        // Scalars already inside a mention, so heading windows and parts never overlap one.
        var claimed = [Bool](repeating: false, count: text.scalars.count + 1)
        func claim(_ start: Int, _ end: Int) { for k in start..<max(start, end) where k < claimed.count { claimed[k] = true } }
        func isClaimed(_ start: Int, _ end: Int) -> Bool {
            (start..<max(start, end)).contains { $0 < claimed.count && claimed[$0] }
        }
        for cluster in clusters { for mention in cluster.mentions { claim(mention.start, mention.end) } }
        for index in rest {
            let candidate = candidates[index]
            if isClaimed(candidate.start, candidate.end) { continue }
            let key = candidate.key
            var target: Int?
            if let cluster = byKey[key] {
                target = cluster
            } else if let cluster = surnameMatch(key) {
                target = cluster
            } else if let cluster = acronymMatch(key) {
                target = cluster
            } else if let type = candidate.pendingType, let cluster = suffixMatch(key, type) ?? containedMatch(key, type) {
                target = cluster
            } else if candidate.heading {
                if let type = candidate.type, candidate.strength >= 2 { create(candidate, type) }
                else { continue }
                claim(candidate.start, candidate.end)
                continue
            }
            if let target {
                attach(candidate, to: target)
                claim(candidate.start, candidate.end)
                continue
            }
            if candidate.heading { continue }
            if let parts = compoundParts(candidate) {
                let targets = parts.map { byKey[$0.key] ?? surnameMatch($0.key) }
                if targets.allSatisfy({ $0 != nil }) {
                    for (part, target) in zip(parts, targets) { attach(part, to: target!) }
                    continue
                }
            }
            // "INDRA" beside "INDRA 2025": a lone acronym that opens an event's name is that event series.
            if tokens[candidate.tokens.lowerBound].isAcronym, candidate.wordCount == 1,
                clusters.contains(where: { $0.type == .event && $0.keys.contains { $0.hasPrefix(key + " ") } })
            {
                create(candidate, .event)
                continue
            }
            if let type = weakType(candidate) {
                if let cluster = byKey[key] { attach(candidate, to: cluster) } else { create(candidate, type) }
            }
        }

        return clusters.filter { !$0.mentions.isEmpty }.sorted { $0.firstOrderInText < $1.firstOrderInText }.map { cluster in
            let mentions = cluster.mentions.sorted { $0.start < $1.start }
            var aliases: [String] = []
            for mention in mentions where mention.text != cluster.name && !aliases.contains(mention.text) {
                aliases.append(mention.text)
            }
            return Entity(
                id: cluster.type.rawValue + ":"
                    + NameNormalizer.slug(name: cluster.name, transliterate: cluster.type == .person),
                name: cluster.name,
                type: cluster.type, aliases: aliases, mentions: mentions)
        }
    }

    /// The parts of a hyphenated word ("Modi–Putin"), as candidates of their own; nil for a plain word.
    func compoundParts(_ candidate: Candidate) -> [Candidate]? {
        guard candidate.text.utf8.contains(where: { $0 == 0x2D || $0 == 0xE2 }) else { return nil }
        let scalars = Array(candidate.text.unicodeScalars)
        var parts: [Candidate] = []
        var start = 0
        for offset in 0...scalars.count where offset == scalars.count || "-\u{2010}\u{2011}\u{2013}".unicodeScalars.contains(scalars[offset]) {
            guard offset > start else { return nil }
            var part = Candidate(
                tokens: candidate.tokens, start: candidate.start + start, end: candidate.start + offset,
                text: String(String.UnicodeScalarView(scalars[start..<offset])), type: nil, strength: 0)
            part.key = NameNormalizer.key(name: part.text)
            part.wordCount = 1
            parts.append(part)
            start = offset + 1
        }
        return parts.count >= 2 ? parts : nil
    }

    /// The type a lone, untyped word earns from its context, or nil to drop it.
    func weakType(_ candidate: Candidate) -> EntityType? {
        let first = candidate.tokens.lowerBound
        let word = tokens[first]
        if isCommonWord(word.text) && !word.isAcronym { return nil }
        if EntityCues.nonNames.contains(word.lowered) { return nil }
        if first > 0, EntityCues.personNouns.contains(tokens[first - 1].lowered), !tokens[first - 1].isCapitalized,
            !word.isAcronym
        {
            return .person
        }
        // "X said" of a lone word no full name explains: people are named in full first, so it is a body
        // (a company, ministry or agency speaking).
        let next = candidate.tokens.upperBound
        if next < tokens.count, EntityCues.speechVerbs.contains(tokens[next].lowered), !word.isAcronym {
            return .organization
        }
        // "in Chennai", "at the Yantar" (a place preposition, perhaps with "the").
        var before = first - 1
        if before >= 0, tokens[before].lowered == "the" { before -= 1 }
        if before >= 0, EntityCues.placePrepositions.contains(tokens[before].lowered), !word.isAcronym,
            tokens[before].sentence == word.sentence
        {
            return .location
        }
        let repeated = (midSentenceCapitals[word.text] ?? 0) >= 2
        if word.isAcronym && (repeated || !word.sentenceInitial) {
            return repeated ? .organization : nil
        }
        // A repeated plural name (Steelers, Democrats) is a team, party or company; other lone words are dropped.
        if repeated && !lowerVocabulary.contains(word.lowered) && word.text.hasSuffix("s") && word.text.count > 3 {
            return .organization
        }
        return nil
    }
}

extension EntityExtractor.Cluster {
    var firstOrderInText: Int { mentions.map(\.start).min() ?? Int.max }
}
