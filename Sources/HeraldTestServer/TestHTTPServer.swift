/// A small HTTP/1.1 server on 127.0.0.1 for tests and benchmarks.
///
/// It binds a port chosen by the kernel, accepts on its own thread and serves each connection (with keep-alive)
/// on a thread of its own. Routes are matched on the full request target first, then on the path without the
/// query string; anything else is answered 404. The server stops when ``stop()`` is called or when it is released.
public final class TestHTTPServer: Sendable {
    private let core: HTTPServerCore

    /// The port the server listens on.
    public var port: Int { core.port }

    /// The base URL, `http://127.0.0.1:PORT`.
    public var baseURL: String { "http://127.0.0.1:\(core.port)" }

    /// Binds 127.0.0.1 on a free port and starts serving.
    /// - Throws: ``TestServerError`` when the socket cannot be set up.
    public init() throws {
        core = try HTTPServerCore()
    }

    deinit {
        core.stop()
    }

    /// Sets or replaces a route that always gives the same response.
    public func route(_ path: String, _ response: TestResponse) {
        core.route(path, .fixed(response))
    }

    /// Sets or replaces a route whose response is computed per request (on the connection's thread). A path
    /// ending in "/" also answers every path below it that has no route of its own.
    public func route(_ path: String, handler: @escaping @Sendable (TestRequest) -> TestResponse) {
        core.route(path, .handler(handler))
    }

    /// Sets or replaces a route that redirects to `location` (absolute, or a path on this server).
    public func redirect(_ path: String, to location: String, status: Int = 302) {
        route(path, TestResponse(status: status, headers: [("Location", location)], autoETag: false))
    }

    /// The requests received for a path (query strings ignored), oldest first.
    public func requests(for path: String) -> [TestRequest] {
        core.requests(for: path)
    }

    /// How many connections the server has accepted so far (shows whether clients reuse connections).
    public var acceptedConnectionCount: Int {
        core.acceptedConnectionCount
    }

    /// The most requests the server was handling at once (from reading a request to sending its answer;
    /// route delays included), never more than the client had in flight.
    public var peakConcurrentRequestCount: Int {
        core.peakConcurrentRequestCount
    }

    /// Stops accepting and closes open connections. Idempotent.
    public func stop() {
        core.stop()
    }
}
