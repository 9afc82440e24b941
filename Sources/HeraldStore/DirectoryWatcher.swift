import Glibc

/// Waits for changes in the change log's directories with inotify, falling back to sleeping when inotify is
/// unavailable. Watches `changes/` (segment writes, new segments) and the state directory (`changes/` appearing,
/// `log.json` rewritten).
final class DirectoryWatcher {
    private let stateDirectory: String
    private var fd: Int32 = -1
    private var watchingSegments = false

    init(stateDirectory: String) {
        self.stateDirectory = stateDirectory
        fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { return }
        let mask = UInt32(IN_CREATE | IN_MOVED_TO | IN_DELETE | IN_CLOSE_WRITE)
        _ = inotify_add_watch(fd, stateDirectory, mask)
        addSegmentWatch()
    }

    deinit {
        if fd >= 0 { Syscall.closeIgnoringErrors(fd) }
    }

    private func addSegmentWatch() {
        guard fd >= 0, !watchingSegments else { return }
        let mask = UInt32(IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_DELETE | IN_ATTRIB)
        watchingSegments = inotify_add_watch(fd, LogSegment.directory(in: stateDirectory), mask) >= 0
    }

    /// Returns when something changed or `timeout` passed.
    func wait(timeout: Duration) {
        let millis = Int32(min(Duration.seconds(60), timeout).nanoseconds / 1_000_000)
        guard fd >= 0 else {
            usleep(UInt32(millis) * 1000)
            return
        }
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, watchingSegments ? millis : min(millis, 50))
        if ready > 0 {
            var scratch = [UInt8](repeating: 0, count: 4096)
            while scratch.withUnsafeMutableBytes({ read(fd, $0.baseAddress, $0.count) }) > 0 {}
        }
        if !watchingSegments { addSegmentWatch() }
    }
}
