internal import CCurl

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One libcurl easy handle and the response it collects.
///
/// Lives only on the curl thread, so it is not `Sendable`. libcurl callbacks receive it as an unretained
/// pointer; the multi loop keeps it alive for as long as the handle is attached.
final class EasyTransfer {
    let job: FetchQueue.Job
    let handle: UnsafeMutableRawPointer
    /// The address policy of this hop: `.any` for the request's trusted host, else the request's policy.
    let addressPolicy: AddressPolicy
    private let timeout: Duration
    private let maxBodyBytes: Int
    private let configuration: FetchConfiguration
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer: UnsafeMutablePointer<CChar>

    private(set) var body: [UInt8] = []
    private(set) var headers: [String: String] = [:]
    private var lastHeaderName: String?
    private(set) var exceededBodyLimit = false
    /// The address the open-socket check refused most recently, for the error message.
    private(set) var refusedAddress: String?

    var id: UInt64 { job.id }
    var request: FetchRequest { job.request }

    /// - Parameter timeout: what is left of the fetch's total timeout for this hop.
    init(job: FetchQueue.Job, timeout: Duration, configuration: FetchConfiguration) throws(FetchError) {
        guard let handle = curl_easy_init() else {
            throw FetchError(.internalError, "libcurl could not create a transfer handle (out of memory?)")
        }
        self.job = job
        self.handle = handle
        self.addressPolicy = job.request.addressPolicy(forHost: job.host)
        self.timeout = timeout
        self.configuration = configuration
        self.maxBodyBytes = configuration.maxBodyBytes
        self.errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        curl_easy_cleanup(handle)
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    /// Sets every option for the request. `share` isolates the connection pool of `.publicOnly` transfers.
    func configure(share: UnsafeMutableRawPointer?) throws(FetchError) {
        let me = Unmanaged.passUnretained(self).toOpaque()
        var failed: (String, CURLcode)?
        func check(_ name: String, _ code: CURLcode) {
            if code != CURLE_OK && failed == nil { failed = (name, code) }
        }

        check("ERRORBUFFER", herald_curl_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer))
        check("URL", herald_curl_easy_setopt_string(handle, CURLOPT_URL, job.url))
        check("NOSIGNAL", herald_curl_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1))
        // file:// is read by LocalFileReader, never by libcurl.
        check("PROTOCOLS_STR", herald_curl_easy_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https"))
        // Redirects are followed by the multi loop, one transfer per hop, so that every hop gets its own address
        // policy and its own place in the host's politeness budget.
        check("FOLLOWLOCATION", herald_curl_easy_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0))
        // An empty string asks for every encoding this libcurl can decode (gzip, deflate, br, zstd).
        check("ACCEPT_ENCODING", herald_curl_easy_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, ""))
        check(
            "CONNECTTIMEOUT_MS",
            herald_curl_easy_setopt_long(
                handle,
                CURLOPT_CONNECTTIMEOUT_MS,
                min(configuration.connectTimeout, timeout).curlMilliseconds
            )
        )
        check("TIMEOUT_MS", herald_curl_easy_setopt_long(handle, CURLOPT_TIMEOUT_MS, timeout.curlMilliseconds))
        // Rejects early when Content-Length alone exceeds the cap; the write callback enforces the decoded size.
        if maxBodyBytes > 0 {
            check(
                "MAXFILESIZE_LARGE",
                herald_curl_easy_setopt_off_t(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(maxBodyBytes))
            )
        }
        check("USERAGENT", herald_curl_easy_setopt_string(handle, CURLOPT_USERAGENT, configuration.userAgent))

        var extraHeaders: [String] = []
        if let etag = request.etag, !etag.isEmpty { extraHeaders.append("If-None-Match: \(etag)") }
        if let lastModified = request.lastModified, !lastModified.isEmpty {
            extraHeaders.append("If-Modified-Since: \(lastModified)")
        }
        if let accept = request.accept, !accept.isEmpty { extraHeaders.append("Accept: \(accept)") }
        // A value with CR or LF could inject headers; such a value is dropped.
        for line in extraHeaders where !line.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" }) {
            headerList = curl_slist_append(headerList, line)
        }
        if let headerList {
            check("HTTPHEADER", herald_curl_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList))
        }

        check("HEADERFUNCTION", herald_curl_easy_setopt_header_callback(handle, easyTransferHeaderCallback))
        check("HEADERDATA", herald_curl_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, me))
        check("WRITEFUNCTION", herald_curl_easy_setopt_write_callback(handle, easyTransferWriteCallback))
        check("WRITEDATA", herald_curl_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, me))

        if addressPolicy == .publicOnly {
            check("OPENSOCKETFUNCTION", herald_curl_easy_setopt_opensocket_callback(handle, easyTransferOpenSocket))
            check("OPENSOCKETDATA", herald_curl_easy_setopt_pointer(handle, CURLOPT_OPENSOCKETDATA, me))
            if let share {
                check("SHARE", herald_curl_easy_setopt_share(handle, share))
            }
        }

        if let (name, code) = failed {
            let reason = String(cString: curl_easy_strerror(code))
            throw FetchError(.internalError, "libcurl rejected option CURLOPT_\(name) for \(request.url): \(reason)")
        }
    }

    // MARK: - Callbacks

    fileprivate func receiveHeader(_ bytes: UnsafeRawBufferPointer) {
        var end = bytes.count
        while end > 0 && (bytes[end - 1] == 13 || bytes[end - 1] == 10) { end -= 1 }
        // Swift treats "\r\n" as one Character, so trim the bytes before making a String.
        let line = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[..<end]), as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            // A new response begins (redirect hop, 100 Continue): keep only the final response's headers.
            headers.removeAll(keepingCapacity: true)
            lastHeaderName = nil
            return
        }
        if line.isEmpty { return }
        if line.first == " " || line.first == "\t" {
            // Obsolete line folding: the line continues the previous header's value.
            if let name = lastHeaderName, let value = headers[name] {
                headers[name] = value + " " + line.trimmingSpaces()
            }
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = String(line[..<colon]).trimmingSpaces().lowercased()
        let value = String(line[line.index(after: colon)...]).trimmingSpaces()
        guard !name.isEmpty else { return }
        if name == "cache-control", let earlier = headers[name], !earlier.isEmpty {
            headers[name] = earlier + ", " + value  // a list header: repeated lines are one list
        } else {
            headers[name] = value
        }
        lastHeaderName = name
    }

    fileprivate func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        if body.count + bytes.count > maxBodyBytes {
            exceededBodyLimit = true
            return 0  // any count other than bytes.count makes libcurl abort with CURLE_WRITE_ERROR
        }
        body.append(contentsOf: bytes)
        return bytes.count
    }

    fileprivate func openSocket(purpose: curlsocktype, address: UnsafeMutablePointer<curl_sockaddr>) -> curl_socket_t {
        let family = address.pointee.family
        let raw = UnsafeRawPointer(herald_curl_sockaddr_address(address)!)
        var ip: IPAddress?
        if family == AF_INET {
            let sin = raw.loadUnaligned(as: sockaddr_in.self)
            ip = IPAddress(v4: UInt32(bigEndian: sin.sin_addr.s_addr))
        } else if family == AF_INET6 {
            let sin6 = raw.loadUnaligned(as: sockaddr_in6.self)
            ip = IPAddress(v6: withUnsafeBytes(of: sin6.sin6_addr) { Array($0) })
        }
        guard let ip, ip.isPublic else {
            refusedAddress = ip?.description ?? "a non-IP address (family \(family))"
            return CURL_SOCKET_BAD
        }
        #if os(Linux)
            let socketType = address.pointee.socktype | Int32(SOCK_CLOEXEC.rawValue)
        #else
            let socketType = address.pointee.socktype
        #endif
        return socket(family, socketType, address.pointee.protocol)
    }

    // MARK: - Result

    /// What one hop gave: the response, and where it redirects to when it is a redirect with a Location.
    struct Hop {
        var response: FetchResponse
        var redirectURL: String?
    }

    /// Statuses whose Location is followed.
    static let redirectStatuses: Set<Int> = [301, 302, 303, 307, 308]

    /// Turns the transfer's outcome into a response or an error.
    func finish(_ code: CURLcode) -> Result<Hop, FetchError> {
        guard code == CURLE_OK else { return .failure(error(for: code)) }
        var status = 0
        _ = herald_curl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        var urlPointer: UnsafeMutablePointer<CChar>?
        _ = herald_curl_easy_getinfo_string(handle, CURLINFO_EFFECTIVE_URL, &urlPointer)
        let effectiveURL = urlPointer.map { String(cString: $0) } ?? job.url
        var redirectURL: String?
        if EasyTransfer.redirectStatuses.contains(status) {
            // libcurl resolves a relative Location against the URL of this hop (RFC 3986 §5).
            var redirectPointer: UnsafeMutablePointer<CChar>?
            _ = herald_curl_easy_getinfo_string(handle, CURLINFO_REDIRECT_URL, &redirectPointer)
            redirectURL = redirectPointer.map { String(cString: $0) }
        }
        var contentType = headers["content-type"]
        if contentType == nil {
            var typePointer: UnsafeMutablePointer<CChar>?
            _ = herald_curl_easy_getinfo_string(handle, CURLINFO_CONTENT_TYPE, &typePointer)
            contentType = typePointer.map { String(cString: $0) }
        }
        let response = FetchResponse(
            status: status,
            headers: headers,
            body: body,
            effectiveURL: effectiveURL,
            contentType: contentType,
            etag: headers["etag"],
            lastModified: headers["last-modified"],
            redirects: job.redirects
        )
        return .success(Hop(response: response, redirectURL: redirectURL))
    }

    /// The URL for messages: this hop, and the URL first asked for when a redirect led here.
    private var describedURL: String {
        job.redirects.isEmpty ? job.url : "\(job.url) (reached by a redirect from \(job.request.url))"
    }

    private func error(for code: CURLcode) -> FetchError {
        let detail = errorBuffer[0] != 0 ? String(cString: errorBuffer) : String(cString: curl_easy_strerror(code))
        let url = describedURL
        switch code {
        case CURLE_WRITE_ERROR where exceededBodyLimit:
            return FetchError(
                .tooLarge,
                "response from \(url) exceeded \(FetchConfiguration.describeBytes(maxBodyBytes)) after decoding; "
                    + "raise limits.max_body_bytes if this resource is legitimately that large"
            )
        case CURLE_FILESIZE_EXCEEDED:
            return FetchError(
                .tooLarge,
                "response from \(url) announced a Content-Length over "
                    + "\(FetchConfiguration.describeBytes(maxBodyBytes)); raise limits.max_body_bytes if this "
                    + "resource is legitimately that large"
            )
        case CURLE_COULDNT_CONNECT where refusedAddress != nil:
            return FetchError(
                .addressNotAllowed,
                "refused to connect to \(refusedAddress ?? "?") for \(url): links off the feed's own host may only "
                    + "reach public addresses (not loopback, private or link-local ones); set "
                    + "allow_private_networks: true to allow them"
            )
        case CURLE_UNSUPPORTED_PROTOCOL:
            return FetchError(
                .schemeNotAllowed,
                "\(url) (or a redirect from it) uses a scheme that is not allowed: \(detail)"
            )
        case CURLE_PARTIAL_FILE:
            return FetchError(
                .truncated, "the response from \(url) ended before its announced length (truncated): \(detail)")
        case CURLE_URL_MALFORMAT:
            return FetchError(.invalidURL, "\(url) is not a valid URL: \(detail)")
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return FetchError(.dns, "could not resolve the host name of \(url) (DNS): \(detail)")
        case CURLE_COULDNT_CONNECT:
            return FetchError(
                .connect,
                "could not connect for \(url) (connection refused or host unreachable): \(detail)"
            )
        case CURLE_OPERATION_TIMEDOUT:
            return FetchError(
                .timeout,
                "\(url) timed out (limits.connect_timeout is \(configuration.connectTimeout), limits.total_timeout "
                    + "is \(configuration.totalTimeout) for the whole fetch including redirects): \(detail)"
            )
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
            CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED,
            CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_SHUTDOWN_FAILED, CURLE_SSL_CRL_BADFILE, CURLE_USE_SSL_FAILED:
            return FetchError(
                .tls,
                "the TLS handshake or certificate check failed for \(url) (an invalid or untrusted "
                    + "certificate?): \(detail)"
            )
        case CURLE_ABORTED_BY_CALLBACK:
            return FetchError(.cancelled, "the fetch of \(url) was cancelled")
        case CURLE_OUT_OF_MEMORY, CURLE_FAILED_INIT, CURLE_BAD_FUNCTION_ARGUMENT, CURLE_NOT_BUILT_IN:
            return FetchError(.internalError, "libcurl failed internally for \(url): \(detail)")
        default:
            return FetchError(.network, "transfer of \(url) failed: \(detail) (curl error \(code.rawValue))")
        }
    }
}

