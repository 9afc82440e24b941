import Foundation
import HeraldFeeds
import Testing

@Suite("FeedDate")
struct FeedDateTests {
    static let table: [(String, Int64)] = [
        ("Thu, 01 Jan 2004 19:48:21 GMT", 1_072_986_501),
        ("Thu, 1 Jan 2004 19:48:21 GMT", 1_072_986_501),
        ("01 Jan 2004 19:48:21 +0000", 1_072_986_501),
        ("Thu, 01 Jan 04 19:48:21 GMT", 1_072_986_501),
        ("Thu, 01 Jan 2004 19:48 GMT", 1_072_986_480),
        ("Thu, 01 Jan 2004 19:48:21 EST", 1_073_004_501),
        ("Thu, 01 Jan 2004 19:48:21 PDT", 1_073_011_701),
        ("Thu, 01 Jan 2004 19:48:21 UT", 1_072_986_501),
        ("Thu, 01 Jan 2004 19:48:21 Z", 1_072_986_501),
        ("Thu, 01 Jan 2004 19:48:21 -05:00", 1_073_004_501),
        ("thu, 01 jan 2004 19:48:21 +0530", 1_072_966_701),
        ("Thursday, 01 January 2004 19:48:21 GMT", 1_072_986_501),
        ("Thu, 01-Jan-2004 19:48:21 GMT", 1_072_986_501),
        ("Thu, 01 Jan 2004 19:48:21", 1_072_986_501),
        ("Sun Jan  4 16:29:06 PST 2004", 1_073_262_546),
        ("2003-12-31T10:14:55Z", 1_072_865_695),
        ("2003-12-31T10:14:55-08:00", 1_072_894_495),
        ("2003-12-31T10:14:55.123+01:00", 1_072_862_095),
        ("2003-12-31T10:14Z", 1_072_865_640),
        ("2003-12-31 10:14:55", 1_072_865_695),
        ("2003-12-31", 1_072_828_800),
        ("2003-12", 1_070_236_800),
        ("2003", 1_041_379_200),
        ("20031231T101455Z", 1_072_865_695),
        ("20031231", 1_072_828_800),
        ("2003-12-31t10:14:55z", 1_072_865_695),
        ("2003-12-31T10:14:55+0100", 1_072_862_095),
        ("1072915200", 1_072_915_200),
        ("  Mon, 2 Feb 2026 3:04:05 +0000  ", 1_770_001_445),
        ("Wed, 31 Dec 1969 23:59:59 GMT", -1),
        ("Fri, 29 Feb 2008 12:00:00 GMT", 1_204_286_400),
    ]

    @Test(arguments: table)
    func parsesRealWorldFormats(_ input: String, _ expected: Int64) throws {
        let date = try #require(FeedDate.parse(input), "could not parse \(input)")
        #expect(Int64(date.timeIntervalSince1970.rounded(.down)) == expected)
    }

    @Test func keepsFractionalSeconds() throws {
        let date = try #require(FeedDate.parse("2003-12-31T10:14:55.5Z"))
        #expect(date.timeIntervalSince1970 == 1_072_865_695.5)
    }

    @Test(arguments: [
        "", "   ", "not a date", "2003-13-01", "Thu, 32 Jan 2004 10:00:00 GMT", "30 Feb 2004", "2003-12-31T25:00:00Z",
        "Thu, 01 Foo 2004 19:48:21 GMT", "12:00:00",
    ])
    func rejectsNonDates(_ input: String) {
        #expect(FeedDate.parse(input) == nil)
    }
}
