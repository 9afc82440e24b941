import Foundation
import Testing

@testable import HeraldStore

@Suite struct ChangeLogReaderTests {
    private func line(_ seq: UInt64) -> String {
        #"{"data":{"seq":0},"epoch":"e","id":"e:\#(seq)","seq":\#(seq),"subject":"s","time":"t","type":"x"}"#
    }

    private func writeLog(_ lines: [String], in dir: String) throws -> String {
        let path = "\(dir)/changes.ndjson"
        try AtomicFile.write(Array(lines.map { $0 + "\n" }.joined().utf8), to: path)
        return path
    }

    @Test func readAfterReturnsExactlyTheLaterEvents() throws {
        try withTemporaryDirectory { dir throws in
            let path = try writeLog((1...10).map(line), in: dir)
            let reader = ChangeLogReader(path: path)
            #expect(try reader.read(after: 0).map(\.seq) == Array(1...10))
            let later = try reader.read(after: 7)
            #expect(later.map(\.seq) == [8, 9, 10])
            #expect(later.map { String(decoding: $0.line, as: UTF8.self) } == [line(8), line(9), line(10)])
            #expect(try reader.read(after: 10).isEmpty)
            #expect(try reader.read(after: 99).isEmpty)
        }
    }

    @Test func missingFileReadsAsEmpty() throws {
        try withTemporaryDirectory { dir throws in
            let reader = ChangeLogReader(path: "\(dir)/changes.ndjson")
            #expect(try reader.read(after: 0).isEmpty)
        }
    }

    @Test func ignoresTrailingPartialLine() throws {
        try withTemporaryDirectory { dir throws in
            let path = try writeLog([line(1), line(2)], in: dir)
            try appendRaw(Array(line(3).utf8.dropLast(5)), to: path)
            #expect(try ChangeLogReader(path: path).read(after: 0).map(\.seq) == [1, 2])
            try appendRaw(Array(line(3).utf8.suffix(5)) + [0x0A], to: path)
            #expect(try ChangeLogReader(path: path).read(after: 1).map(\.seq) == [2, 3])
        }
    }

    @Test func skipsFragmentWhenSeqsStayContiguous() throws {
        try withTemporaryDirectory { dir throws in
            let path = try writeLog([line(1), line(2), #"{"data":{"x"#, line(3)], in: dir)
            #expect(try ChangeLogReader(path: path).read(after: 0).map(\.seq) == [1, 2, 3])
            #expect(try ChangeLogReader(path: path).read(after: 2).map(\.seq) == [3])
        }
    }

    @Test func detectsAGapAsCorrupt() throws {
        try withTemporaryDirectory { dir throws in
            let path = try writeLog([line(1), line(2), line(4)], in: dir)
            let error = #expect(throws: StoreError.self) { _ = try ChangeLogReader(path: path).read(after: 0) }
            #expect(error?.code == .corrupt)
            #expect(error?.message.contains("seq 4 follows seq 2") == true)
            #expect(error?.message.contains("events 3...3 are missing") == true)
            // Events before the gap are still readable.
            #expect(try ChangeLogReader(path: path).read(after: 4).isEmpty)
        }
    }

    @Test func fragmentHidingAGapIsCorrupt() throws {
        try withTemporaryDirectory { dir throws in
            let path = try writeLog([line(1), "garbage", line(3)], in: dir)
            let error = #expect(throws: StoreError.self) { _ = try ChangeLogReader(path: path).read(after: 0) }
            #expect(error?.code == .corrupt)
            #expect(error?.message.contains("unparseable") == true)
        }
    }

    @Test func logNotStartingAtOneIsCorrupt() throws {
        try withTemporaryDirectory { dir throws in
            let path = try writeLog([line(2), line(3)], in: dir)
            let error = #expect(throws: StoreError.self) { _ = try ChangeLogReader(path: path).read(after: 0) }
            #expect(error?.message.contains("the first event has seq 2") == true)
            #expect(try ChangeLogReader(path: path).read(after: 2).map(\.seq) == [3])
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func followYieldsAppendedEvents() async throws {
        try await withTemporaryDirectory { dir async throws in
            let reader = ChangeLogReader(stateDirectory: dir)
            var iterator = reader.follow(after: 0, pollInterval: .milliseconds(5)).makeAsyncIterator()

            // The log does not exist yet when following starts.
            let log = try ChangeLog.open(stateDirectory: dir, logger: makeLogger())
            defer { log.close() }
            _ = try log.append([PendingEvent(type: "a", subject: "1"), PendingEvent(type: "a", subject: "2")])
            var seen: [UInt64] = []
            while seen.count < 2, let batch = try await iterator.next() {
                seen += batch.map(\.seq)
            }
            #expect(seen == [1, 2])

            _ = try log.append([PendingEvent(type: "b", subject: "3")])
            let batch = try await iterator.next()
            #expect(batch?.map(\.seq) == [3])
            let event = try StateJSON.decode(ChangeEvent.self, from: try #require(batch?.first?.line))
            #expect(event.type == "b")
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func followStartsAfterTheGivenSeqAndEndsOnCancel() async throws {
        try await withTemporaryDirectory { dir async throws in
            let path = try writeLog((1...5).map(line), in: dir)
            let stream = ChangeLogReader(path: path).follow(after: 3, pollInterval: .milliseconds(5))
            let consumer = Task {
                var seen: [UInt64] = []
                for try await batch in stream {
                    seen += batch.map(\.seq)
                    // Cancelling the consuming task must end the stream (otherwise this loop never returns).
                    if seen.count >= 2 { withUnsafeCurrentTask { $0?.cancel() } }
                }
                return seen
            }
            #expect(try await consumer.value == [4, 5])
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func followReportsCorruption() async throws {
        try await withTemporaryDirectory { dir async throws in
            let path = try writeLog([line(1), line(3)], in: dir)
            var iterator = ChangeLogReader(path: path).follow(after: 0, pollInterval: .milliseconds(5))
                .makeAsyncIterator()
            await #expect(throws: StoreError.self) { _ = try await iterator.next() }
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func followReportsAReplacedLog() async throws {
        try await withTemporaryDirectory { dir async throws in
            let path = try writeLog((1...3).map(line), in: dir)
            var iterator = ChangeLogReader(path: path).follow(after: 0, pollInterval: .milliseconds(5))
                .makeAsyncIterator()
            #expect(try await iterator.next()?.map(\.seq) == [1, 2, 3])
            // AtomicFile replaces the file by rename: a new inode, as when a new log (epoch) is started.
            _ = try writeLog([line(1)], in: dir)
            let error = await #expect(throws: StoreError.self) { _ = try await iterator.next() }
            #expect(error?.message.contains("replaced") == true)
        }
    }
}
