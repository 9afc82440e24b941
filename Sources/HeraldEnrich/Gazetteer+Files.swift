import Foundation

extension Gazetteer {
    /// The gazetteer files a directory must hold.
    public static let fileNames = ["locations.tsv", "first-names.txt", "names.tsv"]

    /// Reads `locations.tsv`, `first-names.txt` and `names.tsv` from `directory` (normally `config/gazetteers`).
    /// - Throws: ``GazetteerError`` naming the file that is missing or not UTF-8.
    public static func load(directory: String) throws(GazetteerError) -> Gazetteer {
        var texts: [String] = []
        for name in fileNames {
            let path = directory + "/" + name
            guard let data = FileManager.default.contents(atPath: path) else {
                throw GazetteerError(message: "cannot read gazetteer \(path); regenerate with scripts/gazetteers")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw GazetteerError(message: "gazetteer \(path) is not UTF-8")
            }
            texts.append(text)
        }
        return Gazetteer(locations: texts[0], firstNames: texts[1], names: texts[2])
    }
}

/// A gazetteer file could not be read.
public struct GazetteerError: Error, Sendable, CustomStringConvertible {
    /// What went wrong and what to do.
    public let message: String
    public var description: String { message }
}
