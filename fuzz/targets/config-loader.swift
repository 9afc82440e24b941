// libFuzzer target: the YAML configuration loader (Yams, then validation with field and line errors).
@testable import HeraldDaemon

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = try? ConfigLoader.parse(text, baseDirectory: "/nonexistent/herald-fuzz", path: "fuzz.yaml")
    return 0
}
