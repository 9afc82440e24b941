import Foundation
import HeraldTestServer
import Testing

/// kill -9 the daemon again and again while a feed server keeps producing articles; after every crash, recover and
/// verify that log and state agree; a `herald tail --cursor` client running through all of it must print every seq
/// exactly once. `HERALD_CRASH_KILLS` sets the number of kills (30 by default, as in CI; `bench/crash/run` does 300).
@Suite(.serialized) struct CrashTests {
    static var kills: Int {
        Int(ProcessInfo.processInfo.environment["HERALD_CRASH_KILLS"] ?? "") ?? 30
    }

    /// A server whose three feeds grow by a few articles a second; some pages repeat another's text (duplicates)
    /// and some change over time (updates).
    static func producingServer() throws -> TestHTTPServer {
        let server = try TestHTTPServer()
        let start = Date()
        let base = server.baseURL
        for feed in 0..<3 {
            server.route("/feed\(feed).xml") { _ in
                let produced = Int(Date().timeIntervalSince(start) * 6) + 3
                let items = (max(0, produced - 40)..<produced).filter { $0 % 3 == feed }.map { i -> String in
                    let generation = i % 11 == 0 ? Int(Date().timeIntervalSince(start) / 4) : 0
                    let date = Date(timeIntervalSince1970: 1_700_000_000 + Double(i * 60 + generation))
                    return """
                        <item><title>Story \(i)</title><link>\(base)/a/\(i)</link><guid>s-\(i)</guid>
                        <pubDate>\(rfc822(date))</pubDate></item>
                        """
                }
                let xml = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Feed \(feed)</title>"
                    + items.joined() + "</channel></rss>"
                return TestResponse(status: 200, contentType: "application/rss+xml", text: xml)
            }
        }
        server.route("/a/", handler: { request in
            let i = Int(request.path.split(separator: "/").last ?? "") ?? 0
            // Every 7th story is a copy of the one before it (a duplicate); every 11th changes every 4 seconds.
            let textID = i % 7 == 0 && i > 0 ? i - 1 : i
            let generation = i % 11 == 0 ? Int(Date().timeIntervalSince(start) / 4) : 0
            let paragraphs = Fixtures.paragraphs("story \(textID) revision \(generation)")
            return TestResponse(
                status: 200, contentType: "text/html; charset=utf-8",
                text: Fixtures.article(title: "Story \(textID)", paragraphs: paragraphs))
        })
        return server
    }

    static func rfc822(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }

    /// A `herald tail --cursor FILE --follow` process appending to one output file across its restarts.
    final class TailClient {
        let sandbox: Sandbox
        let outputPath: String
        let cursorPath: String
        var process: Process?

        init(sandbox: Sandbox) {
            self.sandbox = sandbox
            outputPath = sandbox.directory + "/tail.out"
            cursorPath = sandbox.directory + "/tail.cursor"
            FileManager.default.createFile(atPath: outputPath, contents: nil)
        }

        func start() throws {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: HeraldBinary.path)
            p.arguments = ["tail", "--state-dir", sandbox.stateDirectory, "--cursor", cursorPath, "--follow"]
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
            handle.seekToEndOfFile()
            p.standardOutput = handle
            p.standardError = FileHandle.nullDevice
            try p.run()
            process = p
        }

        func stop() {
            guard let p = process else { return }
            p.terminate()
            p.waitUntilExit()
            process = nil
        }

        func seqs() -> [Int] {
            ((try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "").split(separator: "\n").compactMap {
                (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["seq"] as? Int
            }
        }
    }

    func verify(_ sandbox: Sandbox, after what: String) throws -> [String: Any] {
        let result = try sandbox.run(["verify", "--state-dir", sandbox.stateDirectory], timeout: 60)
        let report = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any] ?? [:]
        #expect(result.status == 0, "verify after \(what): \(result.stdout)\(result.stderr)")
        return report
    }

    @Test func killNineLoopKeepsLogAndStateInAgreement() throws {
        let server = try Self.producingServer()
        defer { server.stop() }
        let sandbox = try Sandbox()
        try sandbox.writeConfig(
            feeds: (0..<3).map { ("feed\($0)", "\(server.baseURL)/feed\($0).xml") }, interval: "1s",
            extra: "log:\n  commit_delay: 1ms\n  segment_max_bytes: 64KiB")
        let tail = TailClient(sandbox: sandbox)
        var generator = SystemRandomNumberGenerator()
        var lastSeq = 0
        for round in 1...Self.kills {
            let daemon = try DaemonProcess(sandbox: sandbox)
            if round == 1 { try tail.start() }
            usleep(UInt32.random(in: 150_000...900_000, using: &generator))
            daemon.signal(SIGKILL)
            daemon.process.waitUntilExit()
            let report = try verify(sandbox, after: "kill \(round)")
            let seq = report["last_seq"] as? Int ?? 0
            #expect(seq >= lastSeq, "the log never shrinks")
            lastSeq = seq
            if round % 10 == 0 {
                tail.stop()
                try tail.start()
            }
        }
        // A last clean run, then the client must have printed every seq exactly once.
        let daemon = try DaemonProcess(sandbox: sandbox)
        usleep(1_000_000)
        #expect(daemon.terminate().status == 0)
        let report = try verify(sandbox, after: "the final clean stop")
        let finalSeq = report["last_seq"] as? Int ?? 0
        #expect(finalSeq > Self.kills, "the daemon made progress between kills (\(finalSeq) events)")
        #expect(sandbox.events(ofType: "herald.article.created").count > 10)
        #expect(!sandbox.events(ofType: "herald.article.duplicate").isEmpty)
        sandbox.waitUntil("the tail client to catch up", timeout: 20) { tail.seqs().last == finalSeq }
        tail.stop()
        let seen = tail.seqs()
        print(
            "crash test: \(Self.kills) kills, \(finalSeq) events, "
                + "\(sandbox.events(ofType: "herald.article.created").count) created, "
                + "\(sandbox.events(ofType: "herald.article.updated").count) updated, "
                + "\(sandbox.events(ofType: "herald.article.duplicate").count) duplicates, "
                + "\(sandbox.events(ofType: "herald.log.recovered").count) torn tails sealed, "
                + "\(try FileManager.default.contentsOfDirectory(atPath: sandbox.stateDirectory + "/changes").filter { $0.hasSuffix(".ndjson") }.count) segments; "
                + "tail client printed \(seen.count) lines, \(Set(seen).count) distinct")
        #expect(seen == Array(1...finalSeq), "every seq exactly once, in order (\(seen.count) lines for \(finalSeq) events)")
    }
}
