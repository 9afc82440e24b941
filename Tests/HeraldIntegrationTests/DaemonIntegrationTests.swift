import Foundation
import HeraldTestServer
import Testing

/// End-to-end tests: the real `herald` binary against a real HTTP server on 127.0.0.1.
@Suite(.serialized) struct DaemonIntegrationTests {
    static let date1 = "Mon, 16 Nov 2026 10:00:00 GMT"
    static let date2 = "Tue, 17 Nov 2026 10:00:00 GMT"
    static let date3 = "Wed, 18 Nov 2026 10:00:00 GMT"

    /// A server with one feed (/feed.xml) of three articles.
    func newsServer() throws -> TestHTTPServer {
        let server = try TestHTTPServer()
        for (i, seed) in ["alpha", "bravo", "charlie"].enumerated() {
            server.page("/a/\(seed)", Fixtures.article(title: "The \(seed) story", paragraphs: Fixtures.paragraphs(seed)))
            _ = i
        }
        server.feed("/feed.xml", feedXML(server, dates: [Self.date1, Self.date2, Self.date3]))
        return server
    }

    func feedXML(_ server: TestHTTPServer, dates: [String]) -> String {
        Fixtures.rss(
            title: "News",
            items: zip(["alpha", "bravo", "charlie"], dates).map { seed, date in
                (guid: "g-\(seed)", link: "\(server.baseURL)/a/\(seed)", title: "The \(seed) story", date: date)
            })
    }

