// libFuzzer target: the feed parser (RSS, RDF, Atom, JSON Feed) on arbitrary bytes.
import HeraldFeeds

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFeedParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let feed = try? FeedParser.parse(bytes, url: "https://example.org/feed", maxEntries: 200) {
        for entry in feed.entries { _ = entry.key }
    }
    // The same bytes as an HTML-typed answer take the error-wording path.
    _ = try? FeedParser.parse(bytes, url: nil, contentType: "text/html; charset=windows-1252")
    return 0
}
