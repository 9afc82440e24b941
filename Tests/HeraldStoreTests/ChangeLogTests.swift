import Foundation
import Logging
import Testing

@testable import HeraldStore

@Suite struct ChangeLogTests {
    private func event(_ n: Int) -> PendingEvent {
        PendingEvent(type: "article.added", subject: "articles/\(n)", data: ["n": .int(Int64(n)), "url": "https://a/b"])
    }

    @Test func seqStartsAtOneAndStaysContiguousAcrossReopen() throws {
        try withTemporaryDirectory { dir throws in
            let log = try ChangeLog.open(stateDirectory: dir, logger: makeLogger())
            #expect(log.lastSeq == 0)
            let first = try log.append([event(1), event(2)])
            #expect(first.map(\.seq) == [1, 2])
            #expect(first.map(\.id) == ["\(log.epoch):1", "\(log.epoch):2"])
            #expect(first[0].time == first[1].time)
            #expect(log.lastSeq == 2)
            let epoch = log.epoch
            log.close()

            let reopened = try ChangeLog.open(stateDirectory: dir, logger: makeLogger())
            #expect(reopened.epoch == epoch)
            #expect(reopened.lastSeq == 2)
            let next = try reopened.append([event(3)])
            #expect(next.map(\.seq) == [3])
            #expect(next[0].id == "\(epoch):3")
            reopened.close()

            let lines = try fileLines("\(dir)/changes.ndjson")
            #expect(lines.count == 3)
            let decoded = try lines.map { try StateJSON.decode(ChangeEvent.self, from: Array($0.utf8)) }
            #expect(decoded.map(\.seq) == [1, 2, 3])
            #expect(decoded.map(\.subject) == ["articles/1", "articles/2", "articles/3"])
            #expect(decoded[0] == first[0])
        }
    }

    @Test func writesTheDocumentedLineFormatAndMetadata() throws {
        try withTemporaryDirectory { dir throws in
            let log = try ChangeLog.open(stateDirectory: dir, logger: makeLogger())
            defer { log.close() }
            let event = try log.append([
                PendingEvent(type: "feed.updated", subject: "feeds/x", data: ["url": "https://e.com/rss", "a": 1])
            ])[0]
            let bytes = try fileBytes("\(dir)/changes.ndjson")
            let e = log.epoch
            let expected =
                #"{"data":{"a":1,"url":"https://e.com/rss"},"datacontenttype":"application/json","epoch":"\#(e)","#
                + #""id":"\#(e):1","seq":1,"source":"herald","specversion":"1.0","subject":"feeds/x","#
                + #""time":"\#(event.time)","type":"feed.updated"}"# + "\n"
            #expect(String(decoding: bytes, as: UTF8.self) == expected)
            #expect(event.time.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil)
            let age = Date().timeIntervalSince1970 - (RFC3339.parse(event.time) ?? 0)
            #expect(age >= -1 && age < 60)

            #expect(UUID(uuidString: e) != nil)
            #expect(e == e.lowercased())
            let metadata = try StateJSON.decode(JSONValue.self, from: try fileBytes("\(dir)/log.json"))
            #expect(metadata["epoch"]?.stringValue == e)
            #expect(metadata["created"]?.stringValue.flatMap(RFC3339.parse) != nil)
        }
    }

    @Test func emptyAppendWritesNothing() throws {
        try withTemporaryDirectory { dir throws in
            let log = try ChangeLog.open(stateDirectory: dir, logger: makeLogger())
            defer { log.close() }
            #expect(try log.append([]).isEmpty)
            #expect(try fileBytes("\(dir)/changes.ndjson").isEmpty)
        }
    }

