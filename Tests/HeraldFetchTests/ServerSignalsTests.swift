import Foundation
import Testing

@testable import HeraldFetch

/// Retry-After, freshness lifetime, HTTP dates and the redirect chain: pure parsers, no clock but the one given.
@Suite struct ServerSignalsTests {
    /// 1994-11-06 08:49:37 UTC, the RFC's example instant.
    static let rfcInstant = Date(timeIntervalSince1970: 784_111_777)

    @Test(arguments: [
        "Sun, 06 Nov 1994 08:49:37 GMT",  // IMF-fixdate
        "Sunday, 06-Nov-94 08:49:37 GMT",  // RFC 850
        "Sun Nov  6 08:49:37 1994",  // asctime
        "sun, 06 nov 1994 08:49:37 gmt",  // case-insensitive
        "Mon, 06 Nov 1994 08:49:37 GMT",  // wrong weekday: ignored
        "Sun, 6 Nov 1994 08:49:37 UTC",
    ])
    func httpDateForms(text: String) {
        #expect(HTTPDate.parse(text) == Self.rfcInstant)
    }

    @Test(arguments: [
        "", "yesterday", "Sun, 32 Nov 1994 08:49:37 GMT", "Sun, 29 Feb 2023 08:49:37 GMT",
        "Sun, 06 Nov 1994 24:00:00 GMT",
        "Sun, 06 Nov 1994 08:49:37 PST", "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49 GMT",
        "Sun, 06 Nov 1994 08:49:37 GMT extra words here", "0", "-1",
    ])
    func invalidHTTPDates(text: String) {
        #expect(HTTPDate.parse(text) == nil)
    }

    @Test func leapDayAndCenturyRules() {
        #expect(HTTPDate.parse("Thu, 29 Feb 2024 00:00:00 GMT") == Date(timeIntervalSince1970: 1_709_164_800))
        #expect(HTTPDate.parse("Tue, 29 Feb 2000 00:00:00 GMT") == Date(timeIntervalSince1970: 951_782_400))
        #expect(HTTPDate.parse("Thu, 29 Feb 2100 00:00:00 GMT") == nil)
        #expect(HTTPDate.parse("Thu, 01 Jan 1970 00:00:00 GMT") == Date(timeIntervalSince1970: 0))
        // RFC 850 two-digit years: 70–99 are 19xx, 00–69 are 20xx.
        #expect(HTTPDate.parse("Friday, 01-Jan-27 00:00:00 GMT") == HTTPDate.parse("Fri, 01 Jan 2027 00:00:00 GMT"))
    }

    @Test func retryAfterSeconds() throws {
        let now = Self.rfcInstant
        let value = try #require(RetryAfter.parse("120", now: now))
        #expect(value.delay == .seconds(120))
        #expect(value.date == now.addingTimeInterval(120))
        #expect(RetryAfter.parse(" 0 ", now: now)?.delay == .zero)
    }

    @Test func retryAfterDatesInEveryForm() throws {
        let now = Self.rfcInstant.addingTimeInterval(-90)
        for text in ["Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"] {
            let value = try #require(RetryAfter.parse(text, now: now), "\(text)")
            #expect(value.delay == .seconds(90))
            #expect(value.date == Self.rfcInstant)
        }
    }

    @Test func retryAfterInThePastMeansNow() throws {
        let now = Self.rfcInstant.addingTimeInterval(3600)
        let value = try #require(RetryAfter.parse("Sun, 06 Nov 1994 08:49:37 GMT", now: now))
        #expect(value.delay == .zero)
        #expect(value.date == now)
    }

    @Test func absurdRetryAfterIsClamped() throws {
        let now = Self.rfcInstant
        for text in ["999999999999999999999", "31536000", "Fri, 01 Jan 2100 00:00:00 GMT"] {
            let value = try #require(RetryAfter.parse(text, now: now), "\(text)")
            #expect(value.delay == RetryAfter.maximumDelay)
            #expect(value.date == now.addingTimeInterval(7 * 86_400))
        }
    }

    @Test(arguments: ["", "soon", "-5", "1.5", "12 seconds", "0x10"])
    func invalidRetryAfter(text: String) {
        #expect(RetryAfter.parse(text, now: Self.rfcInstant) == nil)
    }

    @Test func freshnessFromCacheControl() {
        let now = Self.rfcInstant
        func lifetime(_ cacheControl: String?, expires: String? = nil, date: String? = nil) -> Duration? {
            CacheFreshness.lifetime(cacheControl: cacheControl, expires: expires, date: date, now: now)
        }
        #expect(lifetime("max-age=300") == .seconds(300))
        #expect(lifetime("public, MAX-AGE = 600") == .seconds(600))
        #expect(lifetime("public, max-age=\"60\"") == .seconds(60))
        #expect(lifetime("s-maxage=900") == .seconds(900))
        #expect(lifetime("s-maxage=900, max-age=60") == .seconds(60))  // max-age is ours, s-maxage is for shared caches
        #expect(lifetime("no-cache, max-age=300") == nil)
        #expect(lifetime("max-age=300, no-store") == nil)
        #expect(lifetime("max-age=99999999999") == CacheFreshness.maximumLifetime)
        // A Cache-Control without a lifetime falls back to Expires.
        #expect(lifetime("public", expires: "Sun, 06 Nov 1994 09:49:37 GMT") == .seconds(3600))
        #expect(lifetime(nil) == nil)
        #expect(lifetime("private") == nil)
    }

    @Test func freshnessFromExpires() {
        let now = Self.rfcInstant
        func lifetime(expires: String?, date: String? = nil) -> Duration? {
            CacheFreshness.lifetime(cacheControl: nil, expires: expires, date: date, now: now)
        }
        // Expires minus Date when the response has a Date, else minus now.
        #expect(
            lifetime(expires: "Sun, 06 Nov 1994 10:00:00 GMT", date: "Sun, 06 Nov 1994 09:00:00 GMT") == .seconds(3600)
        )
        #expect(lifetime(expires: "Sun, 06 Nov 1994 08:50:37 GMT") == .seconds(60))
        #expect(lifetime(expires: "Sun, 06 Nov 1994 08:49:37 GMT", date: "garbage") == .zero)
        // An invalid Expires ("0", "-1") means already expired; a past one is zero, never negative.
        #expect(lifetime(expires: "0") == .zero)
        #expect(lifetime(expires: "Sat, 01 Jan 1994 00:00:00 GMT") == .zero)
    }

    @Test func permanentURLFollowsOnlyLeadingPermanentHops() {
        let a = "http://a.example/1"
        let b = "http://a.example/2"
        let c = "https://b.example/3"
        let d = "https://b.example/4"
        #expect(FetchRedirect.permanentURL(of: []) == nil)
        #expect(FetchRedirect.permanentURL(of: [.init(status: 301, from: a, to: b)]) == b)
        #expect(
            FetchRedirect.permanentURL(of: [.init(status: 308, from: a, to: b), .init(status: 301, from: b, to: c)])
                == c
        )
        #expect(
            FetchRedirect.permanentURL(of: [
                .init(status: 301, from: a, to: b), .init(status: 302, from: b, to: c),
                .init(status: 301, from: c, to: d),
            ]) == b
        )
        for status in [302, 303, 307] {
            #expect(
                FetchRedirect.permanentURL(of: [
                    .init(status: status, from: a, to: b), .init(status: 301, from: b, to: c),
                ]) == nil
            )
        }
    }
}
