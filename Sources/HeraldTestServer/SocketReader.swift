#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads HTTP/1.1 requests from a connected socket, keeping bytes that belong to the next request.
struct SocketReader {
    let fd: Int32
    private var buffer: [UInt8] = []
    private static let maxHeadBytes = 64 * 1024
    private static let maxBodyBytes = 16 * 1024 * 1024

    init(fd: Int32) {
        self.fd = fd
    }

    /// The next request, or nil at end of stream, on error or on a malformed request.
    mutating func readRequest() -> TestRequest? {
        var headEnd: Int?
        var searchFrom = 0
        while true {
            if let end = Self.findHeadEnd(buffer, from: searchFrom) {
                headEnd = end
                break
            }
            searchFrom = max(0, buffer.count - 3)
            guard buffer.count < Self.maxHeadBytes, fill() else { return nil }
        }
        guard let headEnd else { return nil }
        let head = String(decoding: buffer[..<headEnd], as: UTF8.self)
        buffer.removeFirst(headEnd + 4)

        var lines = head.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        guard !lines.isEmpty else { return nil }
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count == 3 else { return nil }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimming(" \t").lowercased()
            headers[name] = line[line.index(after: colon)...].trimming(" \t")
        }
        let length = headers["content-length"].flatMap { Int($0) } ?? 0
        guard length >= 0, length <= Self.maxBodyBytes else { return nil }
        while buffer.count < length {
            guard fill() else { return nil }
        }
        let body = Array(buffer[..<length])
        buffer.removeFirst(length)
        return TestRequest(
            method: String(requestLine[0]),
            target: String(requestLine[1]),
            version: String(requestLine[2]),
            headers: headers,
            body: body
        )
    }

    /// Reads more bytes; false at end of stream or on error.
    private mutating func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                buffer += chunk[..<count]
                return true
            }
            if count < 0 && errno == EINTR { continue }
            return false
        }
    }

    private static func findHeadEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        guard bytes.count >= 4 else { return nil }
        var index = start
        while index + 3 < bytes.count {
            if bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
                return index
            }
            index += 1
        }
        return nil
    }
}
