import Foundation
import HeraldTestServer
import Testing

/// Locates the `herald` binary under test: $HERALD_BINARY (set by `make test` to the release build), else the
/// package's debug or release build.
enum HeraldBinary {
    static let path: String = {
        if let env = ProcessInfo.processInfo.environment["HERALD_BINARY"], !env.isEmpty { return env }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path
        for candidate in [root + "/.build/debug/herald", root + "/.build/release/herald"]
        where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        return root + "/.build/debug/herald"
    }()

    /// The repository root (for the shipped config and unit files).
    static let repositoryRoot: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
}

/// The result of a finished `herald` command.
struct CommandResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// A temporary directory with a configuration and a state directory.
final class Sandbox: @unchecked Sendable {
    let directory: String
    var stateDirectory: String { directory + "/state" }
    var configPath: String { directory + "/herald.yaml" }
    var logPath: String { stateDirectory + "/changes.ndjson" }

    init() throws {
        let base = "/tmp/herald-it-" + UUID().uuidString.prefix(8).lowercased()
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        directory = base
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Writes a configuration polling `feeds` (id, url) every `interval` (the adaptive interval held there).
    /// `limits` replaces the default extra limits (no delay between a host's page requests).
    func writeConfig(
        feeds: [(String, String)], interval: String = "1h", extra: String = "", limits: String = "  per_host_delay: 0s"
    ) throws {
        var text = """
            state_dir: state
            contact: mailto:tests@example.org
            interval: \(interval)
            min_interval: \(interval)
            max_interval: \(interval)
            first_poll_spread: 0s
            jitter: 0
            log_level: info
            limits:
              total_timeout: 2s
              connect_timeout: 1s
            \(limits)
            \(extra)
            feeds:

            """
        for (id, url) in feeds {
            text += "  - id: \(id)\n    url: \(url)\n"
        }
        try text.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    /// Runs `herald ARGS` to completion.
    func run(_ arguments: [String], environment: [String: String] = [:], timeout: Double = 60) throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: HeraldBinary.path)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "NOTIFY_SOCKET")
        env.removeValue(forKey: "STATE_DIRECTORY")
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = directory + "/out-\(UUID().uuidString.prefix(6))"
        let err = out + ".err"
        FileManager.default.createFile(atPath: out, contents: nil)
        FileManager.default.createFile(atPath: err, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            Issue.record("herald \(arguments.joined(separator: " ")) did not finish within \(timeout) s")
        }
        process.waitUntilExit()
        return CommandResult(
            status: process.terminationStatus,
            stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }

    /// Every change-log line parsed as a JSON object (unparseable lines skipped).
    func events() -> [[String: Any]] {
        guard let text = try? String(contentsOfFile: logPath, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
    }

    /// A feed's schedule record (the newest in `schedule-snapshot.ndjson` and `schedule.ndjson`).
    func schedule(_ id: String) -> [String: Any]? {
        var best: [String: Any]? = nil
        for name in ["schedule-snapshot.ndjson", "schedule.ndjson"] {
            guard let text = try? String(contentsOfFile: stateDirectory + "/" + name, encoding: .utf8) else { continue }
            for line in text.split(separator: "\n") {
                guard let record = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any],
                    record["id"] as? String == id
                else { continue }
                if (record["revision"] as? Int ?? 0) >= (best?["revision"] as? Int ?? -1) { best = record }
            }
        }
        return best
    }

    func events(ofType type: String) -> [[String: Any]] {
        events().filter { $0["type"] as? String == type }
    }

    /// Waits until `condition` holds, polling every 50 ms; records an issue on timeout.
    @discardableResult
    func waitUntil(_ what: String, timeout: Double = 20, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            usleep(50_000)
        }
        Issue.record("timed out waiting for \(what)")
        return false
    }
}

/// A `herald run` process.
final class DaemonProcess: @unchecked Sendable {
    let process = Process()
    let stderrPath: String

