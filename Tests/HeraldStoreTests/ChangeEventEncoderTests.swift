import Foundation
import Testing

@testable import HeraldStore

@Suite struct ChangeEventEncoderTests {
    private func text(_ value: JSONValue) throws -> String {
        String(decoding: try ChangeEventEncoder.encode(value), as: UTF8.self)
    }

    /// Parses with Foundation's JSONSerialization (an independent parser).
    private func parse(_ bytes: [UInt8]) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
    }

    @Test func scalarsAndStructure() throws {
        #expect(try text(nil) == "null")
        #expect(try text(true) == "true")
        #expect(try text(false) == "false")
        #expect(try text(0) == "0")
        #expect(try text(.int(Int64.max)) == "9223372036854775807")
        #expect(try text(.int(Int64.min)) == "-9223372036854775808")
        #expect(try text(.int(-42)) == "-42")
        #expect(try text([1, "a", nil, [true]]) == #"[1,"a",null,[true]]"#)
        #expect(try text([:]) == "{}")
        #expect(try text([]) == "[]")
    }

    @Test func keysAreSortedByTheirBytesAtEveryLevel() throws {
        let value: JSONValue = ["b": 1, "a": ["z": 1, "B": 2, "é": 3, "aa": 4, "": 5], "B": 2, "ä": 0]
        #expect(try text(value) == #"{"B":2,"a":{"":5,"B":2,"aa":4,"z":1,"é":3},"b":1,"ä":0}"#)
    }

    @Test func stringsEscapeOnlyWhatJSONRequires() throws {
        #expect(try text("a/b") == #""a/b""#)
        #expect(try text("q\"b\\s") == #""q\"b\\s""#)
        #expect(try text("\n\r\t\u{08}\u{0C}") == #""\n\r\t\b\f""#)
        #expect(try text("\u{00}\u{01}\u{1F}\u{7F}") == #""\u0000\u0001\u001f"# + "\u{7F}\"")
        #expect(try text("héllo ✓ 🎉 \u{2028}") == "\"héllo ✓ 🎉 \u{2028}\"")
    }

    @Test func invalidUTF8InputBecomesReplacementCharactersAndStaysValid() throws {
        // Swift strings cannot hold lone surrogates or invalid bytes: decoding repairs them to U+FFFD.
        let broken = String(decoding: [0x61, 0xED, 0xA0, 0x80, 0x62, 0xFF], as: UTF8.self)
        let bytes = try ChangeEventEncoder.encode(.string(broken))
        #expect(String(validating: bytes, as: UTF8.self) != nil)
        #expect(try parse(bytes) as? String == broken)
    }

    @Test func doublesRoundTripExactly() throws {
        let values: [Double] = [
            0.1, 1.0, -0.0, 1e300, -1e-300, .leastNonzeroMagnitude, 1.7976931348623157e308, 123456789.123456789, 2.5e-5,
            1e16,
            Double.pi,
        ]
        for value in values {
            let bytes = try ChangeEventEncoder.encode(.double(value))
            let parsed = try #require(try parse(bytes) as? NSNumber)
            #expect(parsed.doubleValue.bitPattern == value.bitPattern || (value == 0 && parsed.doubleValue == 0))
            let decoded = try StateJSON.decode(JSONValue.self, from: bytes)
            #expect(decoded.doubleValue == value)
        }
    }

    @Test func nonFiniteDoublesAreRejected() {
        for value in [Double.nan, .infinity, -.infinity] {
            let error = #expect(throws: StoreError.self) { _ = try ChangeEventEncoder.encode(.double(value)) }
            #expect(error?.code == .invalidArgument)
        }
    }

    @Test func matchesJSONSerializationOnAMixedDocument() throws {
        var control = ""
        for scalar in 0..<0x20 { control.unicodeScalars.append(Unicode.Scalar(UInt8(scalar))) }
        let value: JSONValue = [
            "control": .string(control), "nested": ["list": [1, 2.5, "x", ["k": nil]], "flag": false],
            "unicode": "日本語 / ünïcödé", "big": .int(1 << 62), "neg": -7, "url": "https://example.com/a?b=c&d=e",
        ]
        let bytes = try ChangeEventEncoder.encode(value)
        let reparsed = try JSONSerialization.data(withJSONObject: try parse(bytes), options: [.sortedKeys])
        let original = try JSONSerialization.data(
            withJSONObject: try parse(Array(try StateJSON.encode(value))), options: [.sortedKeys])
        #expect(reparsed == original)
        #expect(try StateJSON.decode(JSONValue.self, from: bytes) == value)
    }

    @Test func eventLineHasTheDocumentedShapeAndDecodes() throws {
        let event = ChangeEvent(
            seq: 7, epoch: "e1", time: "2026-11-22T04:12:33.123Z", type: "herald.article.created",
            subject: "articles/a1", data: ["url": "https://e.com/x", "n": 1])
        let line = String(decoding: try ChangeEventEncoder.encode(event), as: UTF8.self)
        #expect(
            line
                == #"{"data":{"n":1,"url":"https://e.com/x"},"datacontenttype":"application/json","epoch":"e1","#
                + #""id":"e1:7","seq":7,"source":"herald","specversion":"1.0","subject":"articles/a1","#
                + #""time":"2026-11-22T04:12:33.123Z","type":"herald.article.created"}"#)
        #expect(try StateJSON.decode(ChangeEvent.self, from: Array(line.utf8)) == event)
        #expect(LogLine.fields(of: Array(line.utf8)[...]) == .init(seq: 7, epoch: "e1", type: "herald.article.created"))
    }
}
