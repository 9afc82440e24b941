internal import CCurl

/// Process-wide libcurl initialisation, performed once before the first ``Fetcher`` is created.
enum CurlGlobal {
    /// Swift initialises global and static constants once, thread-safely.
    private static let initResult: CURLcode = curl_global_init(herald_curl_global_all())

    static func ensureInitialized() throws(FetchError) {
        guard initResult == CURLE_OK else {
            throw FetchError(
                .internalError,
                "libcurl failed to initialise (curl_global_init returned \(initResult.rawValue))"
            )
        }
    }
}
