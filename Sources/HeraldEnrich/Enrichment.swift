/// What enrichment finds in one article: entities, quotations and amounts.
public struct Enrichment: Sendable, Hashable, Codable {
    public let entities: [Entity]
    public let quotes: [Quote]
    public let amounts: [Amount]

    /// Creates an enrichment.
    public init(entities: [Entity], quotes: [Quote], amounts: [Amount]) {
        self.entities = entities
        self.quotes = quotes
        self.amounts = amounts
    }

    /// Ids of the entities, most mentioned first (ties by id), for story clustering.
    public var entityIDs: [String] {
        entities.sorted { ($0.mentions.count, $1.id) > ($1.mentions.count, $0.id) }.map(\.id)
    }
}
