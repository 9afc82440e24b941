import Foundation
import HeraldStore
import Logging

/// The change-log benchmark: group-commit and per-event-fsync append throughput, append→reader latency with a
/// real follower process (`herald tail --follow`), and the time to open a log of a million events.
///
/// Usage: `HeraldLogBench [--work DIR] [--herald PATH] [--quick]`
@main
struct HeraldLogBench {
    struct Settings {
        var work = FileManager.default.temporaryDirectory.path + "/herald-logbench"
        var herald = ".build/release/herald"
        var appenders = 1000
        var groupEvents = 200_000
        var syncSeconds = 2.0
        var latencySeconds = 5.0
        var latencyRate = 2000
        var millionEvents = 1_000_000
    }

    static func main() async throws {
        var settings = Settings()
        var arguments = CommandLine.arguments.dropFirst()
        var tortureRounds: Int?
        while let argument = arguments.popFirst() {
            switch argument {
            case "--append-child":
                try appendForever(stateDirectory: arguments.popFirst() ?? "")
            case "--kill-test":
                tortureRounds = Int(arguments.popFirst() ?? "") ?? 100
            case "--work": settings.work = arguments.popFirst() ?? settings.work
            case "--herald": settings.herald = arguments.popFirst() ?? settings.herald
            case "--quick":
                settings.groupEvents = 50_000
                settings.syncSeconds = 1
                settings.latencySeconds = 2
                settings.millionEvents = 100_000
            default:
                FileHandle.standardError.write(
                    Data("usage: HeraldLogBench [--work DIR] [--herald PATH] [--quick] | [--work DIR] --kill-test ROUNDS\n".utf8))
                exit(64)
            }
        }
        try FileManager.default.createDirectory(atPath: settings.work, withIntermediateDirectories: true)
        let logger = Logger(label: "herald.logbench") { _ in SwiftLogNoOpLogHandler() }
        if let tortureRounds {
            exit(try KillTest.run(rounds: tortureRounds, work: settings.work, logger: logger) ? 0 : 1)
        }
        print("herald change-log benchmark (work directory \(settings.work))")

        let group = try await groupCommit(settings, logger: logger)
        let perEvent = try perEventSync(settings, logger: logger)
        let latency = try await appendToReaderLatency(settings, logger: logger)
        let opening = try openLarge(settings, logger: logger)
        try tailFollowCheck(settings, logger: logger)

        print("")
        print("summary")
        report("append, group commit", String(format: "%.0f events/s", group), target: ">= 50000", ok: group >= 50_000)
        report("append, fdatasync per event", String(format: "%.0f events/s", perEvent), target: nil, ok: true)
        report(
            "append -> reader output latency",
            String(format: "p50 %.1f ms, p99 %.1f ms", latency.p50, latency.p99), target: "p99 < 50 ms",
            ok: latency.p99 < 50)
        report(
            "open with \(settings.millionEvents) events", String(format: "%.3f s", opening), target: "< 3 s",
            ok: opening < 3)
    }

    static func report(_ name: String, _ value: String, target: String?, ok: Bool) {
        let padded = name.padding(toLength: 36, withPad: " ", startingAt: 0)
        let verdict = target.map { "  (target \($0): \(ok ? "met" : "MISSED"))" } ?? ""
        print("  \(padded) \(value)\(verdict)")
    }

    // MARK: - Events

    static func articleEvent(_ n: Int) -> PendingEvent {
        let hash = String(repeating: String(format: "%08x", n &* 2_654_435_761 & 0xffff_ffff), count: 8)
        return PendingEvent(
            type: "herald.article.created", subject: "articles/a\(String(format: "%016x", n))",
            data: [
                "article_id": .string("a\(String(format: "%016x", n))"), "feed_id": "bench",
                "entry_key": .string("https://news.example.com/2026/11/22/story-\(n)"),
                "url": .string("https://news.example.com/2026/11/22/story-\(n)"),
                "title": .string("Benchmark story number \(n) about nothing in particular"),
                "content_hash": .string(hash), "path": .string("articles/\(hash.prefix(2))/\(hash).json"),
                "source": "page",
            ])
    }