// MARK: - C callbacks

private func easyTransferHeaderCallback(
    _ buffer: UnsafeMutablePointer<CChar>?,
    _ size: Int,
    _ count: Int,
    _ userdata: UnsafeMutableRawPointer?
) -> Int {
    guard let buffer, let userdata else { return 0 }
    let transfer = Unmanaged<EasyTransfer>.fromOpaque(userdata).takeUnretainedValue()
    transfer.receiveHeader(UnsafeRawBufferPointer(start: buffer, count: size * count))
    return size * count
}

private func easyTransferWriteCallback(
    _ buffer: UnsafeMutablePointer<CChar>?,
    _ size: Int,
    _ count: Int,
    _ userdata: UnsafeMutableRawPointer?
) -> Int {
    guard let buffer, let userdata else { return 0 }
    let transfer = Unmanaged<EasyTransfer>.fromOpaque(userdata).takeUnretainedValue()
    return transfer.receiveBody(UnsafeRawBufferPointer(start: buffer, count: size * count))
}

private func easyTransferOpenSocket(
    _ clientp: UnsafeMutableRawPointer?,
    _ purpose: curlsocktype,
    _ address: UnsafeMutablePointer<curl_sockaddr>?
) -> curl_socket_t {
    guard let clientp, let address else { return CURL_SOCKET_BAD }
    let transfer = Unmanaged<EasyTransfer>.fromOpaque(clientp).takeUnretainedValue()
    return transfer.openSocket(purpose: purpose, address: address)
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}

extension Duration {
    /// Whole milliseconds for a libcurl `_MS` option, at least 1 (0 would mean "no limit").
    var curlMilliseconds: Int {
        let (seconds, attoseconds) = components
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        return Int(max(1, milliseconds))
    }
}

extension FetchConfiguration {
    /// "15 MiB", "64 KiB" or "1000 bytes".
    static func describeBytes(_ count: Int) -> String {
        let mib = 1024 * 1024
        if count > 0 && count % mib == 0 { return "\(count / mib) MiB" }
        if count > 0 && count % 1024 == 0 { return "\(count / 1024) KiB" }
        return "\(count) bytes"
    }
}
