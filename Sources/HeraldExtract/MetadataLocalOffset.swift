extension MetadataExtractor {
    /// Published-date meta keys that may carry the same instant as the chosen date in another spelling.
    private static let publishedAlternativeKeys = [
        "article:published_time", "og:published_time", "article:published", "datepublished", "pubdate",
        "publishdate", "publish-date", "parsely-pub-date", "sailthru.date", "dc.date", "dcterms.issued", "date",
        "og:pubdate", "article_date_original", "original-publish-date", "displaydate",
    ]

    /// When `date` is a UTC instant ("Z" or "+00:00") and the page also writes that instant (within two minutes)
    /// with a non-zero offset, in JSON-LD, a published-date meta tag or a `<time datetime>`, that local form: the
    /// issue asks for the page's offset when the page gives one. Nil otherwise.
    func localForm(of date: String) -> String? {
        guard let chosen = DateNormalizer.parse(date), chosen.hour != nil, chosen.offsetMinutes == 0,
            let instant = MetadataExtractor.epochSeconds(chosen)
        else { return nil }
        var candidates: [String] = []
        if let value = jsonLD?.published { candidates.append(value) }
        for key in MetadataExtractor.publishedAlternativeKeys { candidates += meta[key] ?? [] }
        let structured = candidates.count
        for i in 1..<tree.count where tree.tags[i] == .time {
            if let value = tree.attribute(.datetime, i) { candidates.append(value) }
        }
        var naive: [DateNormalizer.Parts] = []
        for (k, candidate) in candidates.enumerated() {
            guard let parts = DateNormalizer.parse(candidate), parts.hour != nil else { continue }
            guard let offset = parts.offsetMinutes else {
                // Zoneless machine values count from JSON-LD and published-date meta tags only: a <time> without
                // a zone may be any story's.
                if k < structured { naive.append(parts) }
                continue
            }
            guard offset != 0, let other = MetadataExtractor.epochSeconds(parts), abs(other - instant) <= 120
            else { continue }
            // The chosen instant, to the second, written at the page's offset.
            return MetadataExtractor.parts(epochSeconds: instant, offsetMinutes: offset).rfc3339
        }
        // A local wall-clock time the page writes for the same moment without naming its zone (a meta tag's
        // "2019-11-18 20:58:46", a visible "Nov. 19, 2019 5:53 PM"): its distance from the instant is the offset.
        // Cheapest first: the meta values, then <time> texts, then one scan for a visible dateline.
        let sources: [() -> [DateNormalizer.Parts]] = [
            { naive }, { self.timeElementTexts(near: instant) }, { self.firstDatelineTime().map { [$0] } ?? [] },
        ]
        for source in sources {
            for parts in source() {
                if let offset = MetadataExtractor.plausibleOffset(local: parts, instant: instant) {
                    return MetadataExtractor.parts(epochSeconds: instant, offsetMinutes: offset).rfc3339
                }
            }
        }
        return nil
    }

    /// The offset, in minutes, at which the instant reads as the wall-clock time `local` (whose own offset, if
    /// any, is ignored): a whole or half hour in [-12 h, +14 h], non-zero, the two agreeing within 90 seconds (a
    /// visible time has no seconds). Nil when they do not agree so.
    static func plausibleOffset(local: DateNormalizer.Parts, instant: Int) -> Int? {
        var wall = local
        wall.offsetMinutes = 0
        guard let seconds = epochSeconds(wall) else { return nil }
        let delta = seconds - instant
        let halfHours = (delta + (delta >= 0 ? 900 : -900)) / 1800
        let offset = halfHours * 30
        guard offset != 0, offset >= -720, offset <= 840, abs(delta - offset * 60) <= 90 else { return nil }
        return offset
    }

    /// Date-and-time texts the reader sees for the publication, first those of `<time>` elements whose machine
    /// value is the instant. Texts about an update, relative times and blocks of links to other stories are left
    /// out; only texts that give a full date with a time of day count.
    private func timeElementTexts(near instant: Int) -> [DateNormalizer.Parts] {
        var out: [DateNormalizer.Parts] = []
        for i in 1..<tree.count where tree.tags[i] == .time && out.count < 4 {
            // A <time> whose machine value is another moment is about something else.
            if let value = tree.attribute(.datetime, i), let parts = DateNormalizer.parse(value),
                let other = MetadataExtractor.epochSeconds(parts), abs(other - instant) > 120
            {
                continue
            }
            if let parts = visibleDateTime(i) { out.append(parts) }
        }
        return out
    }

    /// Of the date elements other than `<time>`, the first whose text gives a date, when it also gives a time: the
    /// story's dateline.
    private func firstDatelineTime() -> DateNormalizer.Parts? {
        for i in 1..<tree.count where tree.isElement[i] && tree.tags[i] != .time && Int(tree.ends[i]) - i <= 16 {
            guard let cls = tree.attribute(.class, i) ?? tree.attribute(.id, i),
                MetadataExtractor.mentionsAny(cls, MetadataExtractor.visibleDateStems)
            else { continue }
            let tokens = FurnitureClassifier.tokenize(cls)
            guard tokens.contains(where: { MetadataExtractor.visibleDateTokens.contains($0) }),
                !tokens.contains(where: { $0.hasPrefix("updat") || $0.hasPrefix("modif") })
            else { continue }
            // The first dateline that gives a date decides: without a time of day it gives no offset.
            if let parts = visibleDate(i) { return parts.hour == nil ? nil : parts }
        }
        return nil
    }

    /// The date and time written in element `i`, when it is a short line that is not about an update.
    private func visibleDateTime(_ i: Int) -> DateNormalizer.Parts? {
        guard let parts = visibleDate(i), parts.hour != nil else { return nil }
        return parts
    }

    /// The date (and time, if written) of the short line in element `i`, unless it is about an update.
    private func visibleDate(_ i: Int) -> DateNormalizer.Parts? {
        guard Int(tree.ends[i]) - i <= 16 else { return nil }
        let text = tree.collapsedText(i)
        if text.isEmpty || text.count > 120 { return nil }
        let lower = text.lowercasedFast()
        if lower.containsUTF8("updat") || lower.containsUTF8("modif") || lower.containsUTF8(" ago") { return nil }
        guard !isInsideRelatedLinks(i) else { return nil }
        return DateNormalizer.findDate(in: text)
    }

    private static let visibleDateStems = BytePatterns(["date", "time", "publish", "posted"])
    private static let visibleDateTokens: Set<String> = [
        "date", "dateline", "time", "timestamp", "published", "publish", "pubdate", "posted",
    ]

    /// The local date and time of an instant at `offsetMinutes` from UTC.
    static func parts(epochSeconds: Int, offsetMinutes: Int) -> DateNormalizer.Parts {
        let local = epochSeconds + offsetMinutes * 60
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let secondOfDay = local - days * 86_400
        // Civil date from days since 1970-01-01 (proleptic Gregorian, years counted from March).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return DateNormalizer.Parts(
            year: year, month: month, day: day, hour: secondOfDay / 3600, minute: secondOfDay % 3600 / 60,
            second: secondOfDay % 60, offsetMinutes: offsetMinutes)
    }

    /// Seconds since 1970-01-01T00:00:00Z of a date with a time and an offset; nil without them.
    static func epochSeconds(_ parts: DateNormalizer.Parts) -> Int? {
        guard let hour = parts.hour, let offset = parts.offsetMinutes else { return nil }
        // Days from the civil date (proleptic Gregorian), counting years from March.
        let y = parts.month <= 2 ? parts.year - 1 : parts.year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let monthIndex = (parts.month + 9) % 12
        let dayOfYear = (153 * monthIndex + 2) / 5 + parts.day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return days * 86_400 + hour * 3600 + parts.minute * 60 + parts.second - offset * 60
    }
}
