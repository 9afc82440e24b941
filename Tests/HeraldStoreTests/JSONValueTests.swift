import Testing

@testable import HeraldStore

@Suite struct JSONValueTests {
    @Test func decodesEveryKind() throws {
        let json = Array(#"{"a":null,"b":true,"c":-3,"d":1.5,"e":"x/y","f":[1,"2"],"g":{"h":false},"i":1e3}"#.utf8)
        let value = try StateJSON.decode(JSONValue.self, from: json)
        #expect(value["a"] == .null)
        #expect(value["b"] == .bool(true))
        #expect(value["c"] == .int(-3))
        #expect(value["d"] == .double(1.5))
        #expect(value["e"]?.stringValue == "x/y")
        #expect(value["f"]?[1] == .string("2"))
        #expect(value["g"]?["h"]?.boolValue == false)
        #expect(value["i"]?.doubleValue == 1000)
        #expect(value["missing"] == nil)
        #expect(value[0] == nil)
    }

    @Test func encodesWithSortedKeysAndRoundTrips() throws {
        let value: JSONValue = ["z": 1, "a": [true, nil, 2.5, "s/t"], "m": ["k": "v"]]
        let bytes = try StateJSON.encode(value)
        #expect(String(decoding: bytes, as: UTF8.self) == #"{"a":[true,null,2.5,"s/t"],"m":{"k":"v"},"z":1}"#)
        #expect(try StateJSON.decode(JSONValue.self, from: bytes) == value)
    }

    @Test func largeIntegersStayExact() throws {
        let value = try StateJSON.decode(JSONValue.self, from: Array("9007199254740993".utf8))
        #expect(value == .int(9_007_199_254_740_993))
    }

    @Test func accessorsAndMutation() {
        var value: JSONValue = ["n": 3]
        value["s"] = "x"
        #expect(value["s"]?.stringValue == "x")
        #expect(value["n"]?.intValue == 3)
        #expect(value["n"]?.doubleValue == 3)
        #expect(value.objectValue?.count == 2)
        #expect(JSONValue.array([]).arrayValue == [])
        #expect(JSONValue.null.isNull)
        #expect(JSONValue.string("a").intValue == nil)
    }
}

@Suite struct LogLineTests {
    @Test func findsTopLevelSeqOnly() {
        func seq(_ text: String) -> UInt64? { LogLine.seq(of: Array(text.utf8)[...]) }
        #expect(seq(#"{"data":{"seq":99,"s":"}\"{"},"seq":7,"type":"x"}"#) == 7)
        #expect(seq(#"{"seq":12}"#) == 12)
        #expect(seq(#" { "a" : [1, {"b": "]"}] , "seq" : 3 } "#) == 3)
    }

    @Test func rejectsFragmentsAndGarbage() {
        func seq(_ text: String) -> UInt64? { LogLine.seq(of: Array(text.utf8)[...]) }
        let full = #"{"data":{"x":"a"},"seq":7,"type":"x"}"#
        #expect(seq(full) == 7)
        // Every strict prefix of a valid line is a torn fragment.
        for length in 0..<full.utf8.count {
            #expect(LogLine.seq(of: Array(full.utf8.prefix(length))[...]) == nil)
        }
        #expect(seq(#"{"data":1}"#) == nil)
        #expect(seq(#"{"seq":-1}"#) == nil)
        #expect(seq(#"{"seq":1.5}"#) == nil)
        #expect(seq(#"{"seq":"1"}"#) == nil)
        #expect(seq(#"{"seq":1}{"seq":2}"#) == nil)
        #expect(seq(#"{"seq":1,"seq":2}"#) == nil)
        #expect(seq("[1]") == nil)
        #expect(seq("") == nil)
    }
}
