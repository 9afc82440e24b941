// libFuzzer target: the change-log readers on an arbitrary segment: the line scanner, the tail scan a start
// makes, the backward reader, and a full read with event decoding.
import Foundation
@testable import HeraldStore

nonisolated(unsafe) private var stateDirectory: String = {
    let path = NSTemporaryDirectory() + "/herald-fuzz-log-\(getpid())"
    try? FileManager.default.removeItem(atPath: path)
    try? FileManager.default.createDirectory(atPath: path + "/changes", withIntermediateDirectories: true)
    return path
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzChangeLog(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var start = 0
    while start < bytes.count {
        let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
        if let fields = LogLine.fields(of: bytes[start..<end]) { _ = fields.seq }
        _ = try? StateJSON.decode(ChangeEvent.self, from: Array(bytes[start..<end]))
        start = end + 1
    }
    let segment = stateDirectory + "/changes/" + LogSegment.fileName(firstSeq: 1)
    guard FileManager.default.createFile(atPath: segment, contents: Data(bytes)) else { return 0 }
    defer { unlink(segment) }
    _ = try? ChangeLogOpener.scanTail(path: segment)
    _ = try? ChangeLogOpener.firstEvent(path: segment)
    if let events = try? ChangeLogReader(stateDirectory: stateDirectory).events(after: 0) {
        for event in events {
            if let decoded = try? StateJSON.decode(ChangeEvent.self, from: event.line) {
                _ = try? ChangeLogReader(stateDirectory: stateDirectory).resolvedData(of: decoded)
            }
        }
    }
    return 0
}
