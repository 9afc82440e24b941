/// A number the text gives with a unit: money, a percentage, or a count of things.
public struct Amount: Sendable, Hashable, Codable {
    /// What the unit is.
    public enum Kind: String, Sendable, Hashable, Codable {
        case money, percent, count
    }

    /// The value with scale words applied ("$5.4bn" → 5.4e9, "Rs 1,000 crore" → 1e10).
    public let value: Double
    /// ISO 4217 code for money (`USD`, `INR`, `EUR` …), `%` for percentages, the thing counted for counts.
    public let unit: String
    public let kind: Kind
    /// A qualifier written before the number ("over", "more than", "about", "up to"), if any.
    public let qualifier: String?
    /// The amount as written.
    public let text: String
    /// Offset (Unicode scalars) of the first scalar of `text`.
    public let start: Int
    /// Offset just past `text`.
    public let end: Int

    /// Creates an amount.
    public init(value: Double, unit: String, kind: Kind, qualifier: String?, text: String, start: Int, end: Int) {
        self.value = value
        self.unit = unit
        self.kind = kind
        self.qualifier = qualifier
        self.text = text
        self.start = start
        self.end = end
    }
}
