/// Turns a ``TestResponse`` into HTTP/1.1 bytes, applying conditional requests, gzip and framing headers.
enum ResponseEncoder {
    static func encode(_ response: TestResponse, for request: TestRequest, keepAlive: Bool) -> [UInt8] {
        var status = response.status
        var headers = response.headers
        var body = response.body
        func hasHeader(_ name: String) -> Bool { headers.contains { $0.0.lowercased() == name } }

        if (200..<300).contains(status) {
            var validatorsMatch: Bool?
            if response.autoETag {
                let etag = etag(for: response.body)
                if !hasHeader("etag") { headers.append(("ETag", etag)) }
                if let ifNoneMatch = request.headers["if-none-match"] {
                    let candidates = ifNoneMatch.split(separator: ",").map {
                        $0.trimming(" \t").replacing("W/", with: "")
                    }
                    validatorsMatch = candidates.contains("*") || candidates.contains(etag)
                }
            }
            if let lastModified = response.lastModified {
                if !hasHeader("last-modified") { headers.append(("Last-Modified", lastModified)) }
                // If-None-Match wins over If-Modified-Since when both are sent (RFC 9110 13.2.2).
                if validatorsMatch == nil, let since = request.headers["if-modified-since"] {
                    validatorsMatch = since == lastModified
                }
            }
            if validatorsMatch == true && (request.method == "GET" || request.method == "HEAD") {
                status = 304
            }
        }

        let bodyless = status == 304 || status == 204 || (100..<200).contains(status)
        if bodyless {
            body = []
        } else if response.gzip && acceptsGzip(request.headers["accept-encoding"]) {
            body = Gzip.encode(body, compression: response.gzipCompression)
            headers.append(("Content-Encoding", "gzip"))
            headers.append(("Vary", "Accept-Encoding"))
        }
        if !bodyless { headers.append(("Content-Length", String(body.count))) }
        headers.append(("Connection", keepAlive ? "keep-alive" : "close"))
        headers.append(("Server", "HeraldTestServer"))

        var text = "HTTP/1.1 \(status) \(reasonPhrase(status))\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        text += "\r\n"
        var bytes = Array(text.utf8)
        if request.method != "HEAD" { bytes += body }
        return bytes
    }

    /// A strong ETag from the FNV-1a 64-bit hash of the body.
    static func etag(for body: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in body {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return "\"" + String(repeating: "0", count: 16 - hex.count) + hex + "\""
    }

    /// Whether an Accept-Encoding header lists gzip (or `*`) with a non-zero quality.
    static func acceptsGzip(_ header: String?) -> Bool {
        guard let header else { return false }
        for item in header.split(separator: ",") {
            let parts = item.split(separator: ";").map { $0.trimming(" \t").lowercased() }
            guard let coding = parts.first, coding == "gzip" || coding == "x-gzip" || coding == "*" else { continue }
            let quality = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            if quality > 0 { return true }
        }
        return false
    }

    static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 201: "Created"
        case 204: "No Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 303: "See Other"
        case 304: "Not Modified"
        case 307: "Temporary Redirect"
        case 308: "Permanent Redirect"
        case 400: "Bad Request"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 410: "Gone"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }
}
