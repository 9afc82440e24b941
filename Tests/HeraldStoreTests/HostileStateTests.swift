import Foundation
import Glibc
import Testing

@testable import HeraldStore

/// A local user with write access to the state directory plants links, FIFOs and huge lines: Herald refuses
/// them with an error naming the path, never follows a link out of the directory, and never blocks.
@Suite struct HostileStateTests {
    /// A file outside the state directory that a planted link points at.
    private func makeTarget(_ dir: String, content: String = "precious\n") throws -> String {
        let outside = "\(dir)/outside"
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        let target = "\(outside)/target"
        try Data(content.utf8).write(to: URL(fileURLWithPath: target))
        #expect(chmod(target, 0o600) == 0)
        return target
    }

    private func expectWrongType(_ path: String, _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("expected a wrongFileType error for \(path)")
        } catch let error as StoreError {
            #expect(error.code == .wrongFileType, "\(error)")
            #expect(error.path == path)
            #expect(error.message.contains(path))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func symlinkedLockIsRefusedAndItsTargetUntouched() throws {
        try withTemporaryDirectory { dir throws in
            let target = try makeTarget(dir)
            let state = "\(dir)/state"
            try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
            #expect(symlink(target, "\(state)/herald.lock") == 0)
            expectWrongType("\(state)/herald.lock") { _ = try StateLock.acquire(stateDirectory: state, purpose: "t") }
            #expect(StateLock.holderPID(stateDirectory: state) == nil)
            #expect(try String(contentsOfFile: target, encoding: .utf8) == "precious\n")
            #expect(try permissions(target) == 0o600)
        }
    }

    @Test func fifoLockIsRefusedWithoutBlocking() throws {
        try withTemporaryDirectory { dir throws in
            #expect(mkfifo("\(dir)/herald.lock", 0o600) == 0)
            expectWrongType("\(dir)/herald.lock") { _ = try StateLock.acquire(stateDirectory: dir, purpose: "t") }
        }
    }

    @Test func symlinkedActiveSegmentIsRefusedAndItsTargetUntouched() throws {
        try withTemporaryDirectory { dir throws in
            let target = try makeTarget(dir)
            let state = "\(dir)/state"
            let log = try openLog(state)
            _ = try log.appendAndWait([testEvent(1)])
            try log.close()
            let segment = "\(state)/changes/\(ChangeLogTests.first)"
            let original = try fileBytes(segment)
            // The attacker copies the segment's content into the target so that it parses.
            try Data(original).write(to: URL(fileURLWithPath: target))
            #expect(chmod(target, 0o400) == 0)
            #expect(unlink(segment) == 0)
            #expect(symlink(target, segment) == 0)
            expectWrongType(segment) { _ = try openLog(state) }
            expectWrongType(segment) { _ = try ChangeLogReader(stateDirectory: state).read(after: 0) }
            #expect(try fileBytes(target) == original)
            #expect(try permissions(target) == 0o400)
        }
    }

    @Test func symlinkedShardDirectoryIsRefusedWhileTheStateIsLocked() throws {
        try withTemporaryDirectory { dir throws in
            let outside = "\(dir)/outside"
            try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
            let state = "\(dir)/state"
            let lock = try StateLock.acquire(stateDirectory: state, purpose: "test")
            defer { lock.release() }
            try FileManager.default.createDirectory(atPath: "\(state)/articles", withIntermediateDirectories: true)
            #expect(symlink(outside, "\(state)/articles/ab") == 0)
            expectWrongType("\(state)/articles/ab") {
                try AtomicFile.write(Array("{}".utf8), to: "\(state)/articles/ab/abcdef.json")
            }
            try AtomicFile.write(Array("{}".utf8), to: "\(state)/articles/.staging/abcdef.json")
            expectWrongType("\(state)/articles/ab") {
                try AtomicFile.move("\(state)/articles/.staging/abcdef.json", to: "\(state)/articles/ab/abcdef.json")
            }
            expectWrongType("\(state)/articles/ab") { _ = try AtomicFile.read("\(state)/articles/ab/x.json") }
            #expect(try directoryEntries(outside).isEmpty)
            // A planted link as the file itself is refused too, not silently replaced.
            let target = try makeTarget(dir)
            #expect(symlink(target, "\(state)/feeds.json") == 0)
            expectWrongType("\(state)/feeds.json") { try AtomicFile.write(Array("x".utf8), to: "\(state)/feeds.json") }
            expectWrongType("\(state)/feeds.json") { _ = try AtomicFile.read("\(state)/feeds.json") }
            #expect(try String(contentsOfFile: target, encoding: .utf8) == "precious\n")
        }
    }

    @Test func theStateDirectoryItselfMayBeALink() throws {
        try withTemporaryDirectory { dir throws in
            try FileManager.default.createDirectory(atPath: "\(dir)/real", withIntermediateDirectories: true)
            #expect(symlink("\(dir)/real", "\(dir)/state") == 0)
            let lock = try StateLock.acquire(stateDirectory: "\(dir)/state", purpose: "test")
            defer { lock.release() }
            try AtomicFile.write(Array("1".utf8), to: "\(dir)/state/feeds/a.json")
            #expect(try fileBytes("\(dir)/real/feeds/a.json") == Array("1".utf8))
        }
    }

