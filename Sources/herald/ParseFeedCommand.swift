import ArgumentParser
import Foundation
import HeraldFeeds

struct ParseFeedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse-feed",
        abstract: "Parse a feed file (RSS, RDF, Atom, JSON Feed) and print it as JSON.",
        discussion: """
            With --list FILE, reads feed paths one per line and prints one JSON object per line, each with "path"; \
            a feed that cannot be parsed gives {"path": …, "error": …}.
            """)

    @Argument(help: "A feed file.")
    var file: String?

    @Option(name: .long, help: "A file listing feed paths, one per line.")
    var list: String?

    @Option(name: .long, help: "Base URL for relative links (default: none).")
    var url: String?

    func validate() throws {
        guard (file == nil) != (list == nil) else { throw ValidationError("give either FILE or --list FILE") }
    }

    func run() throws {
        if let list {
            guard let text = try? String(contentsOfFile: list, encoding: .utf8) else { throw fail("cannot read \(list)") }
            for path in text.split(whereSeparator: \.isNewline).map(String.init) where !path.isEmpty {
                var line: [UInt8]
                if let bytes = FileManager.default.contents(atPath: path) {
                    do {
                        line = FeedEvalJSON.encode(try FeedParser.parse(Array(bytes), url: url))
                    } catch {
                        line = FeedEvalJSON.encodeError("\(error)")
                    }
                } else {
                    line = FeedEvalJSON.encodeError("cannot read the file")
                }
                writeOut(Self.withPath(line, path) + [0x0A])
            }
            return
        }
        guard let file, let bytes = FileManager.default.contents(atPath: file) else {
            throw fail("cannot read \(file ?? "")")
        }
        do {
            writeOut(FeedEvalJSON.encode(try FeedParser.parse(Array(bytes), url: url)) + [0x0A])
        } catch {
            throw fail("\(file): \(error)", code: 65)
        }
    }

    /// Inserts `"path": …` as the first member of a JSON object.
    static func withPath(_ object: [UInt8], _ path: String) -> [UInt8] {
        let encodedPath = (try? JSONEncoder().encode(path)).map(Array.init) ?? Array("\"\"".utf8)
        guard object.first == UInt8(ascii: "{") else { return object }
        var out: [UInt8] = Array("{\"path\":".utf8) + encodedPath
        if object.count > 2 { out.append(UInt8(ascii: ",")) }
        out.append(contentsOf: object.dropFirst())
        return out
    }
}
