import Foundation

/// The systemd notify protocol, spoken directly: one datagram per message to `$NOTIFY_SOCKET`.
public struct SystemdNotifier: Sendable {
    let socketPath: String?

    /// Reads `NOTIFY_SOCKET` from the environment; without it every call does nothing.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        socketPath = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Whether a service manager listens.
    public var isActive: Bool { socketPath != nil }

    /// Sends `message` (lines such as `READY=1\nSTATUS=…`). Failures are ignored: systemd may be gone. Never
    /// blocks: a listener that stopped reading (its buffer full) loses the message instead of stalling the daemon.
    @discardableResult
    public func notify(_ message: String) -> Bool {
        guard let socketPath else { return false }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let payload = Array(message.utf8)
        let sent = UnixSocketAddress.with(socketPath) { address, length in
            payload.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT), address, length) }
        }
        return sent == payload.count
    }

    /// Half the watchdog interval, when systemd asked for pings (`WATCHDOG_USEC`, and `WATCHDOG_PID` is ours).
    public static func watchdogInterval(environment: [String: String] = ProcessInfo.processInfo.environment) -> Duration? {
        guard let usecText = environment["WATCHDOG_USEC"], let usec = Int64(usecText), usec > 0 else { return nil }
        if let pid = environment["WATCHDOG_PID"], let n = Int32(pid), n != getpid() { return nil }
        return .microseconds(usec / 2)
    }
}