    @Test func fifoInPlaceOfASegmentIsAnErrorNotAHang() throws {
        try withTemporaryDirectory { dir throws in
            let log = try openLog(dir)
            _ = try log.appendAndWait([testEvent(1)])
            try log.close()
            let segment = "\(dir)/changes/\(ChangeLogTests.first)"
            #expect(unlink(segment) == 0)
            #expect(mkfifo(segment, 0o600) == 0)
            expectWrongType(segment) { _ = try ChangeLogReader(stateDirectory: dir).read(after: 0) }
            expectWrongType(segment) { _ = try ChangeLogReader(stateDirectory: dir).lastSeq() }
            expectWrongType(segment) { _ = try openLog(dir) }
        }
    }

    @Test func fifoInPlaceOfMetadataOrPayloadIsAnError() throws {
        try withTemporaryDirectory { dir throws in
            #expect(mkfifo("\(dir)/log.json", 0o600) == 0)
            expectWrongType("\(dir)/log.json") { _ = try ChangeLogReader(stateDirectory: dir).epoch() }
            let event = ChangeEvent(
                seq: 1, epoch: "e", time: "2026-01-01T00:00:00Z", type: "t", subject: "s",
                data: ["payload_ref": "../../outside.json", "payload_bytes": 3])
            do {
                _ = try ChangeLogReader(stateDirectory: dir).resolvedData(of: event)
                Issue.record("a payload reference leaving the state directory was followed")
            } catch let error as StoreError {
                #expect(error.code == .invalidArgument)
            }
        }
    }

    @Test func createdFilesAndDirectoriesAreNotWorldReadable() throws {
        try withTemporaryDirectory { dir throws in
            let state = "\(dir)/state"
            let lock = try StateLock.acquire(stateDirectory: state, purpose: "test")
            try AtomicFile.write(Array("{}".utf8), to: "\(state)/feeds/a.json")
            lock.release()
            let log = try openLog(state)
            _ = try log.appendAndWait([testEvent(1)])
            try log.close()
            let mask = Int(umask(0o022))
            umask(mode_t(mask))
            for path in [state, "\(state)/feeds", "\(state)/changes"] {
                #expect(try permissions(path) == 0o750 & ~mask, "\(path)")
            }
            for path in ["\(state)/herald.lock", "\(state)/feeds/a.json", "\(state)/log.json",
                         "\(state)/changes/\(ChangeLogTests.first)"] {
                #expect(try permissions(path) == 0o640 & ~mask, "\(path)")
            }
        }
    }

    // MARK: - Huge lines

    /// Writes `count` bytes of one unterminated-by-JSON line (ending in a newline) after one valid event.
    private func writeHugeLine(_ dir: String, bytes count: Int) throws -> String {
        let path = "\(dir)/huge-\(count).ndjson"
        var content = Array(#"{"seq":1}"#.utf8) + [0x0A]
        content += [UInt8](repeating: UInt8(ascii: "x"), count: count) + [0x0A]
        try Data(content).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func readBackwards(_ path: String) throws -> (lines: [Int], read: Int, copied: Int) {
        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        var st = stat()
        fstat(fd, &st)
        let end = try BackwardLineReader.completeEnd(fd: fd, size: Int64(st.st_size), path: path)
        var reader = BackwardLineReader(fd: fd, path: path, end: end)
        var lengths: [Int] = []
        while let (_, line) = try reader.next() { lengths.append(line.count) }
        return (lengths, reader.bytesRead, reader.bytesCopied)
    }

    @Test func backwardReaderIsLinearInALongLine() throws {
        try withTemporaryDirectory { dir throws in
            let small = 2 << 20
            let large = 8 << 20
            let a = try readBackwards(try writeHugeLine(dir, bytes: small))
            let b = try readBackwards(try writeHugeLine(dir, bytes: large))
            #expect(a.lines == [small, 9])
            #expect(b.lines == [large, 9])
            // Linear: four times the line, about four times the work (quadratic prepending made it sixteen).
            #expect(Double(b.copied) / Double(a.copied) < 4.5)
            #expect(Double(b.read) / Double(a.read) < 4.5)
            #expect(b.copied <= large + 64)
        }
    }

    @Test func tailAndOpenSkipAHugeLine() throws {
        try withTemporaryDirectory { dir throws in
            let log = try openLog(dir)
            _ = try log.appendAndWait([testEvent(1)])
            try log.close()
            let segment = "\(dir)/changes/\(ChangeLogTests.first)"
            #expect(chmod(segment, 0o640) == 0)
            try appendRaw([UInt8](repeating: UInt8(ascii: "x"), count: 6 << 20) + [0x0A], to: segment)
            #expect(try ChangeLogReader(stateDirectory: dir).read(after: 0).map(\.seq) == [1])
            #expect(try ChangeLogReader(stateDirectory: dir).lastSeq() == 1)
            let reopened = try openLog(dir)
            _ = try reopened.appendAndWait([testEvent(2)])
            try reopened.close()
            #expect(try allEvents(dir).map(\.seq).filter { $0 >= 1 }.count >= 2)
        }
    }
}
