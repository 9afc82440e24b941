/// Why a fetch failed. HTTP error statuses (4xx, 5xx) are not errors: they arrive as a ``FetchResponse``.
public struct FetchError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure.
    public enum Code: String, Sendable {
        /// The URL could not be parsed.
        case invalidURL
        /// The URL (or a redirect target) uses a scheme that is not allowed.
        case schemeNotAllowed
        /// The host resolved to an address the request's ``AddressPolicy`` refuses.
        case addressNotAllowed
        /// The host name could not be resolved.
        case dns
        /// No connection could be made.
        case connect
        /// The TLS handshake or certificate check failed.
        case tls
        /// The connect timeout or total timeout passed.
        case timeout
        /// The decoded body exceeded ``FetchConfiguration/maxBodyBytes``.
        case tooLarge
        /// More redirects than ``FetchConfiguration/maxRedirects``.
        case tooManyRedirects
        /// A `file://` URL names something other than a regular file (a directory, FIFO, device, socket or
        /// symbolic link).
        case notRegularFile
        /// The host asked (by `Retry-After`) not to be contacted for longer than a fetch may wait in the queue.
        case deferred
        /// The response ended before the length it announced (the connection closed mid-body).
        case truncated
        /// The transfer failed after connecting (reset, truncated or malformed response, unreadable file).
        case network
        /// The fetch was cancelled, or the fetcher shut down.
        case cancelled
        /// libcurl could not be set up; this is a bug or resource exhaustion.
        case internalError
    }

    /// The kind of failure.
    public var code: Code
    /// What went wrong, for a person.
    public var message: String
    /// For ``Code/deferred``: when the host allows contact again (its `Retry-After`, as an instant).
    public var retryAfter: RetryAfter?

    /// Creates an error.
    public init(_ code: Code, _ message: String, retryAfter: RetryAfter? = nil) {
        self.code = code
        self.message = message
        self.retryAfter = retryAfter
    }

    /// `code: message`.
    public var description: String { "\(code.rawValue): \(message)" }
}
