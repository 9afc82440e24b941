import Foundation
import Testing

@testable import HeraldStore

@Suite struct ChangeLogReaderTests {
    private func line(_ seq: UInt64, epoch: String = "e", type: String = "x") -> String {
        #"{"data":{"seq":0},"epoch":"\#(epoch)","id":"\#(epoch):\#(seq)","seq":\#(seq),"subject":"s","#
            + #""time":"t","type":"\#(type)"}"#
    }

    /// Writes segment files by hand: first seq → lines.
    private func writeSegments(_ segments: [(UInt64, [String])], in dir: String) throws {
        for (first, lines) in segments {
            let path = LogSegment(stateDirectory: dir, firstSeq: first).path
            try AtomicFile.write(Array(lines.map { $0 + "\n" }.joined().utf8), to: path)
        }
    }

    @Test func readAfterReturnsExactlyTheLaterEventsAcrossSegments() throws {
        try withTemporaryDirectory { dir throws in
            try writeSegments([(1, (1...4).map { line($0) }), (5, (5...7).map { line($0) }), (8, [line(8)])], in: dir)
            let reader = ChangeLogReader(stateDirectory: dir)
            #expect(try reader.read(after: 0).map(\.seq) == Array(1...8))
            #expect(try reader.read(after: 3).map(\.seq) == Array(4...8))
            #expect(try reader.read(after: 4).map(\.seq) == Array(5...8))
            let later = try reader.read(after: 6)
            #expect(later.map(\.seq) == [7, 8])
            #expect(later.map { String(decoding: $0.line, as: UTF8.self) } == [line(7), line(8)])
            #expect(try reader.read(after: 8).isEmpty)
            #expect(try ChangeLogReader(path: "\(dir)/changes.ndjson").read(after: 5).map(\.seq) == [6, 7, 8])
        }
    }

    @Test func smallBatchLimitsLoseNothingAcrossSegments() throws {
        try withTemporaryDirectory { dir throws in
            try writeSegments(
                [(1, (1...7).map { line($0) }), (8, (8...9).map { line($0) }), (10, (10...20).map { line($0) })],
                in: dir)
            for limit in [1, 2, 3, 5, 8] {
                let tailer = try ChangeLogTailer(stateDirectory: dir, after: 0)
                var seen: [UInt64] = []
                while true {
                    let batch = try tailer.readAvailable(limit: limit)
                    if batch.isEmpty { break }
                    #expect(batch.count <= limit)
                    seen += batch.map(\.seq)
                }
                #expect(seen == Array(1...20))
            }
        }
    }

    @Test func missingLogReadsAsEmpty() throws {
        try withTemporaryDirectory { dir throws in
            #expect(try ChangeLogReader(stateDirectory: dir).read(after: 0).isEmpty)
        }
    }

    @Test func ignoresTrailingPartialLine() throws {
        try withTemporaryDirectory { dir throws in
            try writeSegments([(1, [line(1), line(2)])], in: dir)
            let path = LogSegment(stateDirectory: dir, firstSeq: 1).path
            try appendRaw(Array(line(3).utf8.dropLast(5)), to: path)
            let tailer = try ChangeLogTailer(stateDirectory: dir, after: 0)
            #expect(try tailer.readAvailable().map(\.seq) == [1, 2])
            try appendRaw(Array(line(3).utf8.suffix(5)), to: path)
            #expect(try tailer.readAvailable().isEmpty)
            try appendRaw([0x0A], to: path)
            #expect(try tailer.readAvailable().map(\.seq) == [3])
        }
    }

