import HeraldSimilarity

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An article as the story clusterer sees it.
public struct StoryArticle: Sendable, Hashable {
    public let id: String
    /// The outlet (feed id or host) that published it.
    public let outlet: String
    /// Publication (or first-seen) time in seconds since the epoch; the caller's clock, never read here.
    public let time: Double
    public let title: String
    /// Main text, paragraphs separated by newlines.
    public let text: String
    /// Entity ids from ``Enrichment/entityIDs``, most mentioned first.
    public let entityIDs: [String]

    /// Creates an article.
    public init(id: String, outlet: String, time: Double, title: String, text: String, entityIDs: [String]) {
        self.id = id
        self.outlet = outlet
        self.time = time
        self.title = title
        self.text = text
        self.entityIDs = entityIDs
    }
}

/// Paragraphs an article shares verbatim with an earlier one.
public struct DerivedFrom: Sendable, Hashable, Codable {
    /// The earlier article.
    public let articleID: String
    /// Share of this article's text (in characters of shared paragraphs), 0...1.
    public let share: Double
}

/// Where ``StoryClusterer/add(_:)`` put an article.
public struct StoryAssignment: Sendable, Hashable {
    public let storyID: String
    /// True when the article started the story (emit `herald.story.created`; otherwise `…updated`).
    public let created: Bool
    /// The article it was most similar to, when it joined a story.
    public let matchedArticleID: String?
    public let derivedFrom: DerivedFrom?
}

/// A story: articles from one or more outlets about one event.
public struct Story: Sendable, Hashable {
    public let id: String
    public let articleIDs: [String]
    public let outlets: [String]
    /// Entity ids most shared across the story's articles, at most ten.
    public let topEntityIDs: [String]
    /// A representative title: the first article's.
    public let title: String
    /// Time of the latest article.
    public let updated: Double
}

/// Clusters articles into stories within a time window, by shared entities weighted by rarity and type,
/// TF-IDF cosine of the texts, and MinHash near-duplicate similarity. Pure: time comes from the articles.
///
/// An article joins the story of the recent article (within `window` of it) it matches best, if any matches:
/// a near-duplicate (MinHash ≥ 0.5) always matches; otherwise it needs entity overlap ≥ 0.3 (shared weight over
/// the smaller article's weight) with at least two shared entities that are not places, and a text cosine ≥ 0.1,
/// or four shared entities that are not places and a cosine ≥ 0.15, or a text cosine ≥ 0.45 alone. Places weigh
/// a third (two countries are shared by many unrelated stories); every entity weighs by its IDF over the
/// articles in the window. Persons compare by surname, so "Modi" and "Narendra Modi" agree.
public struct StoryClusterer: Sendable {
    struct Member: Sendable {
        let article: StoryArticle
        let storyID: String
        let features: Set<String>
        let terms: [String: Double]
        let sketch: TextSketch
        let paragraphs: [Int: Int]
        let length: Int
    }

    public let window: Double
    var members: [Member] = []
    var stories: [String: [Int]] = [:]
    var storyOrder: [String] = []

    /// Creates a clusterer with a window in seconds (default 72 hours).
    public init(window: Double = 72 * 3600) {
        self.window = window
    }

    /// Clusters `article` and returns its story. Articles should come in time order; older ones than the
    /// window before the newest are forgotten.
    public mutating func add(_ article: StoryArticle) -> StoryAssignment {
        forget(before: article.time - window)
        let features = Self.features(article.entityIDs)
        let terms = Self.terms(article.title + "\n" + article.text)
        let sketch = TextSketcher.sketch(article.text)
        let (paragraphs, length) = Self.paragraphs(article.text)
        let recent = members.indices.filter { abs(members[$0].article.time - article.time) <= window }
        // IDF over the recent articles and this one.
        var entityDF: [String: Int] = [:]
        var termDF: [String: Int] = [:]
        for index in recent {
            for feature in members[index].features { entityDF[feature, default: 0] += 1 }
            for term in members[index].terms.keys { termDF[term, default: 0] += 1 }
        }
        for feature in features { entityDF[feature, default: 0] += 1 }
        for term in terms.keys { termDF[term, default: 0] += 1 }
        let count = Double(recent.count + 1)
        func idf(_ df: Int?) -> Double { log1p(count / Double(max(1, df ?? 1))) }
        func weight(_ feature: String) -> Double {
            (feature.hasPrefix("location:") ? 1.0 / 3.0 : 1.0) * idf(entityDF[feature])
        }
        let vector = Self.weighted(terms, termDF: termDF, idf: idf)
        var best: (score: Double, index: Int)?
        for index in recent {
            let other = members[index]
            let near = TextSketcher.similarity(sketch, other.sketch)
            let shared = features.intersection(other.features)
            let sharedWeight = shared.reduce(0) { $0 + weight($1) }
            let mine = features.reduce(0) { $0 + weight($1) }
            let theirs = other.features.reduce(0) { $0 + weight($1) }
            let overlap = sharedWeight / max(1e-9, min(mine, theirs))
            let notPlaces = shared.filter { !$0.hasPrefix("location:") }.count
            let cosine = Self.cosine(vector, Self.weighted(other.terms, termDF: termDF, idf: idf))
            let joins = near >= 0.5 || (overlap >= 0.3 && notPlaces >= 2 && cosine >= 0.1)
                || (notPlaces >= 4 && cosine >= 0.15) || cosine >= 0.45
            guard joins else { continue }
            let score = near >= 0.5 ? 2 + near : 0.5 * overlap + 0.5 * cosine
            if best == nil || score > best!.score { best = (score, index) }
        }
        var derived: DerivedFrom?
        if length > 0 {
            for index in recent where members[index].article.time <= article.time {
                var sharedLength = 0
                for (hash, size) in paragraphs where members[index].paragraphs[hash] != nil { sharedLength += size }
                let share = Double(sharedLength) / Double(length)
                if share >= 0.2, share > (derived?.share ?? 0) {
                    derived = DerivedFrom(articleID: members[index].article.id, share: (share * 1000).rounded() / 1000)
                }
            }
        }
        let storyID: String
        let created: Bool
        if let best {
            storyID = members[best.index].storyID
            created = false
        } else {
            storyID = "story:" + article.id
            created = true
            storyOrder.append(storyID)
        }
        members.append(Member(
            article: article, storyID: storyID, features: features, terms: terms, sketch: sketch,
            paragraphs: paragraphs, length: length))
        stories[storyID, default: []].append(members.count - 1)
        return StoryAssignment(
            storyID: storyID, created: created, matchedArticleID: best.map { members[$0.index].article.id },
            derivedFrom: derived)
    }