    init(sandbox: Sandbox, arguments: [String] = [], environment: [String: String] = [:]) throws {
        process.executableURL = URL(fileURLWithPath: HeraldBinary.path)
        process.arguments = ["run", "--config", sandbox.configPath] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: sandbox.directory)
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "NOTIFY_SOCKET")
        env.removeValue(forKey: "WATCHDOG_USEC")
        env.removeValue(forKey: "STATE_DIRECTORY")
        for (k, v) in environment { env[k] = v }
        process.environment = env
        stderrPath = sandbox.directory + "/daemon-\(UUID().uuidString.prefix(6)).log"
        FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        process.standardOutput = FileHandle.nullDevice
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }
    var log: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    func signal(_ sig: Int32) { kill(process.processIdentifier, sig) }

    /// Whether this daemon has taken the state lock (by then it handles SIGTERM gracefully).
    func holdsLock(_ sandbox: Sandbox) -> Bool {
        let text = (try? String(contentsOfFile: sandbox.stateDirectory + "/herald.lock", encoding: .utf8)) ?? ""
        return text.hasPrefix("\(pid)\n")
    }

    /// Sends SIGTERM and waits; returns the exit status and how long the exit took.
    func terminate(timeout: Double = 10) -> (status: Int32, seconds: Double) {
        let start = Date()
        signal(SIGTERM)
        while process.isRunning && Date().timeIntervalSince(start) < timeout { usleep(10_000) }
        if process.isRunning {
            signal(SIGKILL)
            process.waitUntilExit()
            return (-1, timeout)
        }
        process.waitUntilExit()
        return (process.terminationStatus, Date().timeIntervalSince(start))
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

/// Pages and feeds written for the tests.
enum Fixtures {
    static func article(title: String, paragraphs: [String]) -> String {
        """
        <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>\(title) | Test Gazette</title>
        <meta property="og:site_name" content="Test Gazette"></head><body>
        <nav class="menu"><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
        <article><h1>\(title)</h1>
        \(paragraphs.map { "<p>\($0)</p>" }.joined(separator: "\n"))
        </article>
        <footer class="site-footer">© Test Gazette. All rights reserved.</footer></body></html>
        """
    }

    /// Paragraphs of made-up prose, different for every seed (so that different seeds never look like
    /// near-duplicates of each other), the same for the same seed.
    static func paragraphs(_ seed: String, count: Int = 4) -> [String] {
        var state: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in seed.utf8 { state = (state ^ UInt64(byte)) &* 0x100_0000_01b3 }
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33)
        }
        return (1...count).map { i in
            let words = (0..<36).map { _ in vocabulary[next() % vocabulary.count] }
            return "In the \(seed) report, part \(i): " + words.joined(separator: " ") + "."
        }
    }

    static let vocabulary = """
        harbour council ferry budget library engineers cable wind farm fishermen quota storm river bridge tram \
        station museum school hospital nurses teachers union strike wages market bakery harvest grain rail freight \
        airport runway tourists hotel festival choir orchestra theatre mayor minister governor election ballot \
        court judge verdict appeal police patrol fire brigade flood drought reservoir pipeline solar panel battery \
        factory workers contract tender deadline delay repair inspection report audit survey census village island \
        coast mountain valley forest road tunnel bus cyclists parking permit licence fee tax refund grant loan bank \
        interest inflation prices rent housing tenants landlord mortgage pension retirement clinic vaccine doctor \
        patients ambulance shelter volunteers charity donation auction painting sculpture gallery archive letters \
        diary photographs exhibition lecture students exam results scholarship research laboratory telescope \
        satellite launch rocket weather forecast snow ice frost heatwave wildfire smoke alarm siren evacuation
        """.split(separator: " ").map(String.init)

    /// An RSS 2.0 feed whose items link to `links` (absolute), titled after them.
    static func rss(title: String, items: [(guid: String, link: String, title: String, date: String)]) -> String {
        var s = """
            <?xml version="1.0" encoding="utf-8"?>
            <rss version="2.0"><channel><title>\(title)</title><link>http://example.org/</link>
            <description>test feed</description>

            """
        for item in items {
            s += """
                <item><title>\(item.title)</title><link>\(item.link)</link><guid>\(item.guid)</guid>
                <pubDate>\(item.date)</pubDate><description>Summary of \(item.title)</description></item>

                """
        }
        return s + "</channel></rss>\n"
    }
}

extension TestHTTPServer {
    func page(_ path: String, _ html: String, status: Int = 200) {
        route(path, TestResponse(status: status, contentType: "text/html; charset=utf-8", text: html))
    }

    func feed(_ path: String, _ xml: String) {
        route(path, TestResponse(status: 200, contentType: "application/rss+xml", text: xml))
    }
}