    static func freshDirectory(_ settings: Settings, _ name: String) throws -> String {
        let path = settings.work + "/" + name
        try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    // MARK: - Throughput

    static func groupCommit(_ settings: Settings, logger: Logger) async throws -> Double {
        let dir = try freshDirectory(settings, "group")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try ChangeLog.open(stateDirectory: dir, logger: logger)
        let perAppender = settings.groupEvents / settings.appenders
        let events = (0..<perAppender * settings.appenders).map(articleEvent)
        let start = now()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for appender in 0..<settings.appenders {
                group.addTask {
                    for k in 0..<perAppender {
                        _ = try await log.append([events[appender * perAppender + k]])
                    }
                }
            }
            try await group.waitForAll()
        }
        let elapsed = now() - start
        let stats = log.statistics
        try log.close()
        let rate = Double(stats.events) / elapsed
        print(
            String(
                format: "group commit: %d appenders x %d events (1 per call, each awaited): %.2f s, %.0f events/s, "
                    + "%llu fdatasyncs, %.1f events per batch", settings.appenders, perAppender, elapsed, rate,
                stats.syncs, Double(stats.events) / Double(max(stats.batches, 1))))
        return rate
    }

    static func perEventSync(_ settings: Settings, logger: Logger) throws -> Double {
        let dir = try freshDirectory(settings, "single")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var options = ChangeLogOptions()
        options.commitDelay = .zero
        let log = try ChangeLog.open(stateDirectory: dir, options: options, logger: logger)
        let start = now()
        var n = 0
        while now() - start < settings.syncSeconds {
            _ = try log.appendAndWait([articleEvent(n)])
            n += 1
        }
        let elapsed = now() - start
        let stats = log.statistics
        try log.close()
        let rate = Double(n) / elapsed
        print(
            String(
                format: "fdatasync per event: 1 appender, %d events in %.2f s: %.0f events/s, %llu fdatasyncs", n,
                elapsed, rate, stats.syncs))
        return rate
    }

    // MARK: - Latency

    /// Receive times by seq, filled by the follower thread.
    final class Arrivals: @unchecked Sendable {
        private let lock = NSLock()
        private var times: [UInt64: Double] = [:]
        func record(_ seq: UInt64, _ time: Double) { lock.withLock { times[seq] = time } }
        func time(of seq: UInt64) -> Double? { lock.withLock { times[seq] } }
        var count: Int { lock.withLock { times.count } }
    }

