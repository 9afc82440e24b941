import Foundation
import Glibc
import Logging
import Testing

@testable import HeraldStore

/// Opens a log with a fixed boot id (so tests never depend on the machine's).
func openLog(
    _ dir: String, options: ChangeLogOptions = .init(), boot: String = "boot-1",
    logger: Logger = makeLogger()
) throws -> ChangeLog {
    try ChangeLog.open(stateDirectory: dir, options: options, logger: logger, bootID: boot)
}

func testEvent(_ n: Int, padding: Int = 0) -> PendingEvent {
    var data: JSONValue = ["n": .int(Int64(n)), "url": "https://a/b"]
    if padding > 0 { data["pad"] = .string(String(repeating: "p", count: padding)) }
    return PendingEvent(type: "herald.article.created", subject: "articles/\(n)", data: data)
}

/// The log.json content as a JSON value.
func metadataJSON(_ dir: String) throws -> JSONValue {
    try StateJSON.decode(JSONValue.self, from: try fileBytes("\(dir)/log.json"))
}

func segmentNames(_ dir: String) throws -> [String] {
    try directoryEntries("\(dir)/changes").filter { $0.hasSuffix(".ndjson") }
}

func inode(_ path: String) throws -> UInt64 {
    var st = stat()
    guard stat(path, &st) == 0 else { throw StoreError(code: .notFound, path: path, message: "no \(path)") }
    return UInt64(st.st_ino)
}

func permissions(_ path: String) throws -> Int {
    var st = stat()
    guard stat(path, &st) == 0 else { throw StoreError(code: .notFound, path: path, message: "no \(path)") }
    return Int(st.st_mode & 0o777)
}

func allEvents(_ dir: String) throws -> [ChangeEvent] {
    try ChangeLogReader(stateDirectory: dir).read(after: 0).map {
        try StateJSON.decode(ChangeEvent.self, from: $0.line)
    }
}

@Suite struct ChangeLogTests {
    static let first = "00000000000000000001.ndjson"

    @Test func seqStartsAtOneAndStaysContiguousAcrossReopen() throws {
        try withTemporaryDirectory { dir throws in
            let log = try openLog(dir)
            #expect(log.lastSeq == 0)
            let first = try log.appendAndWait([testEvent(1), testEvent(2)])
            #expect(first.map(\.seq) == [1, 2])
            #expect(first.map(\.id) == ["\(log.epoch):1", "\(log.epoch):2"])
            #expect(first[0].time == first[1].time)
            #expect(log.lastSeq == 2)
            #expect(log.durableSeq == 2)
            let epoch = log.epoch
            try log.close()

            let reopened = try openLog(dir)
            #expect(reopened.epoch == epoch)
            #expect(reopened.lastSeq == 2)
            let next = try reopened.appendAndWait([testEvent(3)])
            #expect(next.map(\.seq) == [3])
            #expect(next[0].id == "\(epoch):3")
            try reopened.close()

            #expect(try segmentNames(dir) == [Self.first])
            #expect(try inode("\(dir)/changes.ndjson") == inode("\(dir)/changes/\(Self.first)"))
            let decoded = try allEvents(dir)
            #expect(decoded.map(\.seq) == [1, 2, 3])
            #expect(decoded.map(\.subject) == ["articles/1", "articles/2", "articles/3"])
            #expect(decoded[0] == first[0])
        }
    }

    @Test func writesTheDocumentedLineFormat() throws {
        try withTemporaryDirectory { dir throws in
            let log = try openLog(dir)
            defer { try? log.close() }
            let event = try log.appendAndWait([
                PendingEvent(type: "feed.updated", subject: "feeds/x", data: ["url": "https://e.com/rss", "a": 1])
            ])[0]
            let e = log.epoch
            let expected =
                #"{"data":{"a":1,"url":"https://e.com/rss"},"datacontenttype":"application/json","epoch":"\#(e)","#
                + #""id":"\#(e):1","seq":1,"source":"herald","specversion":"1.0","subject":"feeds/x","#
                + #""time":"\#(event.time)","type":"feed.updated"}"# + "\n"
            #expect(String(decoding: try fileBytes("\(dir)/changes.ndjson"), as: UTF8.self) == expected)
            #expect(event.time.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil)
            #expect(UUID(uuidString: e) != nil)
            #expect(e == e.lowercased())
        }
    }

