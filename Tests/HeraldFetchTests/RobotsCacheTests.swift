import Testing

@testable import HeraldFetch

@Suite struct RobotsCacheTests {
    let t0 = ContinuousClock.now
    func at(seconds: Int64) -> ContinuousClock.Instant { t0.advanced(by: .seconds(seconds)) }

    @Test func rulesAreKeptForADay() {
        var cache = RobotsCache()
        let stored = cache.store(
            .body(Array("User-agent: *\nDisallow: /x\n".utf8)),
            for: "https://a.example",
            now: at(seconds: 0)
        )
        #expect(stored == .rules(RobotsRules(parsing: "User-agent: *\nDisallow: /x\n")))
        #expect(cache.lookup("https://a.example", now: at(seconds: 86_399)) == stored)
        #expect(cache.lookup("https://a.example", now: at(seconds: 86_400)) == nil)
        #expect(cache.lookup("http://a.example", now: at(seconds: 1)) == nil)  // another origin
    }

    @Test func clientErrorsMeanNoRules() {
        var cache = RobotsCache()
        #expect(cache.store(.clientError(status: 404), for: "o", now: at(seconds: 0)) == .allowAll)
        #expect(cache.lookup("o", now: at(seconds: 80_000)) == .allowAll)
    }

    @Test func failuresAreRetriedSoonerAndKeepAnEarlierCopy() {
        var cache = RobotsCache()
        #expect(cache.store(.failure(reason: "503"), for: "o", now: at(seconds: 0)) == .unavailable(reason: "503"))
        #expect(cache.lookup("o", now: at(seconds: 3599)) == .unavailable(reason: "503"))
        #expect(cache.lookup("o", now: at(seconds: 3600)) == nil)

        let rules = cache.store(.body(Array("User-agent: *\nDisallow: /\n".utf8)), for: "o", now: at(seconds: 3600))
        // A day later the refetch fails: the earlier rules stay in force, for an hour.
        #expect(cache.store(.failure(reason: "timeout"), for: "o", now: at(seconds: 90_000)) == rules)
        #expect(cache.lookup("o", now: at(seconds: 93_599)) == rules)
        #expect(cache.lookup("o", now: at(seconds: 93_600)) == nil)
    }

    @Test func capacityIsBounded() {
        var cache = RobotsCache()
        cache.capacity = 100
        for index in 0..<1000 {
            cache.store(.clientError(status: 404), for: "origin\(index)", now: at(seconds: Int64(index)))
        }
        #expect(cache.count <= 100)
        #expect(cache.lookup("origin999", now: at(seconds: 1000)) == .allowAll)
    }
}
