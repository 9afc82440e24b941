import ArgumentParser
import Foundation
import HeraldEnrich
import HeraldExtract
import HeraldStore
import Synchronization

struct ExtractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Extract an article (main text and metadata) from an HTML file and print it as JSON.",
        discussion: """
            With --dir, prints one JSON line per *.html file in DIR (sorted by name), with "id" set to the file \
            name without .html. Files ending in .html.gz are read too.
            """)

    @Argument(help: "An HTML file.")
    var file: String?

    @Option(name: .long, help: "The page's URL (resolves relative links, supplies URL-path dates).")
    var url: String?

    @Option(name: .long, help: "A directory of *.html files.")
    var dir: String?

    @Option(name: .long, help: "With --dir: pages extracted in parallel (default 1: one core).")
    var jobs: Int = 1

    @Flag(name: .long, help: "Also print entities, quotes and amounts found in the text.")
    var enrich = false

    @Option(name: .long, help: "With --enrich: the gazetteer directory.")
    var gazetteers = "config/gazetteers"

    static func extractLine(directory: String, name: String, enricher: Enricher? = nil) -> [UInt8] {
        guard let bytes = try? AtomicFile.read(directory + "/" + name) else {
            FileHandle.standardError.write(Data("herald: cannot read \(directory)/\(name)\n".utf8))
            return []
        }
        let article = ArticleExtractor.extract(ExtractionInput(html: bytes, url: nil, httpContentType: nil))
        let extra = enricher.map { EnrichmentJSON.members($0.enrich(article.text)) } ?? []
        return ArticleJSON.encode(article, id: String(name.dropLast(5)), extra: extra) + [0x0A]
    }

    func loadEnricher() throws -> Enricher {
        do { return Enricher(gazetteer: try Gazetteer.load(directory: gazetteers)) } catch { throw fail("\(error)") }
    }

    func validate() throws {
        guard (file == nil) != (dir == nil) else { throw ValidationError("give either FILE or --dir DIR") }
    }

    func run() throws {
        let enricher = enrich ? try loadEnricher() : nil
        if let dir {
            let names = try FileManager.default.contentsOfDirectory(atPath: dir)
                .filter { $0.hasSuffix(".html") }
                .sorted()
            // Pages are extracted `jobs` at a time, in windows, and printed in name order.
            let workers = max(1, jobs)
            if workers == 1 {
                // One core: no threads at all, each line written as soon as it is ready.
                for name in names { _ = writeOut(Self.extractLine(directory: dir, name: name, enricher: enricher)) }
                return
            }
            let window = workers * 16
            var start = 0
            while start < names.count {
                let slice = Array(names[start..<min(start + window, names.count)])
                let lines = Mutex([[UInt8]](repeating: [], count: slice.count))
                let running = min(workers, slice.count)
                let done = DispatchSemaphore(value: 0)
                for worker in 0..<running {
                    let thread = Thread {
                        var i = worker
                        while i < slice.count {
                            let line = Self.extractLine(directory: dir, name: slice[i], enricher: enricher)
                            lines.withLock { $0[i] = line }
                            i += running
                        }
                        done.signal()
                    }
                    thread.stackSize = 8 << 20
                    thread.start()
                }
                for _ in 0..<running { done.wait() }
                writeOut(lines.withLock { Array($0.joined()) })
                start += window
            }
            return
        }
        guard let file, let bytes = try? AtomicFile.read(file) else {
            throw fail("cannot read \(file ?? "")")
        }
        let article = ArticleExtractor.extract(ExtractionInput(html: bytes, url: url, httpContentType: nil))
        let extra = enricher.map { EnrichmentJSON.members($0.enrich(article.text)) } ?? []
        writeOut(ArticleJSON.encode(article, extra: extra) + [0x0A])
    }
}
