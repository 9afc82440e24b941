import Foundation
import HeraldFeeds
import Testing

/// Benchmark driver, off by default: with HERALD_FEEDS_EVAL=<file listing feed paths, one per line> and
/// HERALD_FEEDS_EVAL_OUT=<output path>, writes one FeedEvalJSON line per listed file (NDJSON) for
/// `bench/feeds/eval_feeds.py --ndjson`.
@Test(.enabled(if: ProcessInfo.processInfo.environment["HERALD_FEEDS_EVAL"] != nil))
func writeEvalNDJSON() throws {
    let env = ProcessInfo.processInfo.environment
    let list = try String(contentsOfFile: try #require(env["HERALD_FEEDS_EVAL"]), encoding: .utf8)
    let outPath = try #require(env["HERALD_FEEDS_EVAL_OUT"])
    var out: [UInt8] = []
    var count = 0
    for line in list.split(separator: "\n") {
        let path = line.trimmingCharacters(in: .whitespaces)
        guard !path.isEmpty, let data = FileManager.default.contents(atPath: path) else { continue }
        do {
            let feed = try FeedParser.parse([UInt8](data), url: nil)
            out += FeedEvalJSON.encode(feed, path: path)
        } catch {
            out += FeedEvalJSON.encodeError(error.description, path: path)
        }
        out.append(0x0A)
        count += 1
    }
    try Data(out).write(to: URL(fileURLWithPath: outPath))
    #expect(count > 0)
}