    @Test func metadataRecordsEpochBootAndCleanShutdown() throws {
        try withTemporaryDirectory { dir throws in
            let log = try openLog(dir, boot: "boot-A")
            _ = try log.appendAndWait([testEvent(1), testEvent(2)])
            var metadata = try metadataJSON(dir)
            #expect(metadata["epoch"]?.stringValue == log.epoch)
            #expect(metadata["boot_id"]?.stringValue == "boot-A")
            #expect(metadata["clean_shutdown"] == false)
            #expect(metadata["first_seq"] == 1)
            #expect(metadata["epochs"] == [["epoch": .string(log.epoch), "first_seq": 1]])
            #expect(metadata["created"]?.stringValue.flatMap(RFC3339.parse) != nil)
            try log.close()
            metadata = try metadataJSON(dir)
            #expect(metadata["clean_shutdown"] == true)
            #expect(metadata["last_seq"] == 2)
        }
    }

    @Test func emptyAppendWritesNothing() throws {
        try withTemporaryDirectory { dir throws in
            let log = try openLog(dir)
            defer { try? log.close() }
            #expect(try log.appendAndWait([]).isEmpty)
            #expect(try fileBytes("\(dir)/changes.ndjson").isEmpty)
        }
    }

    @Test func asyncAppendIsDurableWhenItReturns() async throws {
        try await withTemporaryDirectory { dir async throws in
            let log = try openLog(dir)
            let events = try await log.append([testEvent(1)])
            #expect(log.durableSeq == events[0].seq)
            let queued = try log.enqueue([testEvent(2), testEvent(3)])
            #expect(queued.map(\.seq) == [2, 3])
            #expect(log.lastSeq == 3)
            try await log.waitDurable(through: 3)
            #expect(log.durableSeq == 3)
            try log.close()
            #expect(try allEvents(dir).map(\.seq) == [1, 2, 3])
        }
    }

    // MARK: - Rotation and retention

    @Test func rotatesBySizeSealingOldSegmentsAndSwappingTheLiveLink() throws {
        try withTemporaryDirectory { dir throws in
            var options = ChangeLogOptions()
            options.segmentMaxBytes = 2000
            let log = try openLog(dir, options: options)
            let live = "\(dir)/changes.ndjson"
            // A reader that opened the live file before rotation keeps reading the old segment.
            _ = try log.appendAndWait([testEvent(1, padding: 300)])
            let earlyReader = try FileHandle(forReadingFrom: URL(fileURLWithPath: live))
            defer { try? earlyReader.close() }
            for n in 2...30 { _ = try log.appendAndWait([testEvent(n, padding: 300)]) }
            #expect(log.statistics.rotations > 3)
            try log.close()

            let names = try segmentNames(dir)
            #expect(names.count == Int(log.statistics.rotations) + 1)
            var expectedFirst: UInt64 = 1
            for (index, name) in names.enumerated() {
                let path = "\(dir)/changes/\(name)"
                let size = try fileBytes(path).count
                #expect(size <= 2000)
                let seqs = try fileLines(path).map { try StateJSON.decode(ChangeEvent.self, from: Array($0.utf8)).seq }
                #expect(name == LogSegment.fileName(firstSeq: expectedFirst))
                #expect(seqs.first == expectedFirst)
                expectedFirst = (seqs.last ?? 0) + 1
                let sealed = index < names.count - 1
                #expect(try permissions(path) == (sealed ? 0o440 : 0o640))
            }
            #expect(try inode(live) == inode("\(dir)/changes/\(names.last!)"))
            #expect(try allEvents(dir).map(\.seq) == Array(1...30))
            let early = String(decoding: earlyReader.readDataToEndOfFile(), as: UTF8.self)
            #expect(early.hasPrefix(#"{"data":{"n":1,"#))
            #expect(try fileLines("\(dir)/changes/\(names[0])").count == early.split(separator: "\n").count)
        }
    }

