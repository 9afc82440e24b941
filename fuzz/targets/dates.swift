// libFuzzer target: the date parsers (feed dates, page dates and datelines, RFC 3339 in the change log).
import Foundation
@testable import HeraldExtract
@testable import HeraldFeeds
@testable import HeraldStore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDates(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = FeedDate.parse(text)
    _ = DateNormalizer.normalize(text)
    _ = DateNormalizer.findDate(in: text)
    _ = DateNormalizer.findDate(in: text, after: "updated")
    _ = RFC3339.parse(text)
    return 0
}