    static func appendToReaderLatency(
        _ settings: Settings, logger: Logger
    ) async throws -> (p50: Double, p99: Double, follower: String) {
        let dir = try freshDirectory(settings, "latency")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try ChangeLog.open(stateDirectory: dir, logger: logger)
        _ = try log.appendAndWait([articleEvent(0)])
        let arrivals = Arrivals()
        var process: Process?
        let stopFollower = StopSignal()
        let follower: String
        if FileManager.default.isExecutableFile(atPath: settings.herald) {
            follower = "`herald tail --follow` process"
            let tail = Process()
            tail.executableURL = URL(fileURLWithPath: settings.herald)
            tail.arguments = ["tail", "--state-dir", dir, "--follow", "--since", "0"]
            let pipe = Pipe()
            tail.standardOutput = pipe
            try tail.run()
            process = tail
            let handle = pipe.fileHandleForReading
            Thread.detachNewThread {
                var pending: [UInt8] = []
                while true {
                    let data = handle.availableData
                    if data.isEmpty { return }
                    let received = now()
                    pending.append(contentsOf: data)
                    var start = 0
                    while let newline = pending[start...].firstIndex(of: 0x0A) {
                        if let seq = seqOf(pending[start..<newline]) { arrivals.record(seq, received) }
                        start = newline + 1
                    }
                    pending.removeFirst(start)
                }
            }
        } else {
            follower = "ChangeLogTailer thread (no \(settings.herald))"
            Thread.detachNewThread {
                guard let tailer = try? ChangeLogTailer(stateDirectory: dir, after: 0) else { return }
                while !stopFollower.isSet {
                    guard let batch = try? tailer.readAvailable() else { return }
                    let received = now()
                    for event in batch { arrivals.record(event.seq, received) }
                    if batch.isEmpty { tailer.waitForChanges(timeout: .milliseconds(50)) }
                }
            }
        }
        // Wait for the follower to show the first event: it is running.
        let readyBy = now() + 10
        while arrivals.time(of: 1) == nil && now() < readyBy { try await Task.sleep(for: .milliseconds(5)) }

        // Append at a steady rate, in small calls, without waiting for durability between them.
        var sent: [(seq: UInt64, time: Double)] = []
        let total = Int(Double(settings.latencyRate) * settings.latencySeconds)
        let interval = 1.0 / Double(settings.latencyRate)
        let start = now()
        for n in 0..<total {
            let due = start + Double(n) * interval
            let wait = due - now()
            if wait > 0.0002 { usleep(UInt32(wait * 1e6)) }
            let time = now()
            let seq = try log.enqueue([articleEvent(n + 1)])[0].seq
            sent.append((seq, time))
        }
        try await log.waitDurable(through: sent.last!.seq)
        let deadline = now() + 10
        while arrivals.count < sent.count + 1 && now() < deadline { try await Task.sleep(for: .milliseconds(10)) }
        stopFollower.set()
        if let process {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try log.close()

        var latencies = sent.compactMap { entry in arrivals.time(of: entry.seq).map { ($0 - entry.time) * 1000 } }
        let missing = sent.count - latencies.count
        latencies.sort()
        func percentile(_ p: Double) -> Double {
            latencies.isEmpty ? .infinity : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]
        }
        print(
            String(
                format: "latency (%@): %d events at %d/s, p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms, "
                    + "%d not received", follower, sent.count, settings.latencyRate, percentile(0.5),
                percentile(0.9), percentile(0.99), latencies.last ?? .infinity, missing))
        return (percentile(0.5), missing > 0 ? .infinity : percentile(0.99), follower)
    }

