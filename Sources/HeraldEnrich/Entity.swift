/// The kind of thing a named entity is.
public enum EntityType: String, Sendable, Hashable, Codable, CaseIterable {
    case person, organization, location, equipment, event, other
}

/// One place in the text where an entity is named; offsets count Unicode scalars of the text.
public struct EntityMention: Sendable, Hashable, Codable {
    /// Offset of the first scalar of the mention.
    public let start: Int
    /// Offset just past the last scalar of the mention.
    public let end: Int
    /// The mention as written.
    public let text: String

    /// Creates a mention of `text` at `start..<end`.
    public init(start: Int, end: Int, text: String) {
        self.start = start
        self.end = end
        self.text = text
    }
}

/// A named entity of one document, with every mention merged into it by coreference.
public struct Entity: Sendable, Hashable, Codable {
    /// Stable across documents: type and slug of the normalised fullest name, e.g. `person:rajnath-singh`.
    public let id: String
    /// The fullest form seen in the document.
    public let name: String
    public let type: EntityType
    /// Other forms seen (surname, acronym, transliteration variants), in order of first appearance.
    public let aliases: [String]
    /// Every mention, in text order.
    public let mentions: [EntityMention]

    /// Creates an entity.
    public init(id: String, name: String, type: EntityType, aliases: [String], mentions: [EntityMention]) {
        self.id = id
        self.name = name
        self.type = type
        self.aliases = aliases
        self.mentions = mentions
    }
}
