import Foundation
import HeraldTestServer
import Testing

/// Bad input, signals, systemd notify, reload and configuration checks, against the real binary.
@Suite(.serialized) struct FailureAndLifecycleTests {
    static let date = "Mon, 16 Nov 2026 10:00:00 GMT"

    func goodFeed(_ server: TestHTTPServer, path: String = "/ok.xml", seed: String = "good") -> String {
        server.page("/p/\(seed)", Fixtures.article(title: "The \(seed) story", paragraphs: Fixtures.paragraphs(seed)))
        return Fixtures.rss(
            title: "Good", items: [(guid: "\(seed)-1", link: "\(server.baseURL)/p/\(seed)", title: "The \(seed) story", date: Self.date)])
    }

    func reason(_ sandbox: Sandbox, feed: String) -> String? {
        let failed = sandbox.events(ofType: "herald.feed.failed").last { ($0["data"] as? [String: Any])?["feed_id"] as? String == feed }
        return (failed?["data"] as? [String: Any])?["reason"] as? String
    }

    @Test func brokenFeedsFailClearlyAndRecover() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let good = goodFeed(server)
        server.route("/missing.xml", TestResponse(status: 404, contentType: "text/plain", text: "no"))
        server.route("/error.xml", TestResponse(status: 500, contentType: "text/plain", text: "boom"))
        server.route("/html.xml", TestResponse(status: 200, contentType: "text/html", text: "<html><body><p>Not a feed</p></body></html>"))
        server.route("/garbage.xml", TestResponse(status: 200, contentType: "application/xml", text: "\u{1}\u{2} this is { not xml or json"))
        var slow = TestResponse(status: 200, contentType: "application/rss+xml", text: good)
        slow.delay = .seconds(4)
        server.route("/slow.xml", slow)
        server.redirect("/loop-a", to: "/loop-b")
        server.redirect("/loop-b", to: "/loop-a")
        var truncated = Array(good.utf8)
        truncated.removeLast(truncated.count / 2)
        server.route("/truncated.xml", TestResponse(status: 200, headers: [("Content-Type", "application/rss+xml")], body: truncated))
        server.route("/huge.xml", TestResponse(status: 200, headers: [("Content-Type", "application/rss+xml")], body: Array(good.utf8) + [UInt8](repeating: 0x20, count: 200_000)))
        var bomb = TestResponse(status: 200, headers: [("Content-Type", "application/rss+xml")], body: [UInt8](repeating: 0x20, count: 4_000_000))
        bomb.gzip = true
        bomb.gzipCompression = .runLength
        server.route("/bomb.xml", bomb)
        server.route("/binary.xml", TestResponse(status: 200, headers: [("Content-Type", "application/rss+xml")], body: (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7) }))
        // Redirected and gzipped feeds work.
        server.redirect("/moved.xml", to: "/gz.xml", status: 301)
        var gz = TestResponse(status: 200, contentType: "application/rss+xml", text: goodFeed(server, seed: "zipped"))
        gz.gzip = true
        server.route("/gz.xml", gz)

        let sandbox = try Sandbox()
        try sandbox.writeConfig(
            feeds: [
                ("missing", "\(server.baseURL)/missing.xml"), ("error", "\(server.baseURL)/error.xml"),
                ("html", "\(server.baseURL)/html.xml"), ("garbage", "\(server.baseURL)/garbage.xml"),
                ("slow", "\(server.baseURL)/slow.xml"), ("loop", "\(server.baseURL)/loop-a"),
                ("moved", "\(server.baseURL)/moved.xml"), ("unreachable", "http://127.0.0.1:9/feed.xml"),
                ("truncated", "\(server.baseURL)/truncated.xml"), ("huge", "\(server.baseURL)/huge.xml"),
                ("bomb", "\(server.baseURL)/bomb.xml"), ("binary", "\(server.baseURL)/binary.xml"),
            ], interval: "1s", extra: "  max_body_bytes: 64KiB")
        let daemon = try DaemonProcess(sandbox: sandbox)
        sandbox.waitUntil("eleven feed.failed events") {
            Set(sandbox.events(ofType: "herald.feed.failed").compactMap { ($0["data"] as? [String: Any])?["feed_id"] as? String }).count == 11
        }
        sandbox.waitUntil("the gzipped feed's article") { sandbox.events(ofType: "herald.article.created").count == 1 }
        #expect(reason(sandbox, feed: "missing")?.contains("HTTP 404") == true)
        #expect(reason(sandbox, feed: "error")?.contains("HTTP 500") == true)
        #expect(reason(sandbox, feed: "html")?.lowercased().contains("not a feed") == true)
        #expect(reason(sandbox, feed: "garbage") != nil)
        #expect(reason(sandbox, feed: "slow")?.lowercased().contains("time") == true)
        #expect(reason(sandbox, feed: "loop")?.lowercased().contains("redirect") == true)
        #expect(reason(sandbox, feed: "unreachable") != nil)
        #expect(reason(sandbox, feed: "truncated")?.contains("truncated") == true)
        #expect(reason(sandbox, feed: "huge")?.contains("64 KiB") == true, "\(reason(sandbox, feed: "huge") ?? "")")
        #expect(reason(sandbox, feed: "bomb")?.contains("64 KiB after decoding") == true, "\(reason(sandbox, feed: "bomb") ?? "")")
        #expect(reason(sandbox, feed: "binary") != nil)
        #expect(daemon.log.contains("feed poll failed"))
        #expect(daemon.isRunning)

        // The 404 feed is fixed: it recovers on a later (backed-off) poll.
        server.route("/missing.xml", TestResponse(status: 200, contentType: "application/rss+xml", text: goodFeed(server, seed: "found")))
        sandbox.waitUntil("feed.recovered", timeout: 30) {
            sandbox.events(ofType: "herald.feed.recovered").contains { ($0["data"] as? [String: Any])?["feed_id"] as? String == "missing" }
        }
        // Backoff: the still-broken 500 feed is polled less often than every second.
        let errorPolls = server.requests(for: "/error.xml").count
        let stop = daemon.terminate()
        #expect(stop.status == 0)
        #expect(stop.seconds < 5)
        #expect(errorPolls < 8, "a failing feed backs off (\(errorPolls) polls)")
        #expect(sandbox.events().allSatisfy { $0["seq"] is Int })
        let state = try #require(sandbox.schedule("error"))
        #expect((state["consecutive_errors"] as? Int ?? 0) >= 1)
        #expect(state["failing"] as? Bool == true)
        #expect(state["reason_code"] as? String == "http_500")
    }

    @Test func unreachablePageKeepsTheFeedText() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        server.page("/gone", "missing", status: 404)
        server.feed(
            "/f.xml",
            """
            <?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>F</title>
            <item><title>Gone page</title><link>\(server.baseURL)/gone</link><guid>gone-1</guid>
            <description>Short summary.</description>
            <content:encoded><![CDATA[<p>The full text the feed carried, kept when the page is gone.</p>]]></content:encoded></item>
            <item><title>Script link</title><link>javascript:alert(1)</link><guid>js-1</guid><description>Only a summary here.</description></item>
            <item><title>Private link</title><link>http://10.1.2.3/private</link><guid>p-1</guid><description>Private summary.</description></item>
            </channel></rss>
            """)
        let sandbox = try Sandbox()
        try sandbox.writeConfig(feeds: [("f", "\(server.baseURL)/f.xml")])
        let result = try sandbox.run(["reingest", "--config", sandbox.configPath, "--all"])
        #expect(result.status == 0, "\(result.stderr)")
        let created = sandbox.events(ofType: "herald.article.created")
        #expect(created.count == 3)
        for event in created {
            let data = try #require(event["data"] as? [String: Any])
            #expect(data["source"] as? String == "feed")
            let record = try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: sandbox.stateDirectory + "/" + (data["path"] as! String)))) as? [String: Any])
            let extraction = try #require(record["extraction"] as? [String: Any])
            #expect(extraction["reason"] as? String != nil)
            if data["title"] as? String == "Gone page" {
                #expect(record["text"] as? String == "The full text the feed carried, kept when the page is gone.")
                #expect((extraction["reason"] as? String)?.contains("404") == true)
            }
        }
        // Neither the javascript: nor the private-address link was fetched (10.1.2.3 is another host).
        #expect(result.stderr.contains("never fetched") || result.stderr.contains("javascript"))
    }

    @Test func notifyProtocolReloadAndShutdown() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        server.feed("/one.xml", goodFeed(server, seed: "one"))
        server.feed("/two.xml", goodFeed(server, seed: "two"))
        let sandbox = try Sandbox()
        try sandbox.writeConfig(feeds: [("one", "\(server.baseURL)/one.xml")])
        let listener = try NotifyListener(path: sandbox.directory + "/notify.sock")
        let daemon = try DaemonProcess(
            sandbox: sandbox, environment: ["NOTIFY_SOCKET": listener.path, "WATCHDOG_USEC": "400000"])
        sandbox.waitUntil("READY=1") { listener.messages().contains { $0.contains("READY=1") } }
        sandbox.waitUntil("WATCHDOG=1") { listener.messages().contains { $0.contains("WATCHDOG=1") } }
        #expect(listener.messages().contains { $0.contains("STATUS=") })
        sandbox.waitUntil("feed one") { sandbox.events(ofType: "herald.article.created").count == 1 }

        // A bad configuration is rejected and the old one kept.
        let good = try String(contentsOfFile: sandbox.configPath, encoding: .utf8)
        try "feeds: [ {id: BAD ID, url: ftp://x} ]\ninterval: soon\n".write(toFile: sandbox.configPath, atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        sandbox.waitUntil("RELOADING=1") { listener.messages().contains { $0.contains("RELOADING=1") } }
        sandbox.waitUntil("the rejection log line") { daemon.log.contains("configuration rejected") }
        #expect(daemon.isRunning)

        // A good one adds feed two.
        try (good + "  - id: two\n    url: \(server.baseURL)/two.xml\n").write(toFile: sandbox.configPath, atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        sandbox.waitUntil("feed two after reload") { sandbox.events(ofType: "herald.article.created").count == 2 }
        #expect(daemon.log.contains("configuration reloaded"))
        let readyCount = listener.messages().filter { $0.contains("READY=1") }.count
        #expect(readyCount >= 3, "READY=1 at start and after each reload")

        let stop = daemon.terminate()
        #expect(stop.status == 0)
        #expect(stop.seconds < 5)
        sandbox.waitUntil("STOPPING=1", timeout: 2) { listener.messages().contains { $0.contains("STOPPING=1") } }
        #expect(!FileManager.default.fileExists(atPath: sandbox.stateDirectory + "/control.sock"))
    }

    @Test func sigtermDuringASlowFetchExitsPromptly() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        var slow = TestResponse(status: 200, contentType: "application/rss+xml", text: goodFeed(server))
        slow.delay = .seconds(20)
        server.route("/slow.xml", slow)
        let sandbox = try Sandbox()
        try sandbox.writeConfig(feeds: [("slow", "\(server.baseURL)/slow.xml")], extra: "")
        // The default total timeout in the test config is 2 s; make it long so the fetch is in flight at SIGTERM.
        try String(contentsOfFile: sandbox.configPath, encoding: .utf8).replacingOccurrences(of: "total_timeout: 2s", with: "total_timeout: 60s")
            .write(toFile: sandbox.configPath, atomically: true, encoding: .utf8)
        let daemon = try DaemonProcess(sandbox: sandbox)
        sandbox.waitUntil("the slow request") { !server.requests(for: "/slow.xml").isEmpty }
        let stop = daemon.terminate()
        #expect(stop.status == 0, "\(daemon.log)")
        #expect(stop.seconds < 5)
        #expect(sandbox.events(ofType: "herald.feed.failed").isEmpty, "an abandoned poll is not a failure")
    }

    @Test func retentionKeepsStartVerifyAndStatusWorking() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        server.feed("/one.xml", goodFeed(server, seed: "one"))
        let sandbox = try Sandbox()
        try sandbox.writeConfig(
            feeds: [("one", "\(server.baseURL)/one.xml")],
            extra: "log:\n  segment_max_bytes: 2KiB\n  retain_segments: 2")
        for _ in 0..<6 {
            #expect(try sandbox.run(["reingest", "--config", sandbox.configPath, "--all"]).status == 0)
        }
        let segments = try FileManager.default.contentsOfDirectory(atPath: sandbox.stateDirectory + "/changes")
            .filter { $0.hasSuffix(".ndjson") }
        #expect(segments.count <= 3, "old segments are deleted (\(segments))")
        #expect(!segments.contains("00000000000000000001.ndjson"))
        let daemon = try DaemonProcess(sandbox: sandbox)
        sandbox.waitUntil("the daemon to start on a retained log") { daemon.holdsLock(sandbox) }
        usleep(300_000)
        #expect(daemon.terminate().status == 0, "\(daemon.log)")
        let verify = try sandbox.run(["verify", "--state-dir", sandbox.stateDirectory])
        #expect(verify.status == 0, "\(verify.stdout)")
        let status = try sandbox.run(["status", "--state-dir", sandbox.stateDirectory, "--json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        #expect(json["last_seq"] as? Int == (sandbox.events().last?["seq"] as? Int))
        // A cursor older than the retained log is refused with its own exit status.
        let old = try sandbox.run(["tail", "--state-dir", sandbox.stateDirectory, "--since", "0"])
        #expect(old.status == 0 || old.status == 4)
        try #"{"epoch":"\#(sandbox.events().last?["epoch"] as? String ?? "")","seq":1}"#
            .write(toFile: sandbox.directory + "/old.cursor", atomically: true, encoding: .utf8)
        let expired = try sandbox.run(["tail", "--state-dir", sandbox.stateDirectory, "--cursor", sandbox.directory + "/old.cursor"])
        #expect(expired.status == 4, "\(expired.stderr)")
        try #"{"epoch":"another-epoch","seq":\#(sandbox.events().last?["seq"] as? Int ?? 0)}"#.write(toFile: sandbox.directory + "/other.cursor", atomically: true, encoding: .utf8)
        let otherEpoch = try sandbox.run(["tail", "--state-dir", sandbox.stateDirectory, "--cursor", sandbox.directory + "/other.cursor"])
        #expect(otherEpoch.status == 3, "\(otherEpoch.stderr)")
    }

    @Test func checkConfigListsEveryProblemWithItsLine() throws {
        let sandbox = try Sandbox()
        try """
            state_dir: state
            interval: 15 minutes
            limits:
              max_body_bytes: lots
              max_redirects: 99
            feeds:
              - id: ok
                url: https://example.org/feed.xml
              - id: ok
                url: https://example.org/other.xml
              - id: Bad Id
                url: ftp://example.org/x
              - url: https://example.org/no-id
            colour: blue

            """.write(toFile: sandbox.configPath, atomically: true, encoding: .utf8)
        let result = try sandbox.run(["check-config", "--config", sandbox.configPath])
        #expect(result.status == 78)
        for expected in [
            "line 2: interval", "line 4: limits.max_body_bytes", "line 5: limits.max_redirects", "line 9: feeds[1].id",
            "line 11: feeds[2].id", "line 12: feeds[2].url", "line 13: feeds[3].id", "line 14: colour",
        ] {
            #expect(result.stdout.contains(expected), "missing \"\(expected)\" in:\n\(result.stdout)")
        }
        let shipped = try sandbox.run(["check-config", "--config", HeraldBinary.repositoryRoot + "/config/herald.yaml"])
        #expect(shipped.status == 0, "\(shipped.stdout)")
        let run = try sandbox.run(["run", "--config", sandbox.configPath])
        #expect(run.status == 78)
    }

    @Test func tailFollowPrintsNewEventsOnce() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        server.feed("/one.xml", goodFeed(server, seed: "one"))
        let sandbox = try Sandbox()
        try sandbox.writeConfig(feeds: [("one", "\(server.baseURL)/one.xml")])
        #expect(try sandbox.run(["reingest", "--config", sandbox.configPath, "--all"]).status == 0)
        let before = sandbox.events().count

        let follower = Process()
        follower.executableURL = URL(fileURLWithPath: HeraldBinary.path)
        follower.arguments = ["tail", "--state-dir", sandbox.stateDirectory, "--since", "1", "--follow"]
        let outPath = sandbox.directory + "/follow.out"
        FileManager.default.createFile(atPath: outPath, contents: nil)
        follower.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        try follower.run()
        defer { if follower.isRunning { follower.terminate(); follower.waitUntilExit() } }
        func seqs() -> [Int] {
            ((try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "").split(separator: "\n").compactMap {
                (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["seq"] as? Int
            }
        }
        sandbox.waitUntil("existing events") { seqs().count == before - 1 }
        #expect(try sandbox.run(["reingest", "--config", sandbox.configPath, "--all"]).status == 0)
        let after = sandbox.events().count
        #expect(after > before)
        sandbox.waitUntil("new events") { seqs().count == after - 1 }
        #expect(seqs() == Array(2...after))
    }

    @Test func shippedSystemdUnitVerifiesCleanly() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze") else {
            print("skipping: systemd-analyze not installed")
            return
        }
        let sandbox = try Sandbox()
        let unit = try String(contentsOfFile: HeraldBinary.repositoryRoot + "/systemd/herald.service", encoding: .utf8)
        #expect(unit.contains("Type=notify"))
        #expect(unit.contains("WatchdogSec="))
        #expect(unit.contains("StateDirectory=herald"))
        // Point ExecStart at the binary under test so verify can check it exists.
        let patched = unit.replacingOccurrences(of: "/usr/local/bin/herald", with: HeraldBinary.path)
        let unitPath = sandbox.directory + "/herald.service"
        try patched.write(toFile: unitPath, atomically: true, encoding: .utf8)
        let verify = try shell("/usr/bin/systemd-analyze", ["verify", unitPath])
        #expect(verify.output.isEmpty, "systemd-analyze verify printed:\n\(verify.output)")
        let security = try shell("/usr/bin/systemd-analyze", ["security", "--offline=true", unitPath])
        let line = security.output.split(separator: "\n").last { $0.contains("Overall exposure level") }
        let exposure = line.flatMap { l in l.split(separator: " ").compactMap { Double($0) }.first }
        #expect(exposure != nil && exposure! <= 2.0, "\(line ?? "no exposure line")")
    }

    func shell(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// A unix datagram socket standing in for systemd's NOTIFY_SOCKET.
final class NotifyListener: @unchecked Sendable {
    let path: String
    private let fd: Int32
    private var received: [String] = []

    init(path: String) throws {
        self.path = path
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, b) in path.utf8.enumerated() { raw[i] = b }
        }
        let ok = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard ok == 0 else { throw POSIXError(.EADDRINUSE) }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }

    deinit {
        close(fd)
        unlink(path)
    }

    /// Every message received so far.
    func messages() -> [String] {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            received.append(String(decoding: buffer[0..<n], as: UTF8.self))
        }
        return received
    }
}