    /// The story with `id`, if it is still within the window.
    public func story(_ id: String) -> Story? {
        guard let indices = stories[id], !indices.isEmpty else { return nil }
        let articles = indices.map { members[$0].article }
        var outlets: [String] = []
        for article in articles where !outlets.contains(article.outlet) { outlets.append(article.outlet) }
        var counts: [String: Int] = [:]
        for article in articles { for entity in Set(article.entityIDs.prefix(20)) { counts[entity, default: 0] += 1 } }
        let top = counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(10).map(\.key)
        return Story(
            id: id, articleIDs: articles.map(\.id), outlets: outlets, topEntityIDs: top,
            title: articles.first?.title ?? "", updated: articles.map(\.time).max() ?? 0)
    }

    mutating func forget(before time: Double) {
        guard members.contains(where: { $0.article.time < time }) else { return }
        members.removeAll { $0.article.time < time }
        stories = [:]
        for (index, member) in members.enumerated() { stories[member.storyID, default: []].append(index) }
        storyOrder.removeAll { stories[$0] == nil }
    }

    /// Entity features: persons by surname, everything else by id; the sixty most mentioned.
    static func features(_ ids: [String]) -> Set<String> {
        Set(ids.prefix(60).map { id in
            guard id.hasPrefix("person:"), let last = id.split(separator: "-").last else { return id }
            return "person:~" + last.replacing("person:", with: "")
        })
    }

    static let stopWords: Set<String> = [
        "the", "and", "for", "that", "with", "this", "from", "was", "were", "are", "has", "have", "had", "been",
        "will", "would", "its", "his", "her", "their", "they", "which", "also", "not", "but", "said", "who", "into",
        "than", "more", "after", "before", "over", "about", "between", "both", "two", "during", "such", "other",
        "these", "those", "there", "where", "when", "while", "can", "could", "should", "may", "our", "all",
    ]

    static func terms(_ text: String) -> [String: Double] {
        var counts: [String: Double] = [:]
        var word = ""
        func flush() {
            if word.count >= 3, !stopWords.contains(word) { counts[word, default: 0] += 1 }
            word = ""
        }
        for scalar in text.lowercased().unicodeScalars {
            if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) { word.unicodeScalars.append(scalar) }
            else { flush() }
        }
        flush()
        return counts
    }

    static func weighted(_ terms: [String: Double], termDF: [String: Int], idf: (Int?) -> Double) -> [String: Double] {
        var out: [String: Double] = [:]
        for (term, count) in terms { out[term] = (1 + log(count)) * idf(termDF[term]) }
        return out
    }

    static func cosine(_ a: [String: Double], _ b: [String: Double]) -> Double {
        let (small, large) = a.count <= b.count ? (a, b) : (b, a)
        var dot = 0.0
        for (term, value) in small { if let other = large[term] { dot += value * other } }
        let normA = a.values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let normB = b.values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return normA > 0 && normB > 0 ? dot / (normA * normB) : 0
    }

    /// Paragraphs of 40 characters or more, by a hash of their lowercased, space-collapsed text, with lengths.
    static func paragraphs(_ text: String) -> ([Int: Int], Int) {
        var out: [Int: Int] = [:]
        var total = 0
        for line in text.split(separator: "\n") {
            let words = line.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" })
            let normal = words.joined(separator: " ")
            total += normal.count
            guard normal.count >= 40 else { continue }
            var hasher = Hasher()
            hasher.combine(normal)
            out[hasher.finalize()] = normal.count
        }
        return (out, total)
    }
}