    @Test func tornTailIsTerminatedAndRecorded() throws {
        try withTemporaryDirectory { dir throws in
            let log = try ChangeLog.open(stateDirectory: dir, logger: makeLogger())
            _ = try log.append([event(1), event(2)])
            log.close()
            let fragment = Array(#"{"data":{"n":3},"datacontenttype":"applic"#.utf8)
            try appendRaw(fragment, to: "\(dir)/changes.ndjson")

            let handler = RecordingLogHandler()
            let reopened = try ChangeLog.open(stateDirectory: dir, logger: makeLogger(handler))
            #expect(reopened.lastSeq == 3)
            #expect(handler.messages.contains { $0.level == .warning && $0.message.contains("torn") })

            let lines = try fileLines("\(dir)/changes.ndjson")
            #expect(lines.count == 4)
            #expect(lines[2] == String(decoding: fragment, as: UTF8.self))
            let recovered = try StateJSON.decode(ChangeEvent.self, from: Array(lines[3].utf8))
            #expect(recovered.type == "log.recovered")
            #expect(recovered.seq == 3)
            #expect(recovered.data == ["fragment_bytes": .int(Int64(fragment.count)), "last_seq": 2])

            let appended = try reopened.append([event(4)])
            #expect(appended.map(\.seq) == [4])
            reopened.close()

            let entries = try ChangeLogReader(stateDirectory: dir).read(after: 0)
            #expect(entries.map(\.seq) == [1, 2, 3, 4])

            // A clean reopen does not record another recovery.
            let again = try ChangeLog.open(stateDirectory: dir, logger: makeLogger())
            #expect(again.lastSeq == 4)
            again.close()
            #expect(try fileLines("\(dir)/changes.ndjson").count == 5)
        }
    }

    @Test func fragmentAlreadyTerminatedButNotRecordedIsRecordedOnOpen() throws {
        try withTemporaryDirectory { dir throws in
            let log = try ChangeLog.open(stateDirectory: dir, logger: makeLogger())
            _ = try log.append([event(1)])
            log.close()
            // A crash after the newline was added but before the log.recovered event was written.
            try appendRaw(Array(#"{"data":{"#.utf8) + [0x0A], to: "\(dir)/changes.ndjson")

            let reopened = try ChangeLog.open(stateDirectory: dir, logger: makeLogger())
            defer { reopened.close() }
            #expect(reopened.lastSeq == 2)
            let lines = try fileLines("\(dir)/changes.ndjson")
            #expect(lines.count == 3)
            let recovered = try StateJSON.decode(ChangeEvent.self, from: Array(lines[2].utf8))
            #expect(recovered.type == "log.recovered")
            #expect(recovered.data["fragment_bytes"] == .int(9))
            #expect(recovered.data["last_seq"] == .int(1))
        }
    }

    @Test func lastLineMissingOnlyItsNewlineIsKeptAsAnEvent() throws {
        try withTemporaryDirectory { dir throws in
            let log = try ChangeLog.open(stateDirectory: dir, logger: makeLogger())
            _ = try log.append([event(1), event(2)])
            log.close()
            let path = "\(dir)/changes.ndjson"
            let bytes = try fileBytes(path)
            try FileManager.default.removeItem(atPath: path)
            try appendRaw(Array(bytes.dropLast()), to: path)

            let reopened = try ChangeLog.open(stateDirectory: dir, logger: makeLogger())
            #expect(reopened.lastSeq == 3)
            reopened.close()
            let entries = try ChangeLogReader(path: path).read(after: 0)
            #expect(entries.map(\.seq) == [1, 2, 3])
            let recovered = try StateJSON.decode(ChangeEvent.self, from: entries[2].line)
            #expect(recovered.type == "log.recovered")
            #expect(recovered.data == ["fragment_bytes": 0, "last_seq": 2])
        }
    }

    @Test func unterminatedLineWithWrongSeqIsCorrupt() throws {
        try withTemporaryDirectory { dir throws in
            let log = try ChangeLog.open(stateDirectory: dir, logger: makeLogger())
            _ = try log.append([event(1)])
            let epoch = log.epoch
            log.close()
            let line = #"{"epoch":"\#(epoch)","id":"\#(epoch):5","seq":5,"subject":"s","time":"t","type":"x"}"#
            try appendRaw(Array(line.utf8), to: "\(dir)/changes.ndjson")
            let error = #expect(throws: StoreError.self) {
                _ = try ChangeLog.open(stateDirectory: dir, logger: makeLogger())
            }
            #expect(error?.code == .corrupt)
            #expect(error?.message.contains("seq 5") == true)
        }
    }

    @Test func tornFirstWriteRecoversToSeqOne() throws {
        try withTemporaryDirectory { dir throws in
            let log = try ChangeLog.open(stateDirectory: dir, logger: makeLogger())
            log.close()
            try appendRaw(Array(#"{"da"#.utf8), to: "\(dir)/changes.ndjson")
            let reopened = try ChangeLog.open(stateDirectory: dir, logger: makeLogger())
            defer { reopened.close() }
            #expect(reopened.lastSeq == 1)
            #expect(try ChangeLogReader(stateDirectory: dir).read(after: 0).map(\.seq) == [1])
        }
    }

    @Test func missingMetadataWithEventsIsCorrupt() throws {
        try withTemporaryDirectory { dir throws in
            let log = try ChangeLog.open(stateDirectory: dir, logger: makeLogger())
            _ = try log.append([event(1)])
            log.close()
            try FileManager.default.removeItem(atPath: "\(dir)/log.json")
            let error = #expect(throws: StoreError.self) {
                _ = try ChangeLog.open(stateDirectory: dir, logger: makeLogger())
            }
            #expect(error?.code == .corrupt)
            #expect(error?.message.contains("log.json") == true)
            #expect(error?.message.contains("missing") == true)
        }
    }

    @Test func missingLogWithMetadataStartsANewEpoch() throws {
        try withTemporaryDirectory { dir throws in
            let log = try ChangeLog.open(stateDirectory: dir, logger: makeLogger())
            _ = try log.append([event(1)])
            let oldEpoch = log.epoch
            log.close()
            try FileManager.default.removeItem(atPath: "\(dir)/changes.ndjson")
            let handler = RecordingLogHandler()
            let reopened = try ChangeLog.open(stateDirectory: dir, logger: makeLogger(handler))
            defer { reopened.close() }
            #expect(reopened.epoch != oldEpoch)
            #expect(reopened.lastSeq == 0)
            #expect(handler.messages.contains { $0.level == .warning })
            let metadata = try StateJSON.decode(JSONValue.self, from: try fileBytes("\(dir)/log.json"))
            #expect(metadata["epoch"]?.stringValue == reopened.epoch)
        }
    }

    @Test func logFromAnotherEpochIsCorrupt() throws {
        try withTemporaryDirectory { dir throws in
            let log = try ChangeLog.open(stateDirectory: dir, logger: makeLogger())
            _ = try log.append([event(1)])
            log.close()
            let other = #"{"created":"2026-01-01T00:00:00.000Z","epoch":"00000000-0000-0000-0000-000000000000"}"#
            try AtomicFile.write(Array(other.utf8), to: "\(dir)/log.json")
            let error = #expect(throws: StoreError.self) {
                _ = try ChangeLog.open(stateDirectory: dir, logger: makeLogger())
            }
            #expect(error?.code == .corrupt)
        }
    }

    @Test func appendAfterCloseThrows() throws {
        try withTemporaryDirectory { dir throws in
            let log = try ChangeLog.open(stateDirectory: dir, logger: makeLogger())
            log.close()
            #expect(throws: StoreError.self) { _ = try log.append([event(1)]) }
        }
    }

    @Test func unencodableEventIsRejectedAndLogStaysUsable() throws {
        try withTemporaryDirectory { dir throws in
            let log = try ChangeLog.open(stateDirectory: dir, logger: makeLogger())
            defer { log.close() }
            let error = #expect(throws: StoreError.self) {
                _ = try log.append([event(1), PendingEvent(type: "x", subject: "y", data: .double(.infinity))])
            }
            #expect(error?.code == .invalidArgument)
            #expect(log.lastSeq == 0)
            #expect(try log.append([event(1)]).map(\.seq) == [1])
        }
    }

    @Test func writeFailureMakesTheLogUnusable() throws {
        try withTemporaryDirectory { dir throws in
            // /dev/full accepts opens and fails every write with ENOSPC.
            let path = "\(dir)/changes.ndjson"
            try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: "/dev/full")
            let log = try ChangeLog.open(stateDirectory: dir, logger: makeLogger())
            defer { log.close() }
            let first = #expect(throws: StoreError.self) { _ = try log.append([event(1)]) }
            #expect(first?.code == .noSpace)
            #expect(first?.message.contains("disk full while writing") == true)
            #expect(log.lastSeq == 0)
            let second = #expect(throws: StoreError.self) { _ = try log.append([event(2)]) }
            #expect(second?.message.contains("unusable") == true)
        }
    }

