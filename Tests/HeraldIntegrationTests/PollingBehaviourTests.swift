import Foundation
import HeraldTestServer
import Synchronization
import Testing

/// How the daemon polls: server signals (Retry-After, 301, 410, lying 304s), entry identity, page retries,
/// reloads and restarts. The real binary against the test server on 127.0.0.1.
@Suite(.serialized) struct PollingBehaviourTests {
    static let date = "Mon, 16 Nov 2026 10:00:00 GMT"

    func items(_ server: TestHTTPServer, _ seeds: [String], guid: (String) -> String = { "g-\($0)" })
        -> [(guid: String, link: String, title: String, date: String)]
    {
        seeds.map { (guid: guid($0), link: "\(server.baseURL)/a/\($0)", title: "The \($0) story", date: Self.date) }
    }

    func pages(_ server: TestHTTPServer, _ seeds: [String]) {
        for seed in seeds {
            server.page("/a/\(seed)", Fixtures.article(title: "The \(seed) story", paragraphs: Fixtures.paragraphs(seed)))
        }
    }

    func data(_ event: [String: Any]) -> [String: Any] { event["data"] as? [String: Any] ?? [:] }

    @Test func retryAfterInSecondsIsObeyed() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        pages(server, ["one"])
        let feed = Fixtures.rss(title: "R", items: items(server, ["one"]))
        let count = Mutex(0)
        server.route("/busy.xml") { _ in
            let n = count.withLock { c -> Int in
                c += 1
                return c
            }
            if n == 1 {
                return TestResponse(status: 429, headers: [("Retry-After", "3"), ("Content-Type", "text/plain")], body: Array("slow down".utf8))
            }
            return TestResponse(status: 200, contentType: "application/rss+xml", text: feed)
        }
        let sandbox = try Sandbox()
        try sandbox.writeConfig(feeds: [("busy", "\(server.baseURL)/busy.xml")], interval: "1s")
        let daemon = try DaemonProcess(sandbox: sandbox)
        sandbox.waitUntil("the feed recovers after Retry-After") { !sandbox.events(ofType: "herald.article.created").isEmpty }
        _ = daemon.terminate()
        let polls = server.requests(for: "/busy.xml")
        #expect(polls.count >= 2)
        let failed = try #require(sandbox.events(ofType: "herald.feed.failed").first)
        #expect(data(failed)["reason_code"] as? String == "http_429")
        #expect(data(failed)["http_status"] as? Int == 429)
        // The second request came no sooner than the server asked (3 s), although the interval is 1 s.
        let gap = polls[1].receivedAt - polls[0].receivedAt
        #expect(gap >= .milliseconds(2900), "second poll after \(gap)")
        #expect(!sandbox.events(ofType: "herald.feed.recovered").isEmpty)
    }

    @Test func aPermanentRedirectIsRememberedAndATemporaryOneIsNot() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        pages(server, ["m1", "t1"])
        server.redirect("/old.xml", to: "\(server.baseURL)/new.xml", status: 301)
        server.feed("/new.xml", Fixtures.rss(title: "Moved", items: items(server, ["m1"])))
        server.redirect("/temp.xml", to: "\(server.baseURL)/real.xml", status: 302)
        server.feed("/real.xml", Fixtures.rss(title: "Temp", items: items(server, ["t1"])))
        let sandbox = try Sandbox()
        try sandbox.writeConfig(
            feeds: [("moved", "\(server.baseURL)/old.xml"), ("temp", "\(server.baseURL)/temp.xml")], interval: "1s")
        let daemon = try DaemonProcess(sandbox: sandbox)
        sandbox.waitUntil("a few polls of each") {
            server.requests(for: "/new.xml").count >= 3 && server.requests(for: "/real.xml").count >= 3
        }
        _ = daemon.terminate()
        #expect(server.requests(for: "/old.xml").count == 1, "the moved URL is asked once, then the new one")
        #expect(server.requests(for: "/temp.xml").count >= 3, "a 302 is followed but not remembered")
        let moved = sandbox.events(ofType: "herald.feed.moved")
        #expect(moved.count == 1)
        #expect(moved.first.map { data($0)["to"] as? String } == "\(server.baseURL)/new.xml")
        #expect(sandbox.schedule("moved")?["moved_to"] as? String == "\(server.baseURL)/new.xml")
        let status = try sandbox.run(["status", "--config", sandbox.configPath])
        #expect(status.stdout.contains("/old.xml -> \(server.baseURL)/new.xml"), "\(status.stdout)")
    }

    @Test func goneStopsPollingUntilAReingestNamesTheFeed() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        pages(server, ["back"])
        server.route("/gone.xml", TestResponse(status: 410, contentType: "text/plain", text: "gone"))
        let sandbox = try Sandbox()
        try sandbox.writeConfig(feeds: [("g", "\(server.baseURL)/gone.xml")], interval: "1s")
        let daemon = try DaemonProcess(sandbox: sandbox)
        sandbox.waitUntil("feed.gone") { !sandbox.events(ofType: "herald.feed.gone").isEmpty }
        // Polled every second otherwise: after 3 s it must still have been asked only once.
        usleep(3_000_000)
        #expect(server.requests(for: "/gone.xml").count == 1)
        // The publisher brings it back; a re-ingest of the feed polls it again.
        server.feed("/gone.xml", Fixtures.rss(title: "Back", items: items(server, ["back"])))
        let result = try sandbox.run(["reingest", "--config", sandbox.configPath, "--feed", "g"])
        #expect(result.status == 0, "\(result.stderr)")
        sandbox.waitUntil("scheduled polls resume") { server.requests(for: "/gone.xml").count >= 3 }
        _ = daemon.terminate()
        #expect(sandbox.events(ofType: "herald.article.created").count == 1)
        #expect(sandbox.schedule("g")?["gone"] as? Bool == false)
    }

    @Test func lyingValidatorsAreCaughtByTheUnconditionalFetch() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        pages(server, ["first", "hidden"])
        let hidden = Mutex(false)
        let first = Fixtures.rss(title: "L", items: items(server, ["first"]))
        let both = Fixtures.rss(title: "L", items: items(server, ["hidden", "first"]))
        // A server that answers every conditional request with 304, whatever changed.
        server.route("/lie.xml") { request in
            if request.headers["if-none-match"] != nil || request.headers["if-modified-since"] != nil {
                return TestResponse(status: 304, headers: [("ETag", "\"always\"")], autoETag: false)
            }
            let text = hidden.withLock { $0 } ? both : first
            return TestResponse(status: 200, headers: [("Content-Type", "application/rss+xml"), ("ETag", "\"always\"")],
                                body: Array(text.utf8), autoETag: false)
        }
        let sandbox = try Sandbox()
        try sandbox.writeConfig(feeds: [("lie", "\(server.baseURL)/lie.xml")], interval: "1s", extra: "unconditional_every: 3s")
        let daemon = try DaemonProcess(sandbox: sandbox)
        sandbox.waitUntil("first article") { sandbox.events(ofType: "herald.article.created").count == 1 }
        hidden.withLock { $0 = true }
        sandbox.waitUntil("the hidden entry found by an unconditional fetch") {
            sandbox.events(ofType: "herald.article.created").count == 2
        }
        sandbox.waitUntil("validators distrusted") { sandbox.schedule("lie")?["validators_trusted"] as? Bool == false }
        let before = server.requests(for: "/lie.xml").count
        sandbox.waitUntil("more polls") { server.requests(for: "/lie.xml").count >= before + 2 }
        _ = daemon.terminate()
        let after = server.requests(for: "/lie.xml").dropFirst(before)
        #expect(after.allSatisfy { $0.headers["if-none-match"] == nil }, "no validators once they lied")
    }

    @Test func changingGuidsGiveNoDuplicatesAndADroppedEntryIsNotNew() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let seeds = ["x1", "x2", "x3"]
        pages(server, seeds)
        let fetches = Mutex(0)
        let dropped = Mutex(false)
        server.route("/guid.xml") { _ in
            let n = fetches.withLock { c -> Int in
                c += 1
                return c
            }
            let shown = dropped.withLock { $0 } ? ["x1", "x3"] : seeds
            // A fresh guid on every fetch, the same links and titles.
            let xml = Fixtures.rss(title: "G", items: self.items(server, shown, guid: { "\($0)-\(n)" }))
            return TestResponse(status: 200, headers: [("Content-Type", "application/rss+xml")], body: Array(xml.utf8), autoETag: false)
        }
        let sandbox = try Sandbox()
        try sandbox.writeConfig(feeds: [("guid", "\(server.baseURL)/guid.xml")], interval: "1s")
        let daemon = try DaemonProcess(sandbox: sandbox)
        sandbox.waitUntil("four polls") { fetches.withLock { $0 } >= 4 }
        dropped.withLock { $0 = true }
        let now = fetches.withLock { $0 }
        sandbox.waitUntil("polls without x2") { fetches.withLock { $0 } >= now + 2 }
        dropped.withLock { $0 = false }
        let later = fetches.withLock { $0 }
        sandbox.waitUntil("polls with x2 back") { fetches.withLock { $0 } >= later + 2 }
        _ = daemon.terminate()
        let events = sandbox.events().filter { ($0["type"] as? String)?.hasPrefix("herald.article.") == true }
        #expect(sandbox.events(ofType: "herald.article.created").count == 3, "\(events.map { $0["type"] ?? "" })")
        #expect(sandbox.events(ofType: "herald.article.duplicate").isEmpty)
        #expect(events.count == 3)
        for seed in seeds { #expect(server.requests(for: "/a/\(seed)").count == 1) }
    }

    @Test func aFailedPageIsRetriedAndTheArticleUpdated() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let attempts = Mutex(0)
        let page = Fixtures.article(title: "The late story", paragraphs: Fixtures.paragraphs("late"))
        server.route("/a/late") { _ in
            let n = attempts.withLock { c -> Int in
                c += 1
                return c
            }
            if n < 3 { return TestResponse(status: 503, contentType: "text/plain", text: "busy") }
            return TestResponse(status: 200, contentType: "text/html; charset=utf-8", text: page)
        }
        server.feed("/late.xml", Fixtures.rss(title: "Late", items: [
            (guid: "late", link: "\(server.baseURL)/a/late", title: "The late story", date: Self.date),
        ]))
        let sandbox = try Sandbox()
        try sandbox.writeConfig(
            feeds: [("late", "\(server.baseURL)/late.xml")], interval: "1h", extra: "page_retry_delay: 1s")
        let daemon = try DaemonProcess(sandbox: sandbox)
        sandbox.waitUntil("article.updated from the page", timeout: 30) {
            !sandbox.events(ofType: "herald.article.updated").isEmpty
        }
        _ = daemon.terminate()
        let created = try #require(sandbox.events(ofType: "herald.article.created").first)
        #expect(data(created)["source"] as? String == "feed")
        #expect(!(data(created)["title"] as? String ?? "").isEmpty)
        let updated = try #require(sandbox.events(ofType: "herald.article.updated").first)
        #expect(data(updated)["source"] as? String == "page")
        #expect(data(updated)["article_id"] as? String == data(created)["article_id"] as? String)
        #expect(attempts.withLock { $0 } == 3)
        #expect(server.requests(for: "/late.xml").count == 1, "page retries do not poll the feed before it is due")
    }

    @Test func aReloadWithoutChangesPollsNothing() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        var feeds: [(String, String)] = []
        for i in 0..<20 {
            server.feed("/f\(i).xml", Fixtures.rss(title: "F\(i)", items: []))
            feeds.append(("feed-\(i)", "\(server.baseURL)/f\(i).xml"))
        }
        let sandbox = try Sandbox()
        try sandbox.writeConfig(feeds: feeds, interval: "1h")
        let daemon = try DaemonProcess(sandbox: sandbox)
        sandbox.waitUntil("every feed polled once") { (0..<20).allSatisfy { !server.requests(for: "/f\($0).xml").isEmpty } }
        // One comment line at the top moves every feed one line down.
        let text = try String(contentsOfFile: sandbox.configPath, encoding: .utf8)
        try ("# a comment\n" + text).write(toFile: sandbox.configPath, atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        sandbox.waitUntil("the reload") { daemon.log.contains("configuration reloaded") }
        usleep(1_500_000)
        _ = daemon.terminate()
        let total = (0..<20).map { server.requests(for: "/f\($0).xml").count }.reduce(0, +)
        #expect(total == 20, "no feed was polled again by the reload (\(total) requests)")
    }

    @Test func aRestartHonoursTheSavedScheduleAndBackoff() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        pages(server, ["ok"])
        server.feed("/ok.xml", Fixtures.rss(title: "OK", items: items(server, ["ok"])))
        server.route("/down.xml", TestResponse(status: 503, contentType: "text/plain", text: "down"))
        let sandbox = try Sandbox()
        try sandbox.writeConfig(
            feeds: [("ok", "\(server.baseURL)/ok.xml"), ("down", "\(server.baseURL)/down.xml")], interval: "1h")
        var daemon = try DaemonProcess(sandbox: sandbox)
        sandbox.waitUntil("both polled") {
            !sandbox.events(ofType: "herald.feed.failed").isEmpty && !sandbox.events(ofType: "herald.article.created").isEmpty
        }
        sandbox.waitUntil("the schedules saved") { sandbox.schedule("down") != nil && sandbox.schedule("ok") != nil }
        #expect(daemon.terminate().status == 0)
        // A restart, and a crash-restart: neither polls a feed whose next poll (or backoff) lies ahead.
        daemon = try DaemonProcess(sandbox: sandbox)
        sandbox.waitUntil("the daemon holds the lock") { daemon.holdsLock(sandbox) }
        usleep(1_500_000)
        daemon.signal(SIGKILL)
        daemon.process.waitUntilExit()
        daemon = try DaemonProcess(sandbox: sandbox)
        sandbox.waitUntil("the daemon holds the lock") { daemon.holdsLock(sandbox) }
        usleep(1_500_000)
        #expect(daemon.terminate().status == 0)
        #expect(server.requests(for: "/ok.xml").count == 1)
        #expect(server.requests(for: "/down.xml").count == 1)
    }

    @Test func aFirstPollFetchesOnlyTheBacklogAndRemembersTheRest() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let seeds = (0..<30).map { "b\($0)" }
        pages(server, seeds + ["fresh"])
        // Newest first: b0 is the latest, one hour apart.
        func feedItems(_ list: [String]) -> [(guid: String, link: String, title: String, date: String)] {
            list.enumerated().map { i, seed in
                let hour = String(format: "%02d", 23 - i % 24)
                let day = 16 - i / 24
                return (guid: "g-\(seed)", link: "\(server.baseURL)/a/\(seed)", title: "The \(seed) story",
                        date: "Mon, \(day) Nov 2026 \(hour):00:00 GMT")
            }
        }
        let current = Mutex(Fixtures.rss(title: "B", items: feedItems(seeds)))
        server.route("/b.xml") { _ in
            TestResponse(status: 200, contentType: "application/rss+xml", text: current.withLock { $0 })
        }
        let sandbox = try Sandbox()
        try sandbox.writeConfig(feeds: [("b", "\(server.baseURL)/b.xml")], interval: "1s", extra: "backlog: 5")
        let daemon = try DaemonProcess(sandbox: sandbox)
        sandbox.waitUntil("the backlog") { sandbox.events(ofType: "herald.article.created").count >= 5 }
        sandbox.waitUntil("another poll") { server.requests(for: "/b.xml").count >= 3 }
        current.withLock { $0 = Fixtures.rss(title: "B", items: feedItems(["fresh"] + seeds)) }
        sandbox.waitUntil("the new entry") { sandbox.events(ofType: "herald.article.created").count >= 6 }
        let polls = server.requests(for: "/b.xml").count
        sandbox.waitUntil("two more polls") { server.requests(for: "/b.xml").count >= polls + 2 }
        _ = daemon.terminate()
        let titles = Set(sandbox.events(ofType: "herald.article.created").compactMap { data($0)["title"] as? String })
        #expect(titles.count == 6)
        #expect(titles.contains("The fresh story") && titles.contains("The b0 story") && titles.contains("The b4 story"))
        #expect(!titles.contains("The b5 story"))
        let fetched = seeds.filter { !server.requests(for: "/a/\($0)").isEmpty }
        #expect(fetched == ["b0", "b1", "b2", "b3", "b4"])
    }

    @Test func oneHostGetsNoMoreConnectionsOrRequestsThanItsBudget() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let seeds = (0..<200).map { "p\($0)" }
        pages(server, seeds)
        server.feed("/many.xml", Fixtures.rss(title: "Many", items: items(server, seeds)))
        let sandbox = try Sandbox()
        try sandbox.writeConfig(
            feeds: [("many", "\(server.baseURL)/many.xml")], interval: "1h", extra: "backlog: 500",
            limits: "  per_host_connections: 2\n  per_host_delay: 30ms")
        let daemon = try DaemonProcess(sandbox: sandbox)
        sandbox.waitUntil("200 articles", timeout: 60) { sandbox.events(ofType: "herald.article.created").count == 200 }
        _ = daemon.terminate()
        #expect(server.peakConcurrentRequestCount <= 2)
        let starts = seeds.compactMap { server.requests(for: "/a/\($0)").first?.receivedAt }.sorted()
        #expect(starts.count == 200)
        // Requests start at least 30 ms apart. The server sees each start a little late, and on a loaded machine
        // a stalled server thread can bunch two arrivals: judge the distribution, not the single worst gap.
        let gaps = zip(starts, starts.dropFirst()).map { $1 - $0 }.sorted()
        let close = gaps.filter { $0 < .milliseconds(15) }.count
        #expect(close <= 3, "\(close) page requests arrived less than 15 ms after the previous one")
        #expect(gaps[gaps.count / 2] >= .milliseconds(28), "median gap \(gaps[gaps.count / 2])")
    }

    @Test func robotsTxtDisallowIsHonouredForPagesNotFeeds() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        pages(server, ["open"])
        server.page("/private/secret", Fixtures.article(title: "Secret", paragraphs: Fixtures.paragraphs("secret")))
        server.route("/robots.txt", TestResponse(status: 200, contentType: "text/plain", text: "User-agent: *\nDisallow: /private/\nDisallow: /feeds/\n"))
        server.feed("/feeds/r.xml", Fixtures.rss(title: "R", items: items(server, ["open"]) + [
            (guid: "s", link: "\(server.baseURL)/private/secret", title: "Secret", date: Self.date),
        ]))
        let sandbox = try Sandbox()
        try sandbox.writeConfig(feeds: [("r", "\(server.baseURL)/feeds/r.xml")], interval: "1h", extra: "robots: true")
        let daemon = try DaemonProcess(sandbox: sandbox)
        sandbox.waitUntil("two articles") { sandbox.events(ofType: "herald.article.created").count == 2 }
        _ = daemon.terminate()
        #expect(server.requests(for: "/private/secret").isEmpty)
        #expect(server.requests(for: "/a/open").count == 1)
        #expect(server.requests(for: "/robots.txt").count == 1, "cached for the host")
        let secret = try #require(sandbox.events(ofType: "herald.article.created").first { data($0)["title"] as? String == "Secret" })
        #expect(data(secret)["source"] as? String == "feed")
        let record = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: sandbox.stateDirectory + "/" + (data(secret)["path"] as! String)))) as? [String: Any])
        #expect(((record["extraction"] as? [String: Any])?["reason"] as? String)?.contains("robots.txt") == true)
    }

    @Test func aFeedThatTakesTooLongToParseStopsNeitherHealthyFeedsNorShutdown() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        pages(server, ["healthy"])
        server.feed("/ok.xml", Fixtures.rss(title: "OK", items: items(server, ["healthy"])))
        // Eight megabytes of items: fine to parse in time normally, not within a 20 ms budget.
        var huge = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Big</title>"
        let item = "<item><title>t</title><description>\(String(repeating: "word ", count: 60))</description></item>"
        for _ in 0..<25_000 { huge += item }
        huge += "</channel></rss>"
        server.feed("/big.xml", huge)
        let sandbox = try Sandbox()
        try sandbox.writeConfig(
            feeds: [("big", "\(server.baseURL)/big.xml"), ("ok", "\(server.baseURL)/ok.xml")], interval: "1s",
            limits: "  per_host_delay: 0s\n  parse_timeout: 20ms\n  max_body_bytes: 15MiB")
        let daemon = try DaemonProcess(sandbox: sandbox)
        sandbox.waitUntil("the big feed fails with parse_timeout") {
            sandbox.events(ofType: "herald.feed.failed").contains { data($0)["reason_code"] as? String == "parse_timeout" }
        }
        sandbox.waitUntil("the healthy feed keeps being polled") { server.requests(for: "/ok.xml").count >= 3 }
        let status = try sandbox.run(["status", "--config", sandbox.configPath], timeout: 10)
        #expect(status.status == 0)
        #expect(status.stdout.contains("parse_timeout"), "\(status.stdout)")
        let stop = daemon.terminate()
        #expect(stop.status == 0)
        #expect(stop.seconds < 5)
        #expect(sandbox.events(ofType: "herald.article.created").count == 1)
    }

    @Test func retryAfterAsAnHTTPDateIsObeyed() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        pages(server, ["d1"])
        let feed = Fixtures.rss(title: "D", items: items(server, ["d1"]))
        let count = Mutex(0)
        server.route("/date.xml") { _ in
            let n = count.withLock { c -> Int in
                c += 1
                return c
            }
            guard n == 1 else { return TestResponse(status: 200, contentType: "application/rss+xml", text: feed) }
            // An IMF-fixdate three seconds ahead (whole seconds, so the wait is at least two).
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
            let when = formatter.string(from: Date().addingTimeInterval(3))
            return TestResponse(status: 503, headers: [("Retry-After", when), ("Content-Type", "text/plain")], body: Array("later".utf8))
        }
        let sandbox = try Sandbox()
        try sandbox.writeConfig(feeds: [("date", "\(server.baseURL)/date.xml")], interval: "1s")
        let daemon = try DaemonProcess(sandbox: sandbox)
        sandbox.waitUntil("the article after the wait") { !sandbox.events(ofType: "herald.article.created").isEmpty }
        _ = daemon.terminate()
        let polls = server.requests(for: "/date.xml")
        #expect(polls.count >= 2)
        #expect(polls[1].receivedAt - polls[0].receivedAt >= .milliseconds(1900))
        let failed = sandbox.events(ofType: "herald.feed.failed").first.map { data($0) }
        #expect(failed?["reason_code"] as? String == "http_503")
    }

    @Test func oneStoryReachedByTwoLinksIsOneArticle() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        pages(server, ["same"])
        server.feed("/two.xml", Fixtures.rss(title: "Two", items: [
            (guid: "one", link: "\(server.baseURL)/a/same?utm_source=rss&utm_medium=feed", title: "The same story", date: Self.date),
            (guid: "two", link: "\(server.baseURL)/a/same#comments", title: "The same story", date: Self.date),
        ]))
        let sandbox = try Sandbox()
        try sandbox.writeConfig(feeds: [("two", "\(server.baseURL)/two.xml")], interval: "1h")
        let daemon = try DaemonProcess(sandbox: sandbox)
        sandbox.waitUntil("the article") { !sandbox.events(ofType: "herald.article.created").isEmpty }
        sandbox.waitUntil("the feed's state written") { sandbox.schedule("two") != nil }
        usleep(500_000)
        _ = daemon.terminate()
        let articleEvents = sandbox.events().filter { ($0["type"] as? String)?.hasPrefix("herald.article.") == true }
        #expect(articleEvents.count == 1, "\(articleEvents.map { $0["type"] ?? "" })")
        let aliases = data(articleEvents[0])["aliases"] as? [String] ?? []
        #expect(aliases.contains("\(server.baseURL)/a/same"))
    }
}
