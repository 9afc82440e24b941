import Foundation

/// Talks to a running daemon over its control socket.
public enum ControlClient {
    /// Sends `request` and waits for the answer (a re-ingest may take a while).
    public static func send(_ request: ControlRequest, socketPath: String) throws -> ControlResponse {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SocketError("cannot create a socket", errno: errno) }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(socketPath.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw SocketError("socket path too long: \(socketPath)", errno: 0)
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else { throw SocketError("cannot connect to the daemon at \(socketPath)", errno: errno) }
        var line = Array(try JSONEncoder().encode(request))
        line.append(0x0A)
        guard ControlServer.writeAll(fd, line) else { throw SocketError("cannot send the request", errno: errno) }
        guard let answer = ControlServer.readLine(fd, limit: 16 << 20) else {
            throw SocketError("the daemon closed the connection without an answer", errno: 0)
        }
        return try JSONDecoder().decode(ControlResponse.self, from: Data(answer))
    }
}