    @Test func largeLogFindsLastSeqFromTheEnd() throws {
        try withTemporaryDirectory { dir throws in
            let log = try ChangeLog.open(stateDirectory: dir, logger: makeLogger())
            let padding = JSONValue.string(String(repeating: "p", count: 200))
            _ = try log.append((1...2000).map { PendingEvent(type: "t", subject: "s\($0)", data: ["p": padding]) })
            log.close()
            let size = try FileManager.default.attributesOfItem(atPath: "\(dir)/changes.ndjson")[.size] as? Int
            #expect((size ?? 0) > 4 * BackwardLineReader.chunkSize)

            let reopened = try ChangeLog.open(stateDirectory: dir, logger: makeLogger())
            #expect(reopened.lastSeq == 2000)
            reopened.close()
            let tail = try ChangeLogReader(stateDirectory: dir).read(after: 1990)
            #expect(tail.map(\.seq) == Array(1991...2000))
            let all = try ChangeLogReader(stateDirectory: dir).read(after: 0)
            #expect(all.count == 2000)
            #expect(all.map(\.seq) == Array(1...2000))
        }
    }

    @Test func concurrentAppendsStayContiguous() async throws {
        try await withTemporaryDirectory { dir async throws in
            let log = try ChangeLog.open(stateDirectory: dir, logger: makeLogger())
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<4 {
                    group.addTask {
                        for n in 0..<5 {
                            _ = try log.append([self.event(worker * 100 + n), self.event(worker * 100 + n + 50)])
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(log.lastSeq == 40)
            log.close()
            let entries = try ChangeLogReader(stateDirectory: dir).read(after: 0)
            #expect(entries.map(\.seq) == Array(1...40))
        }
    }
}
