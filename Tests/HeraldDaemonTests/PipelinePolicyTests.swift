import Foundation
import HeraldFeeds
import HeraldFetch
import Testing

@testable import HeraldDaemon

@Suite struct PipelinePolicyTests {
    let feed = HeraldConfig.FeedConfig(id: "f", url: "https://news.example.org/rss", interval: nil, tags: [], line: 1)

    @Test func linkPolicy() throws {
        let web = "https://news.example.org/rss"
        #expect(
            PageLinkPolicy.decide(link: "https://news.example.org/a", feedURL: web, allowPrivateNetworks: false)
                == .fetch(url: "https://news.example.org/a", addressPolicy: .publicOnly, trustedHost: "news.example.org", allowFile: false))
        #expect(
            PageLinkPolicy.decide(link: "https://other.example.com/a", feedURL: web, allowPrivateNetworks: false)
                == .fetch(url: "https://other.example.com/a", addressPolicy: .publicOnly, trustedHost: "news.example.org", allowFile: false))
        #expect(
            PageLinkPolicy.decide(link: "https://other.example.com/a", feedURL: web, allowPrivateNetworks: true)
                == .fetch(url: "https://other.example.com/a", addressPolicy: .any, trustedHost: "news.example.org", allowFile: false))
        for bad in ["javascript:alert(1)", "data:text/html,hi", "file:///etc/passwd", "ftp://x/y", "not a url"] {
            guard case .refuse = PageLinkPolicy.decide(link: bad, feedURL: web, allowPrivateNetworks: true) else {
                Issue.record("\(bad) should be refused")
                continue
            }
        }
        // A local feed may link to files in its own directory, nothing else.
        let dir = NSTemporaryDirectory() + "herald-policy-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        FileManager.default.createFile(atPath: dir + "/feed.xml", contents: Data())
        FileManager.default.createFile(atPath: dir + "/sub/page.html", contents: Data())
        let local = URL(fileURLWithPath: dir + "/feed.xml").absoluteString
        guard case .fetch(_, _, _, true) = PageLinkPolicy.decide(
            link: URL(fileURLWithPath: dir + "/sub/page.html").absoluteString, feedURL: local, allowPrivateNetworks: false)
        else {
            Issue.record("a file beside a local feed is allowed")
            return
        }
        guard case .refuse = PageLinkPolicy.decide(link: "file:///etc/hostname", feedURL: local, allowPrivateNetworks: false) else {
            Issue.record("a file outside the local feed's directory is refused")
            return
        }
        guard case .refuse = PageLinkPolicy.decide(link: "file://\(dir)/../x", feedURL: local, allowPrivateNetworks: false) else {
            Issue.record("escaping with .. is refused")
            return
        }
    }

    @Test func feedOnlyArticlesKeepTextAndNeverCollideWhenEmpty() {
        var entry = FeedEntry(key: "k1")
        entry.link = "https://e.org/1"
        entry.title = "One"
        entry.contentHTML = "<p>First paragraph.</p><p>Second &amp; last.</p>"
        let record = ArticleBuilder.record(feed: feed, entry: entry, extracted: nil, finalURL: nil, fallbackReason: "x")
        #expect(record.text == "First paragraph.\n\nSecond & last.")
        #expect(record.extraction.source == "feed")
        var empty1 = FeedEntry(key: "e1")
        empty1.title = "Title one"
        var empty2 = FeedEntry(key: "e2")
        empty2.title = "Title two"
        let a = ArticleBuilder.record(feed: feed, entry: empty1, extracted: nil, finalURL: nil, fallbackReason: nil)
        let b = ArticleBuilder.record(feed: feed, entry: empty2, extracted: nil, finalURL: nil, fallbackReason: nil)
        #expect(a.contentHash != b.contentHash)
        #expect(ArticleBuilder.articleID(feedID: "f", entryKey: "k1") == ArticleBuilder.articleID(feedID: "f", entryKey: "k1"))
        #expect(ArticleBuilder.articleID(feedID: "f", entryKey: "k1") != ArticleBuilder.articleID(feedID: "g", entryKey: "k1"))
    }

    @Test func recordsKeepTheFeedsRawHTMLAndASanitisedCopy() throws {
        let xml = """
            <rss version="2.0"><channel><title>T</title><item><title>X</title><link>https://e.org/x</link>
            <description><![CDATA[<p onclick="steal()">Hello <a href="javascript:alert(1)">there</a></p><script>alert(2)</script>]]></description>
            </item></channel></rss>
            """
        let entry = try #require(try FeedParser.parse(Array(xml.utf8), url: "https://e.org/feed").entries.first)
        let record = ArticleBuilder.record(feed: feed, entry: entry, extracted: nil, finalURL: nil, fallbackReason: "x")
        #expect(record.feedEntry.summary?.contains("<script>") == true, "the raw HTML is kept")
        let safe = try #require(record.feedEntry.summaryHTML)
        #expect(!safe.contains("script") && !safe.contains("onclick") && !safe.contains("javascript:"))
        #expect(safe.contains("Hello"))
        #expect(record.description?.contains("alert") == false)
        #expect(!record.text.contains("alert"))
    }

    @Test func notifierSendsDatagrams() throws {
        let path = NSTemporaryDirectory() + "n-\(UUID().uuidString.prefix(8)).sock"
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd); unlink(path) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, b) in path.utf8.enumerated() { raw[i] = b }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        try #require(bound == 0)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": path])
        #expect(notifier.notify("READY=1\nSTATUS=ok"))
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = recv(fd, &buffer, buffer.count, 0)
        #expect(String(decoding: buffer[0..<max(n, 0)], as: UTF8.self) == "READY=1\nSTATUS=ok")
        #expect(!SystemdNotifier(environment: [:]).notify("READY=1"))
        #expect(SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "2000000"]) == .seconds(1))
        #expect(SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "2000000", "WATCHDOG_PID": "1"]) == nil)
        // A listener that stops reading: once its buffer is full, messages are dropped, never waited for.
        var refused = 0
        for i in 0..<5_000 where !notifier.notify("STATUS=message \(i) " + String(repeating: "x", count: 200)) {
            refused += 1
        }
        #expect(refused > 0)
    }
}
