extension MetadataExtractor {
    /// Published-date meta keys that may carry the same instant as the chosen date in another spelling.
    private static let publishedAlternativeKeys = [
        "article:published_time", "og:published_time", "article:published", "datepublished", "pubdate",
        "publishdate", "publish-date", "parsely-pub-date", "sailthru.date", "dc.date", "dcterms.issued", "date",
        "og:pubdate",
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
        for i in 1..<tree.count where tree.tags[i] == .time {
            if let value = tree.attribute("datetime", i) { candidates.append(value) }
        }
        for candidate in candidates {
            guard let parts = DateNormalizer.parse(candidate), let offset = parts.offsetMinutes, offset != 0,
                let other = MetadataExtractor.epochSeconds(parts), abs(other - instant) <= 120
            else { continue }
            // The chosen instant, to the second, written at the page's offset.
            return MetadataExtractor.parts(epochSeconds: instant, offsetMinutes: offset).rfc3339
        }
        return nil
    }

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
