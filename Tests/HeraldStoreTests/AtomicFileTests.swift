import Foundation
import Testing

@testable import HeraldStore

@Suite struct AtomicFileTests {
    @Test func writesAndReadsBack() throws {
        try withTemporaryDirectory { dir throws in
            let path = "\(dir)/state.json"
            try AtomicFile.write(Array("hello".utf8), to: path)
            #expect(try AtomicFile.read(path) == Array("hello".utf8))
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            #expect((attributes[.posixPermissions] as? Int) == 0o640)
        }
    }

    @Test func replacesExistingContentAndLeavesNoTemporaryFiles() throws {
        try withTemporaryDirectory { dir throws in
            let path = "\(dir)/feed.json"
            try AtomicFile.write(Array(repeating: 0x41, count: 10_000), to: path)
            try AtomicFile.write(Array("short".utf8), to: path)
            #expect(try AtomicFile.read(path) == Array("short".utf8))
            #expect(try directoryEntries(dir) == ["feed.json"])
        }
    }

    @Test func writesEmptyFile() throws {
        try withTemporaryDirectory { dir throws in
            let path = "\(dir)/empty"
            try AtomicFile.write([], to: path)
            #expect(try AtomicFile.read(path) == [])
        }
    }

    @Test func createsMissingParentDirectories() throws {
        try withTemporaryDirectory { dir throws in
            let path = "\(dir)/state/feeds/x.json"
            try AtomicFile.write(Array("{}".utf8), to: path)
            #expect(try AtomicFile.read(path) == Array("{}".utf8))
            #expect(try directoryEntries("\(dir)/state/feeds") == ["x.json"])
        }
    }

    @Test func readOfMissingFileIsNil() throws {
        try withTemporaryDirectory { dir throws in
            let missing = "\(dir)/missing.json"
            let missingDirectory = "\(dir)/no/such/dir/file.json"
            #expect(try AtomicFile.read(missing) == nil)
            #expect(try AtomicFile.read(missingDirectory) == nil)
        }
    }

    @Test func failureRemovesTemporaryFileAndReportsPath() throws {
        try withTemporaryDirectory { dir throws in
            // The target is a directory: refused before any temporary file is written.
            try FileManager.default.createDirectory(atPath: "\(dir)/target/inner", withIntermediateDirectories: true)
            let error = #expect(throws: StoreError.self) {
                try AtomicFile.write(Array("x".utf8), to: "\(dir)/target")
            }
            #expect(error?.code == .wrongFileType)
            #expect(error?.path == "\(dir)/target")
            #expect(error?.message.contains("is a directory") == true)
            #expect(try directoryEntries(dir) == ["target"])
        }
    }

    @Test func parentThatIsAFileIsRejected() throws {
        try withTemporaryDirectory { dir throws in
            try AtomicFile.write(Array("x".utf8), to: "\(dir)/file")
            let error = #expect(throws: StoreError.self) {
                try AtomicFile.write(Array("y".utf8), to: "\(dir)/file/child.json")
            }
            #expect(error?.code == .wrongFileType)
            #expect(error?.message.contains("a directory belongs there") == true)
        }
    }

    @Test func splitsPaths() {
        #expect(AtomicFile.split("a/b/c.json") == ("a/b", "c.json"))
        #expect(AtomicFile.split("c.json") == (".", "c.json"))
        #expect(AtomicFile.split("/c.json") == ("/", "c.json"))
        #expect(AtomicFile.split("a//b/") == ("a", "b"))
    }
}

@Suite struct StoreErrorTests {
    @Test func errnoMessagesNameOperationPathAndErrno() {
        let fsync = Errno(rawValue: EIO).storeError(operation: "fsync", path: "state/feeds/x.json")
        #expect(fsync.code == .fsync)
        #expect(fsync.message == "fsync failed on state/feeds/x.json: Input/output error (EIO)")
        #expect(fsync.description == fsync.message)

        let full = Errno(rawValue: ENOSPC).storeError(operation: "write", path: "state/x.json")
        #expect(full.code == .noSpace)
        #expect(full.message == "disk full while writing state/x.json: No space left on device (ENOSPC)")

        let missing = Errno(rawValue: ENOENT).storeError(operation: "open", path: "a")
        #expect(missing.code == .notFound)
        let denied = Errno(rawValue: EACCES).storeError(operation: "open", path: "a")
        #expect(denied.code == .io)
        #expect(denied.message == "open failed on a: Permission denied (EACCES)")
    }
}
