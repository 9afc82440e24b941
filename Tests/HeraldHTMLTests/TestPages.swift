#if canImport(Glibc)
import Glibc
#endif

/// The real pages the document checks run on: the extractor's fixtures, and every *.html file in
/// $HERALD_HTML_EQUIVALENCE_DIR (for example the unpacked benchmark pages).
enum TestPages {
    struct Page {
        var name: String
        var encoding: String
        /// Nil when the file could not be read.
        var bytes: [UInt8]?
    }

    static func fixtures() -> [Page] {
        // #filePath is .../Tests/HeraldHTMLTests/TestPages.swift.
        var parts = String(#filePath).split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(2)
        let directory = parts.joined(separator: "/") + "/HeraldExtractTests/Fixtures"
        return [
            ("body_twice.html", "utf-8"), ("br_separated.html", "utf-8"), ("furniture.html", "utf-8"),
            ("jsonld_graph.html", "utf-8"), ("nested_tables.html", "utf-8"), ("shift_jis.html", "shift_jis"),
            ("euc_kr.html", "euc-kr"), ("windows1252_undeclared.html", "windows-1252"),
        ].map { Page(name: $0.0, encoding: $0.1, bytes: read(directory + "/" + $0.0)) }
    }

    /// The directory's pages (read as UTF-8), or nil, with a note printed, when the variable is not set.
    static func equivalenceDirectory() -> [Page]? {
        guard let dir = getenv("HERALD_HTML_EQUIVALENCE_DIR").map({ String(cString: $0) }), let handle = opendir(dir)
        else {
            print("skipping: HERALD_HTML_EQUIVALENCE_DIR not set")
            return nil
        }
        defer { closedir(handle) }
        var pages: [Page] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            guard name.hasSuffix(".html"), let bytes = read(dir + "/" + name) else { continue }
            pages.append(Page(name: name, encoding: "utf-8", bytes: bytes))
        }
        return pages
    }

    static func read(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&chunk, 1, chunk.count, file)
            if n <= 0 { break }
            out += chunk[0..<n]
        }
        return out
    }
}
