internal import CCurl

/// The parts of a URL as libcurl reads it, so that budgets, robots.txt and address checks agree with the
/// connection libcurl will make.
struct CurlURL: Sendable, Equatable {
    /// Lowercased scheme.
    var scheme: String
    /// Host as ``HostName/normalized(_:)`` spells it; empty for `file:` URLs.
    var host: String
    /// The port, the scheme's default when the URL names none (nil for `file:`).
    var port: Int?
    /// The path, percent-decoded when `decodePath` was set.
    var path: String
    /// The query without `?`, if any.
    var query: String?

    /// Parses an absolute URL; nil when libcurl refuses it.
    init?(_ url: String, decodePath: Bool = false) {
        guard let handle = curl_url() else { return nil }
        defer { curl_url_cleanup(handle) }
        guard curl_url_set(handle, CURLUPART_URL, url, herald_curlu_non_support_scheme()) == CURLUE_OK else {
            return nil
        }
        func part(_ which: CURLUPart, _ flags: UInt32 = 0) -> String? {
            var value: UnsafeMutablePointer<CChar>?
            guard curl_url_get(handle, which, &value, flags) == CURLUE_OK, let value else { return nil }
            defer { curl_free(value) }
            return String(cString: value)
        }
        guard let scheme = part(CURLUPART_SCHEME) else { return nil }
        self.scheme = scheme.lowercased()
        self.host = part(CURLUPART_HOST).map(HostName.normalized) ?? ""
        self.port = part(CURLUPART_PORT, herald_curlu_default_port()).flatMap { Int($0) }
        self.path = part(CURLUPART_PATH, decodePath ? herald_curlu_urldecode() : 0) ?? "/"
        self.query = part(CURLUPART_QUERY)
    }

    /// `scheme://host[:port]` with the default port left out: the key of a robots.txt file.
    var origin: String {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        let defaultPort = scheme == "https" ? 443 : scheme == "http" ? 80 : nil
        if let port, port != defaultPort { return "\(scheme)://\(hostPart):\(port)" }
        return "\(scheme)://\(hostPart)"
    }

    /// The path and query as a robots.txt rule sees them.
    var pathAndQuery: String {
        guard let query else { return path }
        return path + "?" + query
    }
}
