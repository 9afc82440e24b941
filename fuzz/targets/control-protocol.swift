// libFuzzer target: the control protocol: a request line read from a socket (size cap, missing newline, early
// close) and decoded; then the answer encoded and read back the way the client does.
import Foundation
@testable import HeraldDaemon

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzControl(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var fds: [Int32] = [0, 0]
    guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0 else { return 0 }
    defer {
        close(fds[0])
        close(fds[1])
    }
    let bytes = Array(UnsafeBufferPointer(start: data, count: min(size, 128 * 1024)))
    _ = fcntl(fds[1], F_SETFL, fcntl(fds[1], F_GETFL) | O_NONBLOCK)
    _ = ControlServer.writeAll(fds[0], bytes, deadline: .now + .milliseconds(200))
    shutdown(fds[0], Int32(SHUT_WR))
    let result = ControlServer.readLine(fds[1], limit: 64 * 1024, deadline: .now + .milliseconds(200))
    guard case .line(let line) = result,
        let request = try? JSONDecoder().decode(ControlRequest.self, from: Data(line))
    else { return 0 }
    _ = request.scope
    let response = ControlResponse(ok: false, error: request.op, pid: 1)
    if let encoded = try? JSONEncoder().encode(response) {
        _ = try? JSONDecoder().decode(ControlResponse.self, from: encoded)
    }
    return 0
}
