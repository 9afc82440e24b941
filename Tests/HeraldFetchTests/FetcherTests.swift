import Foundation
import HeraldTestServer
import Logging
import Testing

@testable import HeraldFetch

/// End-to-end tests of `Fetcher` against a real HTTP server on 127.0.0.1.
@Suite struct FetcherTests {
    let server: TestHTTPServer
    let fetcher: Fetcher

    init() throws {
        server = try TestHTTPServer()
        fetcher = try Fetcher(configuration: FetchConfiguration(userAgent: "HeraldTests/1.0"), logger: testLogger)
    }

    func url(_ path: String) -> String { server.baseURL + path }

    @Test func fetchesBodyAndHeaders() async throws {
        server.route(
            "/feed.xml",
            TestResponse(
                headers: [("Content-Type", "application/rss+xml"), ("X-Custom", "yes")],
                body: Array("<rss/>".utf8)
            )
        )
        var request = FetchRequest(url: url("/feed.xml"))
        request.accept = "application/rss+xml"
        let response = try await fetcher.fetch(request)
        #expect(response.status == 200)
        #expect(response.body == Array("<rss/>".utf8))
        #expect(response.contentType == "application/rss+xml")
        #expect(response.headers["x-custom"] == "yes")
        #expect(response.headers["content-length"] == "6")
        #expect(response.etag != nil)
        #expect(response.effectiveURL == url("/feed.xml"))
        #expect(response.redirectCount == 0)
        #expect(!response.notModified)
        let seen = try #require(server.requests(for: "/feed.xml").first)
        #expect(seen.headers["user-agent"] == "HeraldTests/1.0")
        #expect(seen.headers["accept"] == "application/rss+xml")
    }

    @Test func etagRoundTripGives304() async throws {
        server.route("/etag", TestResponse(body: Array("hello".utf8)))
        let first = try await fetcher.fetch(FetchRequest(url: url("/etag")))
        let etag = try #require(first.etag)
        var again = FetchRequest(url: url("/etag"))
        again.etag = etag
        let second = try await fetcher.fetch(again)
        #expect(second.status == 304)
        #expect(second.notModified)
        #expect(second.body.isEmpty)
        #expect(server.requests(for: "/etag").last?.headers["if-none-match"] == etag)

        var stale = FetchRequest(url: url("/etag"))
        stale.etag = "\"something-else\""
        let third = try await fetcher.fetch(stale)
        #expect(third.status == 200)
        #expect(third.body == Array("hello".utf8))
    }

    @Test func lastModifiedRoundTripGives304() async throws {
        let stamp = "Sat, 21 Nov 2026 10:00:00 GMT"
        server.route("/lm", TestResponse(body: Array("x".utf8), autoETag: false, lastModified: stamp))
        let first = try await fetcher.fetch(FetchRequest(url: url("/lm")))
        #expect(first.status == 200)
        #expect(first.lastModified == stamp)
        #expect(first.etag == nil)
        var again = FetchRequest(url: url("/lm"))
        again.lastModified = first.lastModified
        let second = try await fetcher.fetch(again)
        #expect(second.notModified)
        #expect(server.requests(for: "/lm").last?.headers["if-modified-since"] == stamp)
    }

    @Test func gzipBodiesAreDecoded() async throws {
        let text = Array(String(repeating: "Herald gzip test line. ", count: 500).utf8)
        server.route("/stored", TestResponse(body: text, gzip: true))
        server.route(
            "/rle",
            TestResponse(body: text + [UInt8](repeating: 65, count: 10_000), gzip: true, gzipCompression: .runLength)
        )
        let stored = try await fetcher.fetch(FetchRequest(url: url("/stored")))
        #expect(stored.headers["content-encoding"] == "gzip")
        #expect(stored.body == text)
        let rle = try await fetcher.fetch(FetchRequest(url: url("/rle")))
        #expect(rle.headers["content-encoding"] == "gzip")
        #expect(rle.body == text + [UInt8](repeating: 65, count: 10_000))
        let acceptEncoding = try #require(server.requests(for: "/stored").first?.headers["accept-encoding"])
        #expect(acceptEncoding.contains("gzip"))
    }

