import ArgumentParser
import Foundation
import HeraldExtract

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

    func validate() throws {
        guard (file == nil) != (dir == nil) else { throw ValidationError("give either FILE or --dir DIR") }
    }

    func run() throws {
        if let dir {
            let names = try FileManager.default.contentsOfDirectory(atPath: dir)
                .filter { $0.hasSuffix(".html") }
                .sorted()
            for name in names {
                let id = String(name.dropLast(5))
                guard let bytes = FileManager.default.contents(atPath: dir + "/" + name) else {
                    FileHandle.standardError.write(Data("herald: cannot read \(dir)/\(name)\n".utf8))
                    continue
                }
                let article = ArticleExtractor.extract(ExtractionInput(html: Array(bytes), url: nil, httpContentType: nil))
                writeOut(ArticleJSON.encode(article, id: id) + [0x0A])
            }
            return
        }
        guard let file, let bytes = FileManager.default.contents(atPath: file) else {
            throw fail("cannot read \(file ?? "")")
        }
        let article = ArticleExtractor.extract(ExtractionInput(html: Array(bytes), url: url, httpContentType: nil))
        writeOut(ArticleJSON.encode(article) + [0x0A])
    }
}