    @Test func rotatesByAgeIncludingAfterReopen() throws {
        try withTemporaryDirectory { dir throws in
            var options = ChangeLogOptions()
            options.segmentMaxAge = .zero  // every event is "too old" for a segment that already has one
            let log = try openLog(dir, options: options)
            _ = try log.appendAndWait([testEvent(1)])
            _ = try log.appendAndWait([testEvent(2)])
            try log.close()
            #expect(try segmentNames(dir) == [Self.first, LogSegment.fileName(firstSeq: 2)])

            let reopened = try openLog(dir, options: options)
            _ = try reopened.appendAndWait([testEvent(3)])
            try reopened.close()
            #expect(try segmentNames(dir).count == 3)

            let lenient = try openLog(dir)  // default: one day
            _ = try lenient.appendAndWait([testEvent(4)])
            try lenient.close()
            #expect(try segmentNames(dir).count == 3)
            #expect(try allEvents(dir).map(\.seq) == [1, 2, 3, 4])
        }
    }

    @Test func oneBatchIsSplitBetweenLinesAtRotation() throws {
        try withTemporaryDirectory { dir throws in
            var options = ChangeLogOptions()
            options.segmentMaxBytes = 1500
            let log = try openLog(dir, options: options)
            _ = try log.appendAndWait((1...12).map { testEvent($0, padding: 300) })
            try log.close()
            let names = try segmentNames(dir)
            #expect(names.count > 2)
            for name in names {
                let bytes = try fileBytes("\(dir)/changes/\(name)")
                #expect(bytes.last == 0x0A)
                for line in try fileLines("\(dir)/changes/\(name)") {
                    #expect(LogLine.seq(of: Array(line.utf8)[...]) != nil)
                }
            }
            #expect(try allEvents(dir).map(\.seq) == Array(1...12))
        }
    }