    @Test func followsRedirectsAndKeepsOnlyFinalHeaders() async throws {
        server.route("/final", TestResponse(headers: [("X-Final", "1")], body: Array("done".utf8)))
        server.route("/hop2", TestResponse(status: 301, headers: [("Location", "/final"), ("X-Hop", "2")]))
        server.redirect("/hop1", to: url("/hop2"))
        let response = try await fetcher.fetch(FetchRequest(url: url("/hop1")))
        #expect(response.status == 200)
        #expect(response.body == Array("done".utf8))
        #expect(response.effectiveURL == url("/final"))
        #expect(response.redirectCount == 2)
        #expect(response.headers["x-final"] == "1")
        #expect(response.headers["x-hop"] == nil)
        #expect(response.headers["location"] == nil)
    }

    @Test func redirectLoopFails() async throws {
        server.redirect("/loop-a", to: "/loop-b")
        server.redirect("/loop-b", to: "/loop-a")
        let error = await fetchError(FetchRequest(url: url("/loop-a")))
        #expect(error?.code == .tooManyRedirects)
        #expect(error?.message.contains("limits.max_redirects") == true)
        #expect(server.requests(for: "/loop-a").count + server.requests(for: "/loop-b").count == 6)
    }

    @Test(arguments: [404, 500, 503])
    func httpErrorStatusesAreResponses(status: Int) async throws {
        server.route("/status", TestResponse(status: status, body: Array("oops".utf8)))
        let response = try await fetcher.fetch(FetchRequest(url: url("/status")))
        #expect(response.status == status)
        #expect(response.body == Array("oops".utf8))
    }

    @Test func unknownPathIs404() async throws {
        let response = try await fetcher.fetch(FetchRequest(url: url("/nothing-here")))
        #expect(response.status == 404)
    }

    @Test func slowResponseTimesOut() async throws {
        var configuration = FetchConfiguration(userAgent: "HeraldTests/1.0")
        configuration.totalTimeout = .milliseconds(300)
        let impatient = try Fetcher(configuration: configuration, logger: testLogger)
        defer { impatient.shutdown() }
        server.route("/slow", TestResponse(body: Array("late".utf8), delay: .seconds(2)))
        let error = await fetchError(FetchRequest(url: url("/slow")), using: impatient)
        #expect(error?.code == .timeout)
        #expect(error?.message.contains("limits.total_timeout") == true)
    }

    @Test func bodyOverLimitIsTooLarge() async throws {
        var configuration = FetchConfiguration(userAgent: "HeraldTests/1.0")
        configuration.maxBodyBytes = 1000
        let strict = try Fetcher(configuration: configuration, logger: testLogger)
        defer { strict.shutdown() }
        server.route("/big", TestResponse(body: [UInt8](repeating: 120, count: 5000)))
        server.route("/exact", TestResponse(body: [UInt8](repeating: 120, count: 1000)))
        let error = await fetchError(FetchRequest(url: url("/big")), using: strict)
        #expect(error?.code == .tooLarge)
        #expect(error?.message.contains("1000 bytes") == true)
        let exact = try await strict.fetch(FetchRequest(url: url("/exact")))
        #expect(exact.body.count == 1000)

        // Without Content-Length the cap is enforced while the body streams in.
        let head = Array("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n".utf8)
        server.route("/unframed", .raw(head + [UInt8](repeating: 121, count: 5000)))
        server.route("/unframed-small", .raw(head + [UInt8](repeating: 121, count: 900)))
        let streamed = await fetchError(FetchRequest(url: url("/unframed")), using: strict)
        #expect(streamed?.code == .tooLarge)
        #expect(streamed?.message.contains("1000 bytes after decoding") == true)
        let small = try await strict.fetch(FetchRequest(url: url("/unframed-small")))
        #expect(small.body.count == 900)
    }

    @Test func truncatedBodyIsTruncatedError() async throws {
        server.route("/truncated", .raw(Array("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort".utf8)))
        let error = await fetchError(FetchRequest(url: url("/truncated")))
        #expect(error?.code == .truncated)
        #expect(error?.message.contains("truncated") == true)
        // A connection closed without any answer is a network error.
        server.route("/nothing", .raw([]))
        #expect(await fetchError(FetchRequest(url: url("/nothing")))?.code == .network)
    }