    final class StopSignal: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        func set() { lock.withLock { value = true } }
        var isSet: Bool { lock.withLock { value } }
    }

    /// The top-level seq of a Herald line (keys sorted: `"seq":` follows `"id":…`).
    static func seqOf(_ line: ArraySlice<UInt8>) -> UInt64? {
        let key = Array(#","seq":"#.utf8)
        var i = line.startIndex
        while i + key.count < line.endIndex {
            if line[i] == key[0], line[i..<(i + key.count)].elementsEqual(key) {
                var value: UInt64 = 0
                var j = i + key.count
                while j < line.endIndex, line[j] >= 0x30, line[j] <= 0x39 {
                    value = value * 10 + UInt64(line[j] - 0x30)
                    j += 1
                }
                return value
            }
            i += 1
        }
        return nil
    }

    // MARK: - GNU tail -F across rotations

    /// What `tail -F changes.ndjson` sees while the log rotates quickly: missing and duplicated seqs.
    static func tailFollowCheck(_ settings: Settings, logger: Logger) throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/tail") else { return }
        let dir = try freshDirectory(settings, "tailf")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var options = ChangeLogOptions()
        options.segmentMaxBytes = 16 * 1024
        let log = try ChangeLog.open(stateDirectory: dir, options: options, logger: logger)
        let tail = Process()
        tail.executableURL = URL(fileURLWithPath: "/usr/bin/tail")
        tail.arguments = ["-F", "-n", "+1", "-s", "0.05", dir + "/changes.ndjson"]
        let pipe = Pipe()
        tail.standardOutput = pipe
        tail.standardError = FileHandle.nullDevice
        try tail.run()
        let collected = Collected()
        let handle = pipe.fileHandleForReading
        Thread.detachNewThread {
            while true {
                let data = handle.availableData
                if data.isEmpty { return }
                collected.append(data)
            }
        }
        let total = 20_000
        let start = now()
        for n in 0..<total {
            _ = try log.enqueue([articleEvent(n)])
            if n % 20 == 19 { usleep(1000) }
        }
        try log.waitDurableBlocking(through: UInt64(total))
        let elapsed = now() - start
        usleep(1_000_000)
        // The child may have inherited a blocked SIGTERM from the runtime's threads: SIGKILL it.
        kill(tail.processIdentifier, SIGKILL)
        tail.waitUntilExit()
        let rotations = log.statistics.rotations
        try log.close()
        var counts: [UInt64: Int] = [:]
        var start0 = 0
        let bytes = collected.bytes
        while let newline = bytes[start0...].firstIndex(of: 0x0A) {
            if let seq = seqOf(bytes[start0..<newline]) { counts[seq, default: 0] += 1 }
            start0 = newline + 1
        }
        let missing = (1...UInt64(total)).filter { counts[$0] == nil }.count
        let duplicated = counts.values.filter { $0 > 1 }.count
        print(
            String(
                format: "tail -F check: %d events in %.1f s over %llu rotations: GNU tail -F missed %d, "
                    + "printed %d twice", total, elapsed, rotations, missing, duplicated))
    }

    final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private var data: [UInt8] = []
        func append(_ more: Data) { lock.withLock { data.append(contentsOf: more) } }
        var bytes: [UInt8] { lock.withLock { data } }
    }

    // MARK: - Opening a large log

    static func openLarge(_ settings: Settings, logger: Logger) throws -> Double {
        let dir = settings.work + "/log-\(settings.millionEvents)"
        let marker = dir + "/.complete"
        if !FileManager.default.fileExists(atPath: marker) {
            try? FileManager.default.removeItem(atPath: dir)
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let start = now()
            let log = try ChangeLog.open(stateDirectory: dir, logger: logger)
            var n = 0
            while n < settings.millionEvents {
                let count = min(5000, settings.millionEvents - n)
                _ = try log.appendAndWait((n..<(n + count)).map(articleEvent))
                n += count
            }
            try log.close()
            _ = FileManager.default.createFile(atPath: marker, contents: nil)
            print(String(format: "generated a log of %d events in %.1f s (kept for later runs)", n, now() - start))
        }
        // A clean open (the usual restart) and an open after a kill (no clean-shutdown mark, same boot).
        var start = now()
        var log = try ChangeLog.open(stateDirectory: dir, logger: logger)
        let cleanOpen = now() - start
        let lastSeq = log.lastSeq
        try log.close()
        var metadata =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/log.json")))
            as? [String: Any] ?? [:]
        metadata["clean_shutdown"] = false
        try JSONSerialization.data(withJSONObject: metadata, options: [.sortedKeys])
            .write(to: URL(fileURLWithPath: dir + "/log.json"), options: .atomic)
        start = now()
        log = try ChangeLog.open(stateDirectory: dir, logger: logger)
        let killedOpen = now() - start
        try log.close()

        start = now()
        let tailer = try ChangeLogTailer(stateDirectory: dir, after: lastSeq - 10)
        let recent = try tailer.readAvailable().count
        let seek = now() - start
        start = now()
        let all = try ChangeLogTailer(stateDirectory: dir, after: 0)
        var read = 0
        while true {
            let batch = try all.readAvailable(limit: 100_000)
            if batch.isEmpty { break }
            read += batch.count
        }
        let scan = now() - start
        let segments =
            (try? FileManager.default.contentsOfDirectory(atPath: dir + "/changes"))?
            .filter { $0.hasSuffix(".ndjson") }.count ?? 0
        print(
            String(
                format: "open: %d events in %d segments: open %.3f s (clean), %.3f s (after a kill); "
                    + "reader seek to the last %d events %.3f s; reading all %d events %.2f s (%.0f events/s)",
                lastSeq, segments, cleanOpen, killedOpen, recent, seek, read, scan, Double(read) / scan))
        return max(cleanOpen, killedOpen)
    }
}
