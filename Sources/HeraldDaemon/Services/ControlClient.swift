import Foundation

/// Talks to a running daemon over its control socket.
public enum ControlClient {
    /// Sends `request` and waits for the answer (a re-ingest may take a while).
    public static func send(_ request: ControlRequest, socketPath: String) throws -> ControlResponse {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SocketError("cannot create a socket", errno: errno) }
        defer { close(fd) }
        guard let connected = UnixSocketAddress.with(socketPath, { connect(fd, $0, $1) }) else {
            throw SocketError("socket path too long: \(socketPath)", errno: 0)
        }
        guard connected == 0 else { throw SocketError("cannot connect to the daemon at \(socketPath)", errno: errno) }
        var line = Array(try JSONEncoder().encode(request))
        line.append(0x0A)
        // A re-ingest of every feed may take long: the client waits a day at most.
        let deadline = ContinuousClock.now + .seconds(86_400)
        guard ControlServer.writeAll(fd, line, deadline: deadline) else {
            throw SocketError("cannot send the request", errno: errno)
        }
        guard case .line(let answer) = ControlServer.readLine(fd, limit: 16 << 20, deadline: deadline) else {
            throw SocketError("the daemon closed the connection without a complete answer", errno: 0)
        }
        return try JSONDecoder().decode(ControlResponse.self, from: Data(answer))
    }
}