    @Test func firstPollCreatesThenConditionalPollCreatesNothing() throws {
        let server = try newsServer()
        defer { server.stop() }
        let sandbox = try Sandbox()
        try sandbox.writeConfig(feeds: [("news", "\(server.baseURL)/feed.xml")], interval: "1s")
        let daemon = try DaemonProcess(sandbox: sandbox)
        sandbox.waitUntil("three article.created events") { sandbox.events(ofType: "herald.article.created").count == 3 }
        // Wait for at least two more polls, which must be answered 304 and create nothing.
        sandbox.waitUntil("conditional polls") {
            server.requests(for: "/feed.xml").filter { $0.headers["if-none-match"] != nil }.count >= 2
        }
        let stop = daemon.terminate()
        #expect(stop.status == 0, "daemon log:\n\(daemon.log)")
        #expect(stop.seconds < 5)

        let created = sandbox.events(ofType: "herald.article.created")
        #expect(created.count == 3)
        #expect(server.requests(for: "/a/alpha").count == 1, "a known entry's page is not fetched again")
        for event in created {
            let data = try #require(event["data"] as? [String: Any])
            let path = try #require(data["path"] as? String)
            let file = sandbox.stateDirectory + "/" + path
            let record = try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any])
            #expect(record["content_hash"] as? String == data["content_hash"] as? String)
            #expect((record["text"] as? String)?.contains("report, part 1:") == true)
            #expect((record["text"] as? String)?.contains("All rights reserved") == false)
            #expect(data["feed_id"] as? String == "news")
            #expect((data["url"] as? String)?.hasPrefix(server.baseURL) == true)
            #expect(event["subject"] as? String == "articles/\(data["article_id"] as? String ?? "")")
        }
        // The log's contract: seq from 1, contiguous; id = epoch:seq; RFC 3339 UTC time.
        let events = sandbox.events()
        #expect(events.map { $0["seq"] as? Int } == Array(1...events.count).map { $0 })
        for event in events {
            let seq = event["seq"] as? Int ?? -1
            #expect((event["id"] as? String)?.hasSuffix(":\(seq)") == true)
            #expect((event["time"] as? String)?.hasSuffix("Z") == true)
        }
        let raw = try String(contentsOfFile: sandbox.logPath, encoding: .utf8)
        #expect(!raw.contains("\\/"), "slashes are not escaped")
        #expect(raw.hasSuffix("\n"))
        // The schedule remembers validators; the feed state its entries.
        #expect(sandbox.schedule("news")?["etag"] as? String != nil)
        let feedState = try #require(
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: sandbox.stateDirectory + "/feeds/news.json")))
                as? [String: Any])
        #expect(feedState["etag"] == nil)
        #expect((feedState["entries"] as? [String: Any])?.count == 3)
    }

    @Test func changedPageGivesUpdatedAndRestartCreatesNoDuplicates() throws {
        let server = try newsServer()
        defer { server.stop() }
        let sandbox = try Sandbox()
        try sandbox.writeConfig(feeds: [("news", "\(server.baseURL)/feed.xml")], interval: "1s")
        var daemon = try DaemonProcess(sandbox: sandbox)
        sandbox.waitUntil("articles") { sandbox.events(ofType: "herald.article.created").count == 3 }
        #expect(daemon.terminate().status == 0)
        let before = sandbox.events().count

        // Restart: nothing new, nothing repeated.
        daemon = try DaemonProcess(sandbox: sandbox)
        sandbox.waitUntil("a poll after restart") {
            server.requests(for: "/feed.xml").filter { $0.headers["if-none-match"] != nil }.count >= 1
        }
        usleep(300_000)
        #expect(sandbox.events(ofType: "herald.article.created").count == 3)

        // The bravo page changes and the feed says so with a new date: article.updated.
        server.page("/a/bravo", Fixtures.article(title: "The bravo story", paragraphs: Fixtures.paragraphs("bravo revised")))
        server.feed("/feed.xml", feedXML(server, dates: [Self.date1, "Thu, 19 Nov 2026 10:00:00 GMT", Self.date3]))
        sandbox.waitUntil("article.updated") { sandbox.events(ofType: "herald.article.updated").count == 1 }
        #expect(daemon.terminate().status == 0)

        let updated = try #require(sandbox.events(ofType: "herald.article.updated").first)
        let data = try #require(updated["data"] as? [String: Any])
        #expect(data["previous_hash"] as? String != nil)
        #expect(data["previous_hash"] as? String != data["content_hash"] as? String)
        #expect(sandbox.events(ofType: "herald.article.created").count == 3)
        #expect(sandbox.events().count > before)
        let hashes = sandbox.events(ofType: "herald.article.created").compactMap { ($0["data"] as? [String: Any])?["content_hash"] as? String }
        #expect(Set(hashes).count == hashes.count, "no content hash created twice")
    }

    @Test func sameTextInTwoFeedsIsADuplicate() throws {
        let server = try newsServer()
        defer { server.stop() }
        // A second feed on the same server links to a copy of the alpha page under another URL.
        server.page("/copy/alpha", Fixtures.article(title: "The alpha story", paragraphs: Fixtures.paragraphs("alpha")))
        server.feed(
            "/other.xml",
            Fixtures.rss(title: "Other", items: [(guid: "o-1", link: "\(server.baseURL)/copy/alpha", title: "Alpha again", date: Self.date2)]))
        let sandbox = try Sandbox()
        try sandbox.writeConfig(feeds: [("news", "\(server.baseURL)/feed.xml")])
        let first = try sandbox.run(["reingest", "--config", sandbox.configPath, "--all"])
        #expect(first.status == 0, "\(first.stderr)")
        try sandbox.writeConfig(feeds: [("news", "\(server.baseURL)/feed.xml"), ("other", "\(server.baseURL)/other.xml")])
        let second = try sandbox.run(["reingest", "--config", sandbox.configPath, "--feed", "other"])
        #expect(second.status == 0, "\(second.stderr)")
        let duplicates = sandbox.events(ofType: "herald.article.duplicate")
        #expect(duplicates.count == 1)
        let data = try #require(duplicates.first?["data"] as? [String: Any])
        let alpha = try #require(
            sandbox.events(ofType: "herald.article.created").first { ($0["data"] as? [String: Any])?["url"] as? String == "\(server.baseURL)/a/alpha" })
        #expect(data["original_id"] as? String == (alpha["data"] as? [String: Any])?["article_id"] as? String)
        #expect(data["kind"] as? String == "exact")
        #expect(sandbox.events(ofType: "herald.article.created").count == 3)
    }

    @Test func tailSincePrintsExactlyTheEventsAfterN() throws {
        let server = try newsServer()
        defer { server.stop() }
        let sandbox = try Sandbox()
        try sandbox.writeConfig(feeds: [("news", "\(server.baseURL)/feed.xml")])
        #expect(try sandbox.run(["reingest", "--config", sandbox.configPath, "--all"]).status == 0)
        let all = try sandbox.run(["tail", "--state-dir", sandbox.stateDirectory])
        let lines = all.stdout.split(separator: "\n")
        #expect(lines.count == sandbox.events().count)
        #expect(lines.count >= 5)
        let since = try sandbox.run(["tail", "--state-dir", sandbox.stateDirectory, "--since", "2"])
        let seqs = since.stdout.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["seq"] as? Int
        }
        #expect(seqs == Array(3...lines.count))
        let none = try sandbox.run(["tail", "--state-dir", sandbox.stateDirectory, "--since", "\(lines.count)"])
        #expect(none.stdout.isEmpty)
        #expect(none.status == 0)
    }

    @Test func reingestWithAndWithoutADaemon() throws {
        let server = try newsServer()
        defer { server.stop() }
        let sandbox = try Sandbox()
        try sandbox.writeConfig(feeds: [("news", "\(server.baseURL)/feed.xml")])

        // No daemon: the command does the work itself.
        let offline = try sandbox.run(["reingest", "--config", sandbox.configPath, "--all"])
        #expect(offline.status == 0, "\(offline.stderr)")
        let result = try #require(try JSONSerialization.jsonObject(with: Data(offline.stdout.utf8)) as? [String: Any])
        #expect((result["totals"] as? [String: Any])?["created"] as? Int == 3)
        #expect(sandbox.events(ofType: "herald.reingest.started").count == 1)
        #expect(sandbox.events(ofType: "herald.reingest.completed").count == 1)

        // Unchanged content: a second re-ingest creates and updates nothing, and refetches despite validators.
        let daemon = try DaemonProcess(sandbox: sandbox)
        sandbox.waitUntil("the control socket") { FileManager.default.fileExists(atPath: sandbox.stateDirectory + "/control.sock") }
        let alphaFetches = server.requests(for: "/a/alpha").count
        let online = try sandbox.run(["reingest", "--config", sandbox.configPath, "--feed", "news"])
        #expect(online.status == 0, "\(online.stderr)\n\(daemon.log)")
        let onlineResult = try #require(try JSONSerialization.jsonObject(with: Data(online.stdout.utf8)) as? [String: Any])
        let totals = try #require(onlineResult["totals"] as? [String: Any])
        #expect(totals["created"] as? Int == 0)
        #expect(totals["updated"] as? Int == 0)
        #expect(totals["unchanged"] as? Int == 3)
        #expect(server.requests(for: "/a/alpha").count == alphaFetches + 1)
        #expect(server.requests(for: "/feed.xml").last?.headers["if-none-match"] == nil)

        // Changed content without any hint in the feed: re-ingest of one URL finds it.
        server.page("/a/charlie", Fixtures.article(title: "The charlie story", paragraphs: Fixtures.paragraphs("charlie v2")))
        let byURL = try sandbox.run(["reingest", "--config", sandbox.configPath, "--url", "\(server.baseURL)/a/charlie"])
        #expect(byURL.status == 0, "\(byURL.stderr)")
        #expect(sandbox.events(ofType: "herald.article.updated").count == 1)
        let unknown = try sandbox.run(["reingest", "--config", sandbox.configPath, "--feed", "nope"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("no feed with id"))

        // The started/completed pairs bracket the work, and the events were durable before the command returned.
        #expect(sandbox.events(ofType: "herald.reingest.started").count == 3)
        #expect(sandbox.events(ofType: "herald.reingest.completed").count == 3)
        #expect(daemon.terminate().status == 0)
    }

    @Test func secondDaemonOnTheSameStateRefuses() throws {
        let server = try newsServer()
        defer { server.stop() }
        let sandbox = try Sandbox()
        try sandbox.writeConfig(feeds: [("news", "\(server.baseURL)/feed.xml")])
        let daemon = try DaemonProcess(sandbox: sandbox)
        sandbox.waitUntil("articles") { sandbox.events(ofType: "herald.article.created").count == 3 }
        let second = try sandbox.run(["run", "--config", sandbox.configPath], timeout: 20)
        #expect(second.status == 75)
        #expect(second.stderr.contains("in use by another herald process"))
        let status = try sandbox.run(["status", "--state-dir", sandbox.stateDirectory, "--json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        #expect(json["daemon_running"] as? Bool == true)
        let feeds = try #require(json["feeds"] as? [[String: Any]])
        #expect(feeds.first?["articles"] as? Int == 3)
        #expect(daemon.terminate().status == 0)
        let after = try sandbox.run(["status", "--state-dir", sandbox.stateDirectory, "--json"])
        let afterJSON = try #require(try JSONSerialization.jsonObject(with: Data(after.stdout.utf8)) as? [String: Any])
        #expect(afterJSON["daemon_running"] as? Bool == false)
    }
}
