// libFuzzer target: article extraction (charset sniffing, the pre-parse cut, libxml2 HTML, main text, JSON-LD and
// metadata) on arbitrary bytes.
import HeraldExtract

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExtractor(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let article = ArticleExtractor.extract(
        ExtractionInput(html: bytes, url: "https://example.org/news/2026/01/02/story", httpContentType: nil))
    _ = article.text.count
    return 0
}
