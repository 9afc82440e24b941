internal import CCurl
import Foundation
import Logging

/// Fetches HTTP(S) resources (and configured `file://` URLs) with libcurl.
///
/// All transfers run on one dedicated thread that drives a libcurl multi handle, so fetches never block the
/// Swift concurrency thread pool. Create one `Fetcher` for the process and call ``shutdown()`` when done.
public final class Fetcher: Sendable {
    private let queue: FetchQueue
    private let files: LocalFileReader
    let robots: RobotsDirectory
    private let logger: Logger

    static let shutDownError = FetchError(.cancelled, "the fetcher was shut down")

    /// Starts the curl thread.
    /// - Throws: ``FetchError`` with code `.internalError` when libcurl cannot be initialised.
    public convenience init(configuration: FetchConfiguration, logger: Logger) throws {
        try self.init(configuration: configuration, logger: logger, robotsClock: { ContinuousClock.now })
    }

    /// Starts the curl thread; `robotsClock` decides when cached robots.txt rules expire (tests pass their own).
    init(
        configuration: FetchConfiguration,
        logger: Logger,
        robotsClock: @escaping @Sendable () -> ContinuousClock.Instant
    ) throws {
        try CurlGlobal.ensureInitialized()
        guard let multi = curl_multi_init() else {
            throw FetchError(.internalError, "libcurl could not create a multi handle (out of memory?)")
        }
        _ = herald_curl_multi_setopt_long(
            multi,
            CURLMOPT_MAX_HOST_CONNECTIONS,
            max(0, configuration.perHostConnections)
        )
        _ = herald_curl_multi_setopt_long(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, max(0, configuration.totalConnections))
        _ = herald_curl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, max(1, configuration.totalConnections))
        var budget = HostBudget.Settings(
            connections: configuration.perHostConnections,
            pageDelay: configuration.perHostDelay,
            feedDelay: configuration.perHostFeedDelay
        )
        budget.maximumDelay = configuration.maximumHostDelay
        budget.maximumQueueWait = configuration.maximumQueueWait
        let queue = FetchQueue(multi: MultiHandle(raw: multi), budget: budget)
        self.queue = queue
        self.files = LocalFileReader(configuration: configuration)
        self.robots = RobotsDirectory(now: robotsClock)
        self.logger = logger
        // The multi handle is handed to the new thread here and used only there from now on
        // (apart from curl_multi_wakeup, which is thread-safe).
        let thread = Thread { [queue, configuration, logger] in
            CurlMultiLoop(queue: queue, configuration: configuration, logger: logger).run()
        }
        thread.name = "herald-curl"
        thread.start()
    }

    deinit {
        shutdown()
    }

    /// Fetches one resource, following redirects.
    ///
    /// Each hop waits its turn in its host's politeness budget (connections, delay by ``FetchRequest/kind``,
    /// slowdown after 429/503, `Retry-After`, `Crawl-delay`) and is held to its own address policy (see
    /// ``FetchRequest/trustedHost``). `file://` URLs are read on a queue of their own. HTTP error statuses
    /// (404, 500, …) are returned as responses, not thrown. Cancelling the calling task aborts the transfer (or
    /// its wait) and throws `.cancelled`.
    /// - Throws: ``FetchError`` when no final response could be obtained.
    public func fetch(_ request: FetchRequest) async throws(FetchError) -> FetchResponse {
        let target = try Fetcher.validate(request)
        if Task.isCancelled { throw FetchError(.cancelled, "the fetch of \(request.url) was cancelled") }
        let queue = self.queue
        let files = self.files
        let id = queue.makeID()
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: FetchQueue.Continuation) in
                if let host = target {
                    let job = FetchQueue.Job(id: id, request: request, url: request.url, host: host)
                    queue.submit(job, continuation: continuation, now: .now)
                } else if queue.register(id: id, continuation: continuation) {
                    files.read(request.url) { result in queue.complete(id: id, with: result) }
                }
                // Cancellation that happened before submit found nothing to cancel; catch it here.
                if Task.isCancelled { queue.cancel(id: id, now: .now) }
            }
        } onCancel: {
            queue.cancel(id: id, now: .now)
        }
        return try result.get()
    }

    /// The politeness state of every host the fetcher currently remembers, sorted by host.
    public func hostStatus() -> [HostStatus] {
        let now = ContinuousClock.now
        return queue.hostSnapshot().map { snapshot in
            HostStatus(
                host: snapshot.host,
                delay: snapshot.pageDelay,
                slowdown: snapshot.slowdown,
                crawlDelay: snapshot.crawlDelay,
                queued: snapshot.queued,
                inFlight: snapshot.inFlight,
                blockedFor: snapshot.blockedUntil.flatMap { now < $0 ? now.duration(to: $0) : nil }
            )
        }
    }

    /// Sets the `Crawl-delay` of a host in the politeness budget.
    func setCrawlDelay(_ delay: Duration?, host: String) {
        queue.setCrawlDelay(delay, host: host, now: .now)
    }

    /// Stops the curl thread. Unfinished fetches fail with `.cancelled`. Safe to call more than once; waits at
    /// most two seconds for the thread to release its handles.
    public func shutdown() {
        guard queue.beginShutdown() else { return }
        if queue.threadFinished.wait(timeout: .now() + .seconds(2)) == .timedOut {
            logger.warning("the curl thread did not stop within 2 seconds; continuing shutdown without it")
        }
    }

    /// Checks the URL's scheme before any network work, so refused URLs fail with a clear message.
    /// - Returns: the host of an http(s) URL; nil for an allowed `file://` URL.
    static func validate(_ request: FetchRequest) throws(FetchError) -> String? {
        let url = request.url
        guard !url.isEmpty else { throw FetchError(.invalidURL, "the URL is empty") }
        guard !url.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7f }) else {
            throw FetchError(.invalidURL, "\"\(url)\" contains spaces or control characters; percent-encode them")
        }
        guard let colon = url.firstIndex(of: ":") else {
            throw FetchError(.invalidURL, "\"\(url)\" has no scheme; write it as http://… or https://…")
        }
        let scheme = url[..<colon]
        let validSchemeScalars = scheme.unicodeScalars.allSatisfy {
            $0.isASCIILetter || ("0"..."9").contains($0) || "+-.".unicodeScalars.contains($0)
        }
        guard let first = scheme.unicodeScalars.first, first.isASCIILetter, validSchemeScalars else {
            throw FetchError(.invalidURL, "\"\(url)\" has no valid scheme; write it as http://… or https://…")
        }
        switch scheme.lowercased() {
        case "http", "https":
            guard let parts = CurlURL(url), !parts.host.isEmpty else {
                throw FetchError(.invalidURL, "\"\(url.prefix(200))\" is not a valid http(s) URL with a host name")
            }
            return parts.host
        case "file":
            guard request.allowFileScheme else {
                throw FetchError(
                    .schemeNotAllowed,
                    "file:// URLs are only allowed for feeds written in the configuration, not \(url)"
                )
            }
            return nil
        default:
            throw FetchError(
                .schemeNotAllowed,
                "the \(scheme.lowercased()): scheme is not allowed (\(url.prefix(80))); "
                    + "only http and https URLs are fetched"
            )
        }
    }
}

extension Unicode.Scalar {
    var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
}
