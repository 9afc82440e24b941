/// A stored article that a sketch nearly duplicates.
public struct NearDuplicateMatch: Sendable, Equatable {
    /// The id the matching article was inserted under.
    public var id: String
    /// Estimated Jaccard similarity of the two texts' shingle sets, in 0...1.
    public var similarity: Double

    /// Creates a match.
    public init(id: String, similarity: Double) {
        self.id = id
        self.similarity = similarity
    }
}