    @Test func closedPortIsConnectError() async throws {
        let closed = try TestHTTPServer()
        let port = closed.port
        closed.stop()
        try await Task.sleep(for: .milliseconds(50))  // let the accept thread close the listening socket
        let error = await fetchError(FetchRequest(url: "http://127.0.0.1:\(port)/"))
        #expect(error?.code == .connect)
        #expect(error?.message.contains("connection refused") == true)
    }

    @Test func unknownHostIsDNSError() async throws {
        // .invalid is reserved (RFC 2606): no resolver ever answers it.
        let error = await fetchError(FetchRequest(url: "http://herald-fetch-test.invalid/feed.xml"))
        #expect(error?.code == .dns)
        #expect(error?.message.contains("DNS") == true)
    }

    @Test func connectionsAreReusedAndCappedPerHost() async throws {
        var configuration = FetchConfiguration(userAgent: "HeraldTests/1.0")
        configuration.perHostConnections = 2
        let capped = try Fetcher(configuration: configuration, logger: testLogger)
        defer { capped.shutdown() }
        server.route("/reuse", TestResponse(body: Array("r".utf8)))
        for _ in 0..<3 {
            _ = try await capped.fetch(FetchRequest(url: url("/reuse")))
        }
        #expect(server.acceptedConnectionCount == 1)
        server.route("/slowish", TestResponse(body: Array("s".utf8), delay: .milliseconds(50)))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<10 {
                group.addTask { _ = try await capped.fetch(FetchRequest(url: url("/slowish"))) }
            }
            try await group.waitForAll()
        }
        #expect(server.requests(for: "/slowish").count == 10)
        #expect(server.acceptedConnectionCount <= 2)
    }

    @Test func gzipBombIsTooLargeAfterDecoding() async throws {
        var configuration = FetchConfiguration(userAgent: "HeraldTests/1.0")
        configuration.maxBodyBytes = 64 * 1024
        let strict = try Fetcher(configuration: configuration, logger: testLogger)
        defer { strict.shutdown() }
        let decoded = [UInt8](repeating: 0, count: 4 * 1024 * 1024)
        // The compressed body is far below the cap; only the decoded size exceeds it.
        #expect(Gzip.encode(decoded, compression: .runLength).count < 64 * 1024)
        server.route("/bomb", TestResponse(body: decoded, gzip: true, gzipCompression: .runLength))
        let error = await fetchError(FetchRequest(url: url("/bomb")), using: strict)
        #expect(error?.code == .tooLarge)
        #expect(error?.message.contains("64 KiB after decoding") == true)
    }

    @Test func fileSchemeNeedsPermission() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(
            "herald-fetch-\(UUID().uuidString).xml"
        )
        try Data("<feed/>".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let fileURL = file.absoluteString
        #expect(fileURL.hasPrefix("file:///"))

        let refused = await fetchError(FetchRequest(url: fileURL))
        #expect(refused?.code == .schemeNotAllowed)

        var allowed = FetchRequest(url: fileURL)
        allowed.allowFileScheme = true
        let response = try await fetcher.fetch(allowed)
        #expect(response.status == 200)
        #expect(response.body == Array("<feed/>".utf8))

        var missing = FetchRequest(url: fileURL + ".missing")
        missing.allowFileScheme = true
        let missingError = await fetchError(missing)
        #expect(missingError?.code == .network)
    }

    @Test(arguments: ["javascript:alert(1)", "data:text/plain,hello", "ftp://127.0.0.1/feed", "gopher://127.0.0.1/"])
    func disallowedSchemes(url: String) async throws {
        let error = await fetchError(FetchRequest(url: url))
        #expect(error?.code == .schemeNotAllowed)
    }

    @Test func redirectToDisallowedSchemeFails() async throws {
        server.redirect("/to-ftp", to: "ftp://127.0.0.1/feed")
        server.redirect("/to-file", to: "file:///etc/passwd")
        let ftp = await fetchError(FetchRequest(url: url("/to-ftp")))
        #expect(ftp?.code == .schemeNotAllowed)
        var fileRequest = FetchRequest(url: url("/to-file"))
        fileRequest.allowFileScheme = true  // allows file:// for the first URL only, never for redirects
        let file = await fetchError(fileRequest)
        #expect(file?.code == .schemeNotAllowed)
    }

    @Test(arguments: ["", "no-scheme.example/feed", "http://exa mple.com/", "://x"])
    func invalidURLs(url: String) async throws {
        let error = await fetchError(FetchRequest(url: url))
        #expect(error?.code == .invalidURL)
    }

    @Test func publicOnlyRefusesLoopback() async throws {
        server.route("/private", TestResponse(body: Array("secret".utf8)))
        // A connection opened without the policy must not be reused by a .publicOnly fetch.
        let open = try await fetcher.fetch(FetchRequest(url: url("/private")))
        #expect(open.status == 200)

        for base in [server.baseURL, "http://localhost:\(server.port)"] {
            var request = FetchRequest(url: base + "/private")
            request.addressPolicy = .publicOnly
            let error = await fetchError(request)
            #expect(error?.code == .addressNotAllowed, "\(base)")
        }
        #expect(server.requests(for: "/private").count == 1)
    }

    @Test func parallelFetchesAllComplete() async throws {
        server.route("/item") { request in
            TestResponse(body: Array("item \(request.target)".utf8))
        }
        let bodies = try await withThrowingTaskGroup(of: (Int, [UInt8]).self) { group in
            for index in 0..<20 {
                group.addTask { (index, try await fetcher.fetch(FetchRequest(url: url("/item?n=\(index)"))).body) }
            }
            var collected: [Int: [UInt8]] = [:]
            for try await (index, body) in group { collected[index] = body }
            return collected
        }
        #expect(bodies.count == 20)
        for index in 0..<20 {
            #expect(bodies[index] == Array("item /item?n=\(index)".utf8))
        }
    }

    @Test func shutdownCancelsInFlightFetches() async throws {
        let local = try Fetcher(configuration: FetchConfiguration(userAgent: "HeraldTests/1.0"), logger: testLogger)
        server.route("/never", TestResponse(body: Array("late".utf8), delay: .seconds(10)))
        let task = Task { () -> FetchError? in
            do {
                _ = try await local.fetch(FetchRequest(url: url("/never")))
                return nil
            } catch {
                return error as? FetchError
            }
        }
        try await waitForRequest(to: "/never")
        local.shutdown()
        let error = await task.value
        #expect(error?.code == .cancelled)
        local.shutdown()  // idempotent
        let after = await fetchError(FetchRequest(url: url("/never")), using: local)
        #expect(after?.code == .cancelled)
    }

    @Test func taskCancellationCancelsFetch() async throws {
        server.route("/hang", TestResponse(body: Array("late".utf8), delay: .seconds(10)))
        let task = Task { () -> FetchError? in
            do {
                _ = try await fetcher.fetch(FetchRequest(url: url("/hang")))
                return nil
            } catch {
                return error as? FetchError
            }
        }
        try await waitForRequest(to: "/hang")
        task.cancel()
        let error = await task.value
        #expect(error?.code == .cancelled)

        // The fetcher keeps working after a cancellation.
        server.route("/ok", TestResponse(body: Array("ok".utf8)))
        let response = try await fetcher.fetch(FetchRequest(url: url("/ok")))
        #expect(response.body == Array("ok".utf8))
    }

    @Test func alreadyCancelledTaskFailsAtOnce() async throws {
        server.route("/ok", TestResponse(body: Array("ok".utf8)))
        let task = Task { () -> FetchError? in
            withUnsafeCurrentTask { $0?.cancel() }
            return await fetchError(FetchRequest(url: url("/ok")))
        }
        let error = await task.value
        #expect(error?.code == .cancelled)
    }

    // MARK: - Helpers

    func fetchError(_ request: FetchRequest, using fetcher: Fetcher? = nil) async -> FetchError? {
        do {
            _ = try await (fetcher ?? self.fetcher).fetch(request)
            return nil
        } catch {
            return error
        }
    }

    /// Waits until the server has received a request for `path` (at most 5 s).
    func waitForRequest(to path: String) async throws {
        for _ in 0..<500 {
            if !server.requests(for: path).isEmpty { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("the server never received a request for \(path)")
    }
}

let testLogger = Logger(label: "herald.fetch.tests")
