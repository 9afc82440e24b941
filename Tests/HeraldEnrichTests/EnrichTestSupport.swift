import Foundation
import HeraldEnrich

/// The repository's gazetteers and the shared seed articles, for the tests.
enum EnrichTestSupport {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static let gazetteer: Gazetteer = {
        (try? Gazetteer.load(directory: repository.appendingPathComponent("config/gazetteers").path)) ?? Gazetteer()
    }()

    static let enricher = Enricher(gazetteer: gazetteer)

    /// The seed articles from ../shared/corpus/seeds (never copied into the repository), or nil when absent.
    static func seeds() -> [(name: String, text: String)]? {
        let directory = repository.deletingLastPathComponent().appendingPathComponent("shared/corpus/seeds")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return nil }
        let texts = names.filter { $0.hasSuffix(".txt") }.sorted().compactMap { name -> (String, String)? in
            guard let text = try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8) else {
                return nil
            }
            return (name, text)
        }
        return texts.isEmpty ? nil : texts
    }

    static func entity(_ enrichment: Enrichment, named name: String) -> Entity? {
        enrichment.entities.first { $0.name == name || $0.aliases.contains(name) }
    }
}
