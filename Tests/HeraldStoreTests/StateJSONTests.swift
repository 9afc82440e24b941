import Foundation
import Testing

@testable import HeraldStore

@Suite struct StateJSONTests {
    struct Sample: Codable, Equatable {
        var zebra: Int
        var apple: String
        var url: String
        var when: Date
    }

    @Test func sortsKeysDoesNotEscapeSlashesAndWritesRFC3339Dates() throws {
        let value = Sample(
            zebra: 1, apple: "a", url: "https://example.com/a/b",
            when: Date(timeIntervalSince1970: 1_795_321_953.123))
        let text = String(decoding: try StateJSON.encode(value), as: UTF8.self)
        #expect(
            text == #"{"apple":"a","url":"https://example.com/a/b","when":"2026-11-22T04:32:33.123Z","zebra":1}"#)
    }

    @Test func roundTripsDates() throws {
        let value = Sample(zebra: 2, apple: "", url: "/", when: Date(timeIntervalSince1970: 1_700_000_000.5))
        let decoded = try StateJSON.decode(Sample.self, from: try StateJSON.encode(value))
        #expect(decoded == value)
    }

    @Test func decodesDatesWithOffsetsAndWithoutFraction() throws {
        let json = Array(#"{"apple":"","url":"","when":"2026-11-22T06:32:33+02:00","zebra":0}"#.utf8)
        let decoded = try StateJSON.decode(Sample.self, from: json)
        #expect(decoded.when == Date(timeIntervalSince1970: 1_795_321_953))
    }

    @Test func decodeFailureIsCorruptAndNamesFieldAndPath() throws {
        let json = Array(#"{"apple":"","url":"","when":"yesterday","zebra":0}"#.utf8)
        let error = #expect(throws: StoreError.self) {
            try StateJSON.decode(Sample.self, from: json, path: "state/x.json")
        }
        #expect(error?.code == .corrupt)
        #expect(error?.message.contains("state/x.json") == true)
        #expect(error?.message.contains("when") == true)

        let missing = #expect(throws: StoreError.self) {
            try StateJSON.decode(Sample.self, from: Array(#"{"apple":""}"#.utf8))
        }
        #expect(missing?.message.contains("missing field") == true)
    }

    @Test func encodingNaNIsInvalidArgument() {
        let error = #expect(throws: StoreError.self) { try StateJSON.encode(JSONValue.double(.nan)) }
        #expect(error?.code == .invalidArgument)
    }
}

@Suite struct RFC3339Tests {
    @Test func formatsWithMilliseconds() {
        #expect(RFC3339.format(seconds: 0, nanoseconds: 0) == "1970-01-01T00:00:00.000Z")
        #expect(RFC3339.format(seconds: 1_795_321_953, nanoseconds: 123_999_999) == "2026-11-22T04:32:33.123Z")
    }

    @Test func parsesVariants() {
        #expect(RFC3339.parse("1970-01-01T00:00:00Z") == 0)
        #expect(RFC3339.parse("1970-01-01t01:00:00.25+01:00") == 0.25)
        #expect(RFC3339.parse("1969-12-31T23:00:00-01:00") == 0)
        #expect(RFC3339.parse("2026-11-22") == nil)
        #expect(RFC3339.parse("2026-13-22T00:00:00Z") == nil)
        #expect(RFC3339.parse("2026-11-22T00:00:00") == nil)
        #expect(RFC3339.parse("2026-11-22T00:00:00Zjunk") == nil)
    }
}
