import Foundation
import Logging
import Testing

@testable import HeraldDaemon

/// The control socket serves each connection on its own: idle, dripping, oversized or silent clients cost only
/// their own slot.
@Suite struct ControlServerTests {
    private static func socketPath() -> String {
        "/tmp/herald-ctl-\(UUID().uuidString.prefix(8).lowercased()).sock"
    }

    private static func startServer(
        _ path: String, limits: ControlServer.Limits = .init()
    ) throws -> ControlServer {
        let server = try ControlServer(path: path, logger: Logger(label: "test"), limits: limits) { request in
            ControlResponse(ok: request.op == "ping", pid: getpid())
        }
        server.start()
        return server
    }

    /// A connected client socket (blocking), or nil.
    private static func connectClient(_ path: String) -> Int32? {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0, UnixSocketAddress.with(path, { connect(fd, $0, $1) }) == 0 else {
            if fd >= 0 { close(fd) }
            return nil
        }
        return fd
    }

    /// True while the server has neither answered nor closed `fd`.
    private static func stillOpen(_ fd: Int32) -> Bool {
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&pfd, 1, 0) == 0
    }

    private static func send(_ fd: Int32, _ text: String) {
        _ = ControlServer.writeAll(fd, Array(text.utf8), deadline: .now + .seconds(5))
    }

    @Test func idleAndDrippingClientsDoNotDelayAPing() throws {
        let path = Self.socketPath()
        // A deadline far beyond the test, so a loaded machine never times the idle clients out first.
        let server = try Self.startServer(path, limits: .init(deadline: .seconds(600)))
        defer { server.stop() }
        let idle = (0..<3).compactMap { _ in Self.connectClient(path) }
        #expect(idle.count == 3)
        let dripper = try #require(Self.connectClient(path))
        defer { (idle + [dripper]).forEach { close($0) } }
        Self.send(dripper, "{")
        Self.send(dripper, "\"")

        let response = try ControlClient.send(ControlRequest(op: "ping"), socketPath: path)
        #expect(response.ok)
        #expect(response.pid == getpid())
        // The ping was answered while every other client still held its connection: nobody waited on them.
        for fd in idle + [dripper] { #expect(Self.stillOpen(fd)) }
        Self.send(dripper, "o")
        let again = try ControlClient.send(ControlRequest(op: "ping"), socketPath: path)
        #expect(again.ok)
        #expect(Self.stillOpen(dripper))
    }

    @Test func aSilentClientIsAnsweredAtTheDeadline() throws {
        let path = Self.socketPath()
        let server = try Self.startServer(path, limits: .init(connections: 4, deadline: .milliseconds(200)))
        defer { server.stop() }
        let silent = try #require(Self.connectClient(path))
        defer { close(silent) }
        // Blocks until the server gives up on the line, however long that takes on a loaded machine.
        guard case .line(let answer) = ControlServer.readLine(silent, limit: 4096, deadline: .now + .seconds(60))
        else {
            Issue.record("no answer before the connection closed")
            return
        }
        let response = try JSONDecoder().decode(ControlResponse.self, from: Data(answer))
        #expect(response.ok == false)
        #expect(response.error?.contains("no complete request line") == true)
    }

    @Test func anOversizedLineIsRefused() throws {
        let path = Self.socketPath()
        let server = try Self.startServer(path, limits: .init(connections: 4, lineBytes: 1024))
        defer { server.stop() }
        let client = try #require(Self.connectClient(path))
        defer { close(client) }
        Self.send(client, String(repeating: "x", count: 4096))
        guard case .line(let answer) = ControlServer.readLine(client, limit: 4096, deadline: .now + .seconds(60))
        else {
            Issue.record("no answer")
            return
        }
        let response = try JSONDecoder().decode(ControlResponse.self, from: Data(answer))
        #expect(response.error?.contains("longer than 1024 bytes") == true)
    }

    @Test func connectionsBeyondTheLimitAreToldToRetry() throws {
        let path = Self.socketPath()
        let server = try Self.startServer(path, limits: .init(connections: 2, deadline: .seconds(600)))
        defer { server.stop() }
        let held = (0..<2).compactMap { _ in Self.connectClient(path) }
        defer { held.forEach { close($0) } }
        // Each held connection is admitted in accept order, so the third is the one refused.
        let extra = try #require(Self.connectClient(path))
        defer { close(extra) }
        Self.send(extra, #"{"op":"ping"}"# + "\n")
        guard case .line(let answer) = ControlServer.readLine(extra, limit: 4096, deadline: .now + .seconds(60))
        else {
            Issue.record("no answer")
            return
        }
        #expect(String(decoding: answer, as: UTF8.self).contains("too many"))
        for fd in held { #expect(Self.stillOpen(fd)) }
    }

    @Test func theSocketIsOwnerOnly() throws {
        let path = Self.socketPath()
        let server = try Self.startServer(path)
        defer { server.stop() }
        var st = stat()
        #expect(stat(path, &st) == 0)
        #expect(st.st_mode & 0o777 == 0o600)
    }
}
