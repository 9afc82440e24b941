import Foundation
import Testing

@testable import HeraldStore

@Suite struct StateLockTests {
    @Test func secondAcquireOnAnotherDescriptorIsLocked() throws {
        try withTemporaryDirectory { dir throws in
            let lock = try StateLock.acquire(stateDirectory: dir, purpose: "run")
            defer { lock.release() }
            let error = #expect(throws: StoreError.self) {
                _ = try StateLock.acquire(stateDirectory: dir, purpose: "compact")
            }
            #expect(error?.code == .locked)
            #expect(
                error?.message == "state directory \(dir) is in use by another herald process (pid \(getpid()))")
            // The failed attempt must not have overwritten the holder's record.
            #expect(try fileLines("\(dir)/herald.lock") == ["\(getpid())", "run"])
        }
    }

    @Test func holderPIDReportsTheHolderAndNilWhenFree() throws {
        try withTemporaryDirectory { dir throws in
            #expect(StateLock.holderPID(stateDirectory: dir) == nil)
            let lock = try StateLock.acquire(stateDirectory: dir, purpose: "run")
            #expect(StateLock.holderPID(stateDirectory: dir) == getpid())
            // Probing must not take or keep the lock.
            #expect(StateLock.holderPID(stateDirectory: dir) == getpid())
            lock.release()
            #expect(StateLock.holderPID(stateDirectory: dir) == nil)
        }
    }

    @Test func releaseAllowsReacquireAndIsIdempotent() throws {
        try withTemporaryDirectory { dir throws in
            let first = try StateLock.acquire(stateDirectory: dir, purpose: "run")
            first.release()
            first.release()
            let second = try StateLock.acquire(stateDirectory: dir, purpose: "run")
            #expect(StateLock.holderPID(stateDirectory: dir) == getpid())
            second.release()
        }
    }

    @Test func deinitReleases() throws {
        try withTemporaryDirectory { dir throws in
            do {
                let lock = try StateLock.acquire(stateDirectory: dir, purpose: "run")
                _ = lock.purpose
            }
            #expect(StateLock.holderPID(stateDirectory: dir) == nil)
        }
    }

    @Test func createsTheStateDirectory() throws {
        try withTemporaryDirectory { dir throws in
            let lock = try StateLock.acquire(stateDirectory: "\(dir)/state", purpose: "run")
            defer { lock.release() }
            #expect(try directoryEntries("\(dir)/state") == ["herald.lock"])
        }
    }
}
