import Foundation
import HeraldStore
import Logging

extension HeraldLogBench {
    /// The child of the kill test: appends batches to the log in `stateDirectory` until it is killed.
    static func appendForever(stateDirectory: String) throws -> Never {
        let logger = Logger(label: "herald.logbench.child") { _ in SwiftLogNoOpLogHandler() }
        var options = ChangeLogOptions()
        options.segmentMaxBytes = 8 * 1024
        options.commitDelay = .milliseconds(1)
        options.maxLineBytes = 2048
        let log = try ChangeLog.open(stateDirectory: stateDirectory, options: options, logger: logger)
        var n = 0
        while true {
            let count = Int.random(in: 1...20)
            var events: [PendingEvent] = []
            for _ in 0..<count {
                n += 1
                var event = articleEvent(n)
                if n % 97 == 0 { event.data["blob"] = .string(String(repeating: "b", count: 3000)) }
                events.append(event)
            }
            _ = try log.appendAndWait(events)
        }
    }
}

/// Kills a process appending to a log with SIGKILL at random moments, sometimes adds a torn fragment the way a
/// power cut would, and checks after every restart that seqs are contiguous and unique, that a follower reading
/// through all of it got every seq exactly once, and that every payload file exists.
enum KillTest {
    static func run(rounds: Int, work: String, logger: Logger) throws -> Bool {
        let dir = work + "/killtest"
        try? FileManager.default.removeItem(atPath: dir)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let follower = Follower(stateDirectory: dir)
        Thread.detachNewThread { follower.run() }
        var problems: [String] = []
        var fragments = 0
        var lastSeq: UInt64 = 0
        for round in 1...rounds {
            let child = Process()
            child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
            child.arguments = ["--append-child", dir]
            try child.run()
            usleep(UInt32.random(in: 30_000...300_000))
            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
            if round % 5 == 0 {
                // A torn write: the start of a line without its end, in the newest segment (the only one Herald
                // writes; changes.ndjson may still name the sealed one if the kill came in the middle of a rotation).
                let line = String(#"{"data":{"article_id":"torn-\#(round)","content_hash":"#.prefix(Int.random(in: 1...50)))
                let newest = try FileManager.default.contentsOfDirectory(atPath: dir + "/changes")
                    .filter { $0.hasSuffix(".ndjson") }.max() ?? "missing"
                let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: dir + "/changes/" + newest))
                try handle.seekToEnd()
                try handle.write(contentsOf: Data(line.utf8))
                try handle.close()
                fragments += 1
            }
            let events = try ChangeLogReader(stateDirectory: dir).read(after: 0)
            if let last = events.last?.seq, last < lastSeq {
                problems.append("round \(round): the log shrank from \(lastSeq) to \(last)")
            }
            lastSeq = events.last?.seq ?? lastSeq
            if !events.isEmpty, events.map(\.seq) != Array(1...UInt64(events.count)) {
                problems.append("round \(round): seqs are not 1...\(events.count)")
            }
        }
        // A final clean open records the last fragment, then the whole log is checked.
        let log = try ChangeLog.open(stateDirectory: dir, logger: logger)
        try log.close()
        let events = try ChangeLogReader(stateDirectory: dir).read(after: 0)
        let seqs = events.map(\.seq)
        if seqs != Array(1...UInt64(seqs.count)) { problems.append("final log: seqs are not contiguous from 1") }
        var recovered = 0
        var payloads = 0
        var recoveredSegments = Set<String>()
        for entry in events {
            let event = try StateJSON.decode(ChangeEvent.self, from: entry.line)
            if event.type == ChangeLog.recoveredEventType {
                recovered += 1
                if let segment = event.data["segment"]?.stringValue { recoveredSegments.insert(segment) }
            }
            if let reference = event.data["payload_ref"]?.stringValue {
                payloads += 1
                if !FileManager.default.fileExists(atPath: dir + "/" + reference) {
                    problems.append("payload \(reference) of seq \(event.seq) is missing")
                }
            }
        }
        // Every segment holding an unparseable line has a recovered event naming it, and vice versa. (A SIGKILL in
        // the middle of a write can tear a line too, so there may be more recoveries than injected fragments.)
        var tornSegments = Set<String>()
        for name in try FileManager.default.contentsOfDirectory(atPath: dir + "/changes") where name.hasSuffix(".ndjson") {
            let text = try String(contentsOfFile: dir + "/changes/" + name, encoding: .utf8)
            for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            where (try? JSONSerialization.jsonObject(with: Data(line.utf8))) == nil {
                tornSegments.insert("changes/" + name)
            }
            if !text.isEmpty && !text.hasSuffix("\n") { problems.append("\(name) does not end with a newline") }
        }
        if tornSegments != recoveredSegments || recovered < fragments {
            problems.append(
                "torn segments \(tornSegments.sorted()) but recovered events name \(recoveredSegments.sorted()) "
                    + "(\(fragments) fragments injected, \(recovered) recoveries)")
        }
        let deadline = Date().addingTimeInterval(10)
        while follower.seen.count < seqs.count && Date() < deadline { usleep(10_000) }
        follower.stop()
        let seen = follower.seen
        if seen != seqs { problems.append("the follower saw \(seen.count) events, not exactly 1...\(seqs.count)") }
        if let error = follower.error { problems.append("the follower failed: \(error)") }
        let segments = (try? FileManager.default.contentsOfDirectory(atPath: dir + "/changes"))?
            .filter { $0.hasSuffix(".ndjson") }.count ?? 0
        print(
            "kill test: \(rounds) SIGKILLs, \(fragments) torn fragments, \(seqs.count) events in \(segments) "
                + "segments, \(payloads) payload files, \(recovered) recoveries; follower saw \(seen.count) events")
        for problem in problems { print("  PROBLEM: \(problem)") }
        print(problems.isEmpty ? "kill test passed" : "kill test FAILED")
        return problems.isEmpty
    }

    /// A reader that follows the log through every kill and restart, the way `herald tail --follow` does.
    final class Follower: @unchecked Sendable {
        let stateDirectory: String
        private let lock = NSLock()
        private var seqs: [UInt64] = []
        private var failure: String?
        private var stopped = false

        init(stateDirectory: String) { self.stateDirectory = stateDirectory }

        var seen: [UInt64] { lock.withLock { seqs } }
        var error: String? { lock.withLock { failure } }
        func stop() { lock.withLock { stopped = true } }

        func run() {
            do {
                let tailer = try ChangeLogTailer(stateDirectory: stateDirectory, after: 0)
                while !lock.withLock({ stopped }) {
                    let batch = try tailer.readAvailable(limit: 1000)
                    if batch.isEmpty {
                        tailer.waitForChanges(timeout: .milliseconds(20))
                    } else {
                        lock.withLock { seqs += batch.map(\.seq) }
                    }
                }
            } catch {
                lock.withLock { failure = "\(error)" }
            }
        }
    }
}