    @Test func skipsFragmentWhenSeqsStayContiguous() throws {
        try withTemporaryDirectory { dir throws in
            try writeSegments([(1, [line(1), line(2), #"{"data":{"x"#]), (3, [line(3)])], in: dir)
            #expect(try ChangeLogReader(stateDirectory: dir).read(after: 0).map(\.seq) == [1, 2, 3])
            #expect(try ChangeLogReader(stateDirectory: dir).read(after: 2).map(\.seq) == [3])
        }
    }

    @Test func detectsAGapAsCorrupt() throws {
        try withTemporaryDirectory { dir throws in
            try writeSegments([(1, [line(1), line(2), line(4)])], in: dir)
            let error = #expect(throws: StoreError.self) { _ = try ChangeLogReader(stateDirectory: dir).read(after: 0) }
            #expect(error?.code == .corrupt)
            #expect(error?.message.contains("expected seq 3 but found seq 4") == true)
            #expect(error?.message.contains("events 3...3 are missing") == true)
        }
    }

    @Test func detectsAGapBetweenSegmentsAsCorrupt() throws {
        try withTemporaryDirectory { dir throws in
            try writeSegments([(1, [line(1), line(2)]), (4, [line(4)])], in: dir)
            let error = #expect(throws: StoreError.self) { _ = try ChangeLogReader(stateDirectory: dir).read(after: 0) }
            #expect(error?.code == .corrupt)
        }
    }

    @Test func fragmentHidingAGapIsCorrupt() throws {
        try withTemporaryDirectory { dir throws in
            try writeSegments([(1, [line(1), "garbage", line(3)])], in: dir)
            let error = #expect(throws: StoreError.self) { _ = try ChangeLogReader(stateDirectory: dir).read(after: 0) }
            #expect(error?.code == .corrupt)
            #expect(error?.message.contains("unparseable") == true)
        }
    }

    @Test func duplicateSeqIsCorrupt() throws {
        try withTemporaryDirectory { dir throws in
            try writeSegments([(1, [line(1), line(2), line(2), line(3)])], in: dir)
            let error = #expect(throws: StoreError.self) { _ = try ChangeLogReader(stateDirectory: dir).read(after: 0) }
            #expect(error?.message.contains("go backwards") == true)
        }
    }

    @Test func logNotStartingAtOneIsCorrupt() throws {
        try withTemporaryDirectory { dir throws in
            try writeSegments([(1, [line(2), line(3)])], in: dir)
            let error = #expect(throws: StoreError.self) { _ = try ChangeLogReader(stateDirectory: dir).read(after: 0) }
            #expect(error?.code == .corrupt)
            #expect(try ChangeLogReader(stateDirectory: dir).read(after: 2).map(\.seq) == [3])
        }
    }

    // MARK: - Following

    @Test(.timeLimit(.minutes(1)))
    func followReadsAcrossRotationsWithoutDuplicatesOrGaps() async throws {
        try await withTemporaryDirectory { dir async throws in
            let stream = ChangeLogReader(stateDirectory: dir).follow(after: 0, pollInterval: .milliseconds(5))
            var options = ChangeLogOptions()
            options.segmentMaxBytes = 3000
            options.commitDelay = .zero
            // The log does not exist yet when following starts.
            let log = try openLog(dir, options: options)
            let writer = Task.detached {
                for n in 1...300 { _ = try log.appendAndWait([testEvent(n, padding: 100)]) }
            }
            var seen: [UInt64] = []
            for try await batch in stream {
                seen += batch.map(\.seq)
                if seen.count >= 300 { break }
            }
            try await writer.value
            #expect(seen == Array(1...300))
            #expect(log.statistics.rotations > 5)
            try log.close()
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func followStartsAfterTheGivenSeqAndEndsOnCancel() async throws {
        try await withTemporaryDirectory { dir async throws in
            try writeSegments([(1, (1...5).map { line($0) })], in: dir)
            let stream = ChangeLogReader(stateDirectory: dir).follow(after: 3, pollInterval: .milliseconds(5))
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
            try writeSegments([(1, [line(1), line(3)])], in: dir)
            var iterator = ChangeLogReader(stateDirectory: dir).follow(after: 0, pollInterval: .milliseconds(5))
                .makeAsyncIterator()
            await #expect(throws: StoreError.self) { _ = try await iterator.next() }
        }
    }

    @Test func tailerReportsAReplacedSegment() throws {
        try withTemporaryDirectory { dir throws in
            try writeSegments([(1, (1...3).map { line($0) })], in: dir)
            let tailer = try ChangeLogTailer(stateDirectory: dir, after: 0)
            #expect(try tailer.readAvailable().map(\.seq) == [1, 2, 3])
            // AtomicFile replaces the file by rename: a new inode, as when a backup is restored.
            try writeSegments([(1, [line(1)])], in: dir)
            let error = #expect(throws: StoreError.self) { _ = try tailer.readAvailable() }
            #expect(error?.message.contains("replaced") == true)
        }
    }

    @Test func tailerMovesOnWhenRetentionDeletesTheSegmentItReads() throws {
        try withTemporaryDirectory { dir throws in
            try writeSegments([(1, [line(1), line(2)])], in: dir)
            let tailer = try ChangeLogTailer(stateDirectory: dir, after: 0)
            #expect(try tailer.readAvailable().map(\.seq) == [1, 2])
            try writeSegments([(3, [line(3)])], in: dir)
            try FileManager.default.removeItem(atPath: LogSegment(stateDirectory: dir, firstSeq: 1).path)
            #expect(try tailer.readAvailable().map(\.seq) == [3])
        }
    }

    @Test func followerThatFellBehindRetentionIsToldSo() throws {
        try withTemporaryDirectory { dir throws in
            var options = ChangeLogOptions()
            options.segmentMaxAge = .zero
            let log = try openLog(dir, options: options)
            _ = try log.appendAndWait([testEvent(1)])
            let tailer = try ChangeLogTailer(stateDirectory: dir, after: 0)
            #expect(try tailer.readAvailable().map(\.seq) == [1])
            try log.close()
            options.retainSegments = 1
            let pruning = try openLog(dir, options: options)
            for n in 2...4 { _ = try pruning.appendAndWait([testEvent(n)]) }
            try pruning.close()
            let error = #expect(throws: ChangeLogCursorError.self) { _ = try tailer.readAvailable() }
            #expect(error?.code == .expired)
        }
    }

    @Test func cursorAtASegmentBoundaryIsCheckedAgainstTheEventBeforeIt() throws {
        try withTemporaryDirectory { dir throws in
            var options = ChangeLogOptions()
            options.segmentMaxAge = .zero
            let log = try openLog(dir, options: options)
            _ = try log.appendAndWait([testEvent(1)])
            _ = try log.appendAndWait([testEvent(2)])
            try log.close()
            // Seq 1 ends segment 1; the cursor names the wrong epoch for it, and log.json cannot vouch for it.
            #expect(throws: ChangeLogCursorError.self) {
                _ = try ChangeLogTailer(stateDirectory: dir, cursor: ChangeLogCursor(epoch: "wrong", seq: 1))
            }
            let tailer = try ChangeLogTailer(stateDirectory: dir, cursor: ChangeLogCursor(epoch: log.epoch, seq: 1))
            #expect(try tailer.readAvailable().map(\.seq) == [2])
        }
    }

    // MARK: - Cursors

    @Test func cursorResumesAfterItsSeqAndRecordsTheEpoch() throws {
        try withTemporaryDirectory { dir throws in
            let log = try openLog(dir)
            _ = try log.appendAndWait((1...5).map { testEvent($0) })
            let epoch = log.epoch
            let tailer = try ChangeLogTailer(stateDirectory: dir, cursor: ChangeLogCursor(epoch: epoch, seq: 2))
            #expect(tailer.cursor == ChangeLogCursor(epoch: epoch, seq: 2))
            #expect(try tailer.readAvailable().map(\.seq) == [3, 4, 5])
            #expect(tailer.cursor == ChangeLogCursor(epoch: epoch, seq: 5))

            let cursorPath = "\(dir)/reader.cursor"
            try tailer.cursor.save(to: cursorPath)
            #expect(try ChangeLogCursor.load(from: cursorPath) == ChangeLogCursor(epoch: epoch, seq: 5))
            #expect(try ChangeLogCursor.load(from: "\(dir)/missing.cursor") == nil)
            _ = try log.appendAndWait([testEvent(6)])
            try log.close()
            let saved = try #require(try ChangeLogCursor.load(from: cursorPath))
            let resumed = try ChangeLogTailer(stateDirectory: dir, cursor: saved)
            #expect(try resumed.readAvailable().map(\.seq) == [6])
            // A cursor at 0 is valid for any log.
            #expect(
                try ChangeLogTailer(stateDirectory: dir, cursor: .init(epoch: "", seq: 0)).readAvailable().count == 6)
        }
    }

    @Test func cursorFromAnotherEpochIsRejected() throws {
        try withTemporaryDirectory { dir throws in
            var log: ChangeLog? = try openLog(dir, boot: "A")
            let oldEpoch = log!.epoch
            _ = try log!.appendAndWait([testEvent(1), testEvent(2), testEvent(3)])
            log = nil
            // The machine crashed; suppose event 3 had been seen by a reader but lost: simulate by cutting it.
            let path = "\(dir)/changes/\(LogSegment.fileName(firstSeq: 1))"
            let lines = try fileLines(path)
            try ChangeLogTests.rewrite(path, Array(lines.prefix(2).map { $0 + "\n" }.joined().utf8))
            let after = try openLog(dir, boot: "B")
            _ = try after.appendAndWait([testEvent(4)])
            try after.close()
            // Event 3 now exists again, in the new epoch: the reader's cursor (old epoch, 3) must be refused.
            let error = #expect(throws: ChangeLogCursorError.self) {
                _ = try ChangeLogTailer(stateDirectory: dir, cursor: ChangeLogCursor(epoch: oldEpoch, seq: 3))
            }
            #expect(error?.code == .epochChanged)
            #expect(
                error?.message.contains("cursor is from epoch \(oldEpoch), the log is now epoch \(after.epoch)") == true
            )
            // A reader that had only seen event 2 continues and is told of the new epoch by the next event.
            let tailer = try ChangeLogTailer(stateDirectory: dir, cursor: ChangeLogCursor(epoch: oldEpoch, seq: 2))
            let events = try tailer.readAvailable()
            #expect(events.map(\.seq) == [3, 4])
            #expect(events[0].type == ChangeLog.epochEventType)
            #expect(events[0].epoch == after.epoch)
        }
    }

    @Test func cursorAheadOfTheLogIsRejected() throws {
        try withTemporaryDirectory { dir throws in
            let log = try openLog(dir)
            _ = try log.appendAndWait([testEvent(1)])
            try log.close()
            let error = #expect(throws: ChangeLogCursorError.self) {
                _ = try ChangeLogTailer(stateDirectory: dir, cursor: ChangeLogCursor(epoch: log.epoch, seq: 9))
            }
            #expect(error?.code == .epochChanged)
            #expect(error?.message.contains("ends at seq 1") == true)
        }
    }

    @Test func cursorOlderThanRetentionIsExpiredButTheBoundaryIsAccepted() throws {
        try withTemporaryDirectory { dir throws in
            var options = ChangeLogOptions()
            options.segmentMaxAge = .zero
            options.retainSegments = 2
            let log = try openLog(dir, options: options)
            for n in 1...5 { _ = try log.appendAndWait([testEvent(n)]) }
            try log.close()
            #expect(try metadataJSON(dir)["first_seq"] == 4)
            let error = #expect(throws: ChangeLogCursorError.self) {
                _ = try ChangeLogTailer(stateDirectory: dir, cursor: ChangeLogCursor(epoch: log.epoch, seq: 2))
            }
            #expect(error?.code == .expired)
            // Seq 3 is just before the first retained event: its epoch comes from log.json.
            let tailer = try ChangeLogTailer(stateDirectory: dir, cursor: ChangeLogCursor(epoch: log.epoch, seq: 3))
            #expect(try tailer.readAvailable().map(\.seq) == [4, 5])
            #expect(throws: ChangeLogCursorError.self) {
                _ = try ChangeLogTailer(stateDirectory: dir, cursor: ChangeLogCursor(epoch: "other", seq: 3))
            }
        }
    }
}
