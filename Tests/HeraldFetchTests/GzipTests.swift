import HeraldTestServer
import Testing

@Suite struct GzipTests {
    @Test func crc32MatchesCheckValue() {
        #expect(Gzip.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(Gzip.crc32([]) == 0)
    }

    @Test func storedStreamLayout() {
        let encoded = Gzip.encode(Array("abc".utf8))
        #expect(Array(encoded.prefix(3)) == [0x1f, 0x8b, 8])
        // header 10 + block header 5 + data 3 + trailer 8
        #expect(encoded.count == 26)
        #expect(Array(encoded.suffix(4)) == [3, 0, 0, 0])
        let empty = Gzip.encode([])
        #expect(empty.count == 10 + 5 + 8)
        // Large input spans several stored blocks.
        #expect(Gzip.encode([UInt8](repeating: 7, count: 70_000)).count == 10 + 2 * 5 + 70_000 + 8)
    }

    @Test func runLengthShrinksRuns() {
        let encoded = Gzip.encode([UInt8](repeating: 0, count: 1_000_000), compression: .runLength)
        #expect(encoded.count < 10_000)
    }
}