    @Test func retentionByCountDeletesOldestSegmentsAfterRecordingTheFirstSeq() throws {
        try withTemporaryDirectory { dir throws in
            var options = ChangeLogOptions()
            options.segmentMaxAge = .zero
            options.retainSegments = 3
            options.maxLineBytes = 400
            let log = try openLog(dir, options: options)
            _ = try log.appendAndWait([testEvent(1, padding: 800)])  // goes to a payload file
            #expect(FileManager.default.fileExists(atPath: "\(dir)/changes/payloads/1.json"))
            for n in 2...8 { _ = try log.appendAndWait([testEvent(n)]) }
            try log.close()

            let names = try segmentNames(dir)
            #expect(names == (6...8).map { LogSegment.fileName(firstSeq: $0) })
            #expect(try metadataJSON(dir)["first_seq"] == 6)
            #expect(!FileManager.default.fileExists(atPath: "\(dir)/changes/payloads/1.json"))

            let error = #expect(throws: ChangeLogCursorError.self) {
                _ = try ChangeLogReader(stateDirectory: dir).read(after: 0)
            }
            #expect(error?.code == .expired)
            #expect(try ChangeLogReader(stateDirectory: dir).read(after: 5).map(\.seq) == [6, 7, 8])
            #expect(try ChangeLogTailer(fromStartOf: dir).readAvailable().map(\.seq) == [6, 7, 8])
            let reader = ChangeLogReader(stateDirectory: dir)
            #expect(try reader.readFromStart().map(\.seq) == [6, 7, 8])
            #expect(try reader.firstRetainedSeq() == 6)
            #expect(try reader.lastSeq() == 8)
        }
    }

    @Test func retentionByAgeAppliesAtOpen() throws {
        try withTemporaryDirectory { dir throws in
            var options = ChangeLogOptions()
            options.segmentMaxAge = .zero
            let log = try openLog(dir, options: options)
            for n in 1...4 { _ = try log.appendAndWait([testEvent(n)]) }
            try log.close()
            // Age the two oldest segments by two hours.
            let old = Date().addingTimeInterval(-7200)
            for name in try segmentNames(dir).prefix(2) {
                try Self.setModificationDate(old, of: "\(dir)/changes/\(name)")
            }
            options.retainAge = .seconds(3600)
            let reopened = try openLog(dir, options: options)
            try reopened.close()
            #expect(try segmentNames(dir) == (3...4).map { LogSegment.fileName(firstSeq: $0) })
            #expect(try metadataJSON(dir)["first_seq"] == 3)
        }
    }

    static func setModificationDate(_ date: Date, of path: String) throws {
        // Sealed segments are read-only; utimes on one's own file is still allowed.
        var times = [timeval](
            repeating: timeval(tv_sec: Int(date.timeIntervalSince1970), tv_usec: 0), count: 2)
        #expect(utimes(path, &times) == 0)
    }

    @Test func interruptedRetentionIsFinishedAtOpen() throws {
        try withTemporaryDirectory { dir throws in
            var options = ChangeLogOptions()
            options.segmentMaxAge = .zero
            let log = try openLog(dir, options: options)
            for n in 1...4 { _ = try log.appendAndWait([testEvent(n)]) }
            try log.close()
            // log.json already says retention kept 3..., but the crash left segments 1 and 2.
            var metadata = try #require(try ChangeLogMetadata.load(stateDirectory: dir))
            metadata.firstSeq = 3
            try metadata.save(stateDirectory: dir)
            let reopened = try openLog(dir)
            try reopened.close()
            #expect(try segmentNames(dir) == (3...4).map { LogSegment.fileName(firstSeq: $0) })
        }
    }

    // MARK: - Group commit and failures

    @Test func manyQueuedAppendsShareFewSyncs() async throws {
        try await withTemporaryDirectory { dir async throws in
            var options = ChangeLogOptions()
            options.commitDelay = .milliseconds(20)
            let log = try openLog(dir, options: options)
            var last: UInt64 = 0
            for n in 1...1000 { last = try log.enqueue([testEvent(n)])[0].seq }
            try await log.waitDurable(through: last)
            let stats = log.statistics
            #expect(stats.events == 1000)
            #expect(stats.syncs < 50)
            #expect(stats.batches < 50)
            try log.close()
            #expect(try allEvents(dir).map(\.seq) == Array(1...1000))
        }
    }

    @Test func concurrentAppendersGetContiguousUniqueSeqs() async throws {
        try await withTemporaryDirectory { dir async throws in
            let log = try openLog(dir)
            let seqs = try await withThrowingTaskGroup(of: [UInt64].self) { group in
                for worker in 0..<8 {
                    group.addTask {
                        var mine: [UInt64] = []
                        for n in 0..<50 {
                            mine += try await log.append([testEvent(worker * 1000 + n)]).map(\.seq)
                        }
                        return mine
                    }
                }
                var all: [UInt64] = []
                for try await part in group { all += part }
                return all
            }
            #expect(seqs.sorted() == Array(1...400))
            #expect(log.statistics.syncs <= 400)
            try log.close()
            #expect(try allEvents(dir).map(\.seq) == Array(1...400))
        }
    }

    @Test func syncFailureIsFatalForEveryLaterCall() async throws {
        try await withTemporaryDirectory { dir async throws in
            let log = try openLog(dir)
            _ = try log.appendAndWait([testEvent(1)])
            log.injectFault(.sync, errno: EIO)
            let first = #expect(throws: StoreError.self) { _ = try log.appendAndWait([testEvent(2)]) }
            #expect(first?.code == .fsync)
            #expect(first?.message.contains("EIO") == true)
            let later = #expect(throws: StoreError.self) { _ = try log.enqueue([testEvent(3)]) }
            #expect(later?.code == .fsync)
            #expect(later?.message.contains("unusable") == true)
            await #expect(throws: StoreError.self) { try await log.waitDurable(through: 2) }
            await #expect(throws: StoreError.self) { _ = try await log.append([testEvent(4)]) }
            #expect(log.durableSeq == 1)
            #expect(throws: StoreError.self) { try log.close() }
            #expect(try metadataJSON(dir)["clean_shutdown"] == false)
        }
    }

    @Test func fullDiskIsReportedAsNoSpace() throws {
        try withTemporaryDirectory { dir throws in
            let log = try openLog(dir)
            log.injectFault(.write, errno: ENOSPC)
            let error = #expect(throws: StoreError.self) { _ = try log.appendAndWait([testEvent(1)]) }
            #expect(error?.code == .noSpace)
            #expect(throws: StoreError.self) { _ = try log.appendAndWait([testEvent(2)]) }
            #expect(throws: StoreError.self) { try log.close() }
            // A restart resumes: the event never reached the file, so the log continues from 0.
            let reopened = try openLog(dir)
            #expect(reopened.lastSeq == 0)
            #expect(try reopened.appendAndWait([testEvent(1)]).map(\.seq) == [1])
            try reopened.close()
        }
    }

    @Test func appendAfterCloseThrows() throws {
        try withTemporaryDirectory { dir throws in
            let log = try openLog(dir)
            try log.close()
            #expect(throws: StoreError.self) { _ = try log.appendAndWait([testEvent(1)]) }
            try log.close()  // idempotent
        }
    }

    @Test func unencodableEventIsRejectedAndTheLogStaysUsable() throws {
        try withTemporaryDirectory { dir throws in
            let log = try openLog(dir)
            defer { try? log.close() }
            let error = #expect(throws: StoreError.self) {
                _ = try log.appendAndWait([
                    testEvent(1), PendingEvent(type: "t", subject: "s", data: ["x": .double(.nan)]),
                ])
            }
            #expect(error?.code == .invalidArgument)
            #expect(log.lastSeq == 0)
            #expect(try log.appendAndWait([testEvent(1)]).map(\.seq) == [1])
        }
    }

    // MARK: - Oversized payloads

    @Test func oversizedDataGoesToAPayloadFile() throws {
        try withTemporaryDirectory { dir throws in
            var options = ChangeLogOptions()
            options.maxLineBytes = 1024
            let log = try openLog(dir, options: options)
            let big = testEvent(1, padding: 5000)
            let small = testEvent(2)
            let events = try log.appendAndWait([big, small])
            try log.close()

            let payloadPath = "changes/payloads/1.json"
            let payload = try fileBytes("\(dir)/\(payloadPath)")
            #expect(
                events[0].data == ["payload_ref": .string(payloadPath), "payload_bytes": .int(Int64(payload.count))])
            #expect(try StateJSON.decode(JSONValue.self, from: payload) == big.data)
            #expect(events[1].data == small.data)
            let stored = try allEvents(dir)
            #expect(stored.map(\.data) == [events[0].data, small.data])
            for line in try fileLines("\(dir)/changes.ndjson") { #expect(line.utf8.count < 1024) }
            #expect(log.statistics.payloadFiles == 1)
            let reader = ChangeLogReader(stateDirectory: dir)
            #expect(try reader.resolvedData(of: stored[0]) == big.data)
            #expect(try reader.resolvedData(of: stored[1]) == small.data)
        }
    }

    // MARK: - Torn tails

    @Test func tornTailSealsTheSegmentAndContinuesInANewOne() throws {
        try withTemporaryDirectory { dir throws in
            let log = try openLog(dir)
            _ = try log.appendAndWait([testEvent(1), testEvent(2)])
            try log.close()
            let fragment = Array(#"{"data":{"n":3},"datacontenttype":"applic"#.utf8)
            try appendRaw(fragment, to: "\(dir)/changes.ndjson")

            let handler = RecordingLogHandler()
            let reopened = try openLog(dir, logger: makeLogger(handler))
            #expect(reopened.lastSeq == 3)
            #expect(handler.messages.contains { $0.level == .warning && $0.message.contains("torn") })
            let next = LogSegment.fileName(firstSeq: 3)
            #expect(try segmentNames(dir) == [Self.first, next])
            #expect(try permissions("\(dir)/changes/\(Self.first)") == 0o440)
            let sealedLines = try fileLines("\(dir)/changes/\(Self.first)")
            #expect(sealedLines.count == 3)
            #expect(sealedLines[2] == String(decoding: fragment, as: UTF8.self))
            #expect(try inode("\(dir)/changes.ndjson") == inode("\(dir)/changes/\(next)"))

            let recovered = try #require(try allEvents(dir).last)
            #expect(recovered.type == "herald.log.recovered")
            #expect(recovered.seq == 3)
            #expect(
                recovered.data == [
                    "fragment_bytes": .int(Int64(fragment.count)), "last_seq": 2,
                    "segment": .string("changes/\(Self.first)"),
                ])
            _ = try reopened.appendAndWait([testEvent(4)])
            try reopened.close()
            #expect(try allEvents(dir).map(\.seq) == [1, 2, 3, 4])

            // A clean reopen records nothing more.
            let again = try openLog(dir)
            #expect(again.lastSeq == 4)
            try again.close()
            #expect(try allEvents(dir).count == 4)
        }
    }

    @Test func tornFirstWriteOfASegmentKeepsThatSegment() throws {
        try withTemporaryDirectory { dir throws in
            let log = try openLog(dir)
            _ = try log.appendAndWait([testEvent(1)])
            try log.close()
            // A crash right after rotation: segment 2 holds only the start of event 2.
            let segment = "\(dir)/changes/\(LogSegment.fileName(firstSeq: 2))"
            try appendRaw(Array(#"{"data":{"#.utf8), to: segment)
            try SegmentWriter.swapLiveLink(stateDirectory: dir, to: LogSegment(stateDirectory: dir, firstSeq: 2))

            let reopened = try openLog(dir)
            #expect(reopened.lastSeq == 2)
            try reopened.close()
            #expect(try segmentNames(dir) == [Self.first, LogSegment.fileName(firstSeq: 2)])
            let events = try allEvents(dir)
            #expect(events.map(\.seq) == [1, 2])
            #expect(events[1].type == ChangeLog.recoveredEventType)
            #expect(events[1].data["segment"] == .string("changes/\(LogSegment.fileName(firstSeq: 2))"))
        }
    }

    @Test func crashAfterSealingATornSegmentStillRecordsTheRecovery() throws {
        try withTemporaryDirectory { dir throws in
            let log = try openLog(dir)
            _ = try log.appendAndWait([testEvent(1), testEvent(2)])
            try log.close()
            // What recovery does before appending its event: terminate, seal, start segment 3.
            let first = "\(dir)/changes/\(Self.first)"
            try appendRaw(Array(#"{"data":{"n"#.utf8) + [0x0A], to: first)
            #expect(chmod(first, 0o444) == 0)
            let next = LogSegment(stateDirectory: dir, firstSeq: 3)
            Glibc.close(try SegmentWriter.createSegment(next, stateDirectory: dir))

            let reopened = try openLog(dir)
            try reopened.close()
            let events = try allEvents(dir)
            #expect(events.map(\.seq) == [1, 2, 3])
            #expect(events[2].type == ChangeLog.recoveredEventType)
            #expect(events[2].data["segment"] == .string("changes/\(Self.first)"))
            #expect(try segmentNames(dir) == [Self.first, next.path.split(separator: "/").last.map(String.init)!])
        }
    }

    @Test func twoPendingRecoveriesAreBothRecorded() throws {
        try withTemporaryDirectory { dir throws in
            let log = try openLog(dir)
            _ = try log.appendAndWait([testEvent(1), testEvent(2)])
            try log.close()
            // Recovery sealed segment 1 and started segment 3, then died; then segment 3 got a torn write too.
            let first = "\(dir)/changes/\(Self.first)"
            try appendRaw(Array(#"{"data":{"n"#.utf8) + [0x0A], to: first)
            #expect(chmod(first, 0o444) == 0)
            let next = LogSegment(stateDirectory: dir, firstSeq: 3)
            Glibc.close(try SegmentWriter.createSegment(next, stateDirectory: dir))
            try appendRaw(Array(#"{"da"#.utf8), to: "\(dir)/changes.ndjson")

            let reopened = try openLog(dir)
            try reopened.close()
            let events = try allEvents(dir)
            #expect(events.map(\.seq) == [1, 2, 3, 4])
            #expect(events[2].data["segment"] == .string("changes/\(Self.first)"))
            #expect(events[3].data["segment"] == .string(next.relativePath))
            #expect(events[2].data["fragment_bytes"] == 11)
            #expect(events[3].data["fragment_bytes"] == 4)
        }
    }

    @Test func crashAfterSealingDuringRotationStartsTheNextSegment() throws {
        try withTemporaryDirectory { dir throws in
            let log = try openLog(dir)
            _ = try log.appendAndWait([testEvent(1)])
            try log.close()
            #expect(chmod("\(dir)/changes/\(Self.first)", 0o444) == 0)
            let reopened = try openLog(dir)
            _ = try reopened.appendAndWait([testEvent(2)])
            try reopened.close()
            #expect(try segmentNames(dir) == [Self.first, LogSegment.fileName(firstSeq: 2)])
            #expect(try permissions("\(dir)/changes/\(Self.first)") == 0o440)
            #expect(try allEvents(dir).map(\.type) == ["herald.article.created", "herald.article.created"])
        }
    }

    @Test func closeWaitsForQueuedEventsAndResumesTheirWaiters() async throws {
        try await withTemporaryDirectory { dir async throws in
            var options = ChangeLogOptions()
            options.commitDelay = .milliseconds(50)
            let log = try openLog(dir, options: options)
            let events = try log.enqueue((1...20).map { testEvent($0) })
            async let waited: Void = log.waitDurable(through: 20)
            try log.close()
            try await waited
            #expect(log.durableSeq == events.last?.seq)
            #expect(try allEvents(dir).count == 20)
        }
    }

    @Test func lastLineMissingOnlyItsNewlineIsKeptAsAnEvent() throws {
        try withTemporaryDirectory { dir throws in
            let log = try openLog(dir)
            _ = try log.appendAndWait([testEvent(1), testEvent(2)])
            try log.close()
            let path = "\(dir)/changes.ndjson"
            var bytes = try fileBytes(path)
            bytes.removeLast()
            try Self.rewrite(path, bytes)

            let reopened = try openLog(dir)
            #expect(reopened.lastSeq == 2)
            try reopened.close()
            #expect(try segmentNames(dir) == [Self.first])
            #expect(try allEvents(dir).map(\.type) == ["herald.article.created", "herald.article.created"])
        }
    }

    @Test func unterminatedLineWithAWrongSeqIsCorrupt() throws {
        try withTemporaryDirectory { dir throws in
            let log = try openLog(dir)
            let event = try log.appendAndWait([testEvent(1)])[0]
            try log.close()
            var wrong = event
            wrong.seq = 7
            try appendRaw(try ChangeEventEncoder.encode(wrong), to: "\(dir)/changes.ndjson")
            let error = #expect(throws: StoreError.self) { _ = try openLog(dir) }
            #expect(error?.code == .corrupt)
        }
    }

    static func rewrite(_ path: String, _ bytes: [UInt8]) throws {
        let fd = open(path, O_WRONLY | O_TRUNC)
        #expect(fd >= 0)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }

    // MARK: - Epochs

    @Test func uncleanRebootStartsANewEpochAndSeqContinues() throws {
        try withTemporaryDirectory { dir throws in
            var log: ChangeLog? = try openLog(dir, boot: "boot-A")
            let firstEpoch = log!.epoch
            _ = try log!.appendAndWait([testEvent(1), testEvent(2)])
            log = nil  // dropped without close(): no clean-shutdown mark

            let same = try openLog(dir, boot: "boot-A")  // the process died, the machine did not
            #expect(same.epoch == firstEpoch)
            #expect(same.lastSeq == 2)
            _ = consume same

            let after = try openLog(dir, boot: "boot-B")
            #expect(after.epoch != firstEpoch)
            #expect(after.lastSeq == 3)
            try after.close()
            let events = try allEvents(dir)
            #expect(events.map(\.seq) == [1, 2, 3])
            #expect(events[2].type == ChangeLog.epochEventType)
            #expect(events[2].epoch == after.epoch)
            #expect(events[2].id == "\(after.epoch):3")
            #expect(events[2].data == ["previous": .string(firstEpoch), "reason": "unclean_shutdown"])
            #expect(
                try metadataJSON(dir)["epochs"] == [
                    ["epoch": .string(firstEpoch), "first_seq": 1],
                    ["epoch": .string(after.epoch), "first_seq": 3, "reason": "unclean_shutdown"],
                ])
        }
    }

    @Test func cleanShutdownKeepsTheEpochAcrossAReboot() throws {
        try withTemporaryDirectory { dir throws in
            let log = try openLog(dir, boot: "boot-A")
            _ = try log.appendAndWait([testEvent(1)])
            try log.close()
            let after = try openLog(dir, boot: "boot-B")
            #expect(after.epoch == log.epoch)
            #expect(after.lastSeq == 1)
            try after.close()
            #expect(try metadataJSON(dir)["boot_id"] == "boot-B")
        }
    }

    @Test func restoredSegmentsStartANewEpoch() throws {
        try withTemporaryDirectory { dir throws in
            let log = try openLog(dir)
            _ = try log.appendAndWait([testEvent(1), testEvent(2)])
            try log.close()
            var metadata = try #require(try ChangeLogMetadata.load(stateDirectory: dir))
            metadata.lastSeq = 9  // log.json had seen seq 9: the segments are an older copy
            try metadata.save(stateDirectory: dir)
            let reopened = try openLog(dir)
            #expect(reopened.epoch != log.epoch)
            try reopened.close()
            let events = try allEvents(dir)
            #expect(events.map(\.seq) == [1, 2, 3])
            #expect(events[2].data["reason"] == "restored")
        }
    }

    @Test func missingMetadataStartsANewEpoch() throws {
        try withTemporaryDirectory { dir throws in
            let log = try openLog(dir)
            _ = try log.appendAndWait([testEvent(1)])
            try log.close()
            try FileManager.default.removeItem(atPath: "\(dir)/log.json")
            let reopened = try openLog(dir)
            #expect(reopened.epoch != log.epoch)
            #expect(reopened.lastSeq == 2)
            try reopened.close()
            let events = try allEvents(dir)
            #expect(events[1].data == ["previous": .string(log.epoch), "reason": "metadata_missing"])
        }
    }

    @Test func missingSegmentsStartANewEpochWithoutReusingSeqs() throws {
        try withTemporaryDirectory { dir throws in
            let log = try openLog(dir)
            _ = try log.appendAndWait([testEvent(1), testEvent(2)])
            try log.close()
            try FileManager.default.removeItem(atPath: "\(dir)/changes")
            try FileManager.default.removeItem(atPath: "\(dir)/changes.ndjson")
            let reopened = try openLog(dir)
            #expect(reopened.epoch != log.epoch)
            #expect(reopened.lastSeq == 3)
            try reopened.close()
            #expect(try segmentNames(dir) == [LogSegment.fileName(firstSeq: 3)])
            #expect(try metadataJSON(dir)["first_seq"] == 3)
            let events = try ChangeLogTailer(fromStartOf: dir).readAvailable()
            #expect(events.map(\.seq) == [3])
            #expect(events.map(\.type) == [ChangeLog.epochEventType])
        }
    }

    @Test func segmentsFromAnotherLogStartANewEpoch() throws {
        try withTemporaryDirectory { dir throws in
            let log = try openLog(dir)
            _ = try log.appendAndWait([testEvent(1)])
            try log.close()
            var metadata = try #require(try ChangeLogMetadata.load(stateDirectory: dir))
            metadata.epoch = "other"
            metadata.epochs = [.init(epoch: "other", firstSeq: 1)]
            try metadata.save(stateDirectory: dir)
            let reopened = try openLog(dir)
            try reopened.close()
            #expect(try allEvents(dir).last?.data["reason"] == "replaced")
        }
    }

    // MARK: - Migration

    @Test func singleFileLogIsMigratedIntoTheFirstSegment() throws {
        try withTemporaryDirectory { dir throws in
            let epoch = "0d2f7c1e-1111-4222-8333-944455556666"
            // Written "now", so the one-day age rotation never meets them whatever today's date is.
            let written = RFC3339.nowString()
            var bytes: [UInt8] = []
            for seq in 1...3 {
                let event = ChangeEvent(
                    seq: UInt64(seq), epoch: epoch, time: written, type: "article.created",
                    subject: "articles/\(seq)", data: [:])
                bytes += try ChangeEventEncoder.encode(event) + [0x0A]
            }
            try AtomicFile.write(bytes, to: "\(dir)/changes.ndjson")
            try AtomicFile.write(
                Array(#"{"created":"\#(written)","epoch":"\#(epoch)"}"#.utf8), to: "\(dir)/log.json")

            let log = try openLog(dir)
            #expect(log.epoch == epoch)
            #expect(log.lastSeq == 3)
            _ = try log.appendAndWait([testEvent(4)])
            try log.close()
            #expect(try segmentNames(dir) == [Self.first])
            #expect(try inode("\(dir)/changes.ndjson") == inode("\(dir)/changes/\(Self.first)"))
            #expect(try allEvents(dir).map(\.seq) == [1, 2, 3, 4])
        }
    }
}
