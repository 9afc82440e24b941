/// Names known ahead of time: places, first names, organisations and equipment (see `config/gazetteers/`).
///
/// Lookups go by ``NameNormalizer`` key, so "Sao Paulo" finds "São Paulo". Pure value; build it once and share.
public struct Gazetteer: Sendable {
    /// Types of known names, by key.
    var names: [String: EntityType] = [:]
    /// Keys of known first names.
    var firstNames: Set<String> = []
    /// Longest known name, in words.
    var longest = 1

    /// An empty gazetteer: only context cues type entities.
    public init() {}

    /// Builds a gazetteer from the contents of the gazetteer files.
    /// - Parameters:
    ///   - locations: `locations.tsv` lines: `name<TAB>kind`; every kind is a location.
    ///   - firstNames: `first-names.txt`, one name per line.
    ///   - names: `names.tsv` lines: `name<TAB>type` with a type of ``EntityType`` (hand-written lists).
    /// Lines starting with `#` and blank lines are skipped; malformed lines are skipped too.
    public init(locations: String, firstNames: String, names: String) {
        for line in Self.lines(locations) {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            add(String(fields[0]), .location)
        }
        for line in Self.lines(firstNames) { self.firstNames.insert(NameNormalizer.key(word: line)) }
        for line in Self.lines(names) {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count >= 2, let type = EntityType(rawValue: String(fields[1])) else { continue }
            add(String(fields[0]), type, replacing: true)
        }
    }

    /// Adds one name (used by tests and by a watchlist).
    public mutating func add(_ name: String, _ type: EntityType, replacing: Bool = false) {
        let key = NameNormalizer.key(name: name)
        guard !key.isEmpty else { return }
        if replacing || names[key] == nil { names[key] = type }
        longest = max(longest, key.split(separator: " ").count)
    }

    /// The type of a known name, if any.
    public func type(of name: String) -> EntityType? { names[NameNormalizer.key(name: name)] }

    func type(key: String) -> EntityType? { names[key] }

    func isFirstName(_ word: String) -> Bool { firstNames.contains(NameNormalizer.key(word: word)) }

    private static func lines(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }).compactMap { raw in
            let line = raw.trimmingSpaces
            return line.isEmpty || line.hasPrefix("#") ? nil : line
        }
    }
}

extension Substring {
    var trimmingSpaces: String {
        var view = self[...]
        while let first = view.first, first == " " || first == "\t" || first == "\r" { view = view.dropFirst() }
        while let last = view.last, last == " " || last == "\t" || last == "\r" { view = view.dropLast() }
        return String(view)
    }
}
