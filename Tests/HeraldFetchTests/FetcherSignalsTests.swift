import Foundation
import HeraldTestServer
import Synchronization
import Testing

@testable import HeraldFetch

/// Redirect chains, server signals, the per-hop address check and local files, against the real test server.
@Suite struct FetcherSignalsTests {
    let server: TestHTTPServer
    let fetcher: Fetcher

    init() throws {
        server = try TestHTTPServer()
        fetcher = try Fetcher(configuration: FetchConfiguration(userAgent: "HeraldTests/1.0"), logger: testLogger)
    }

    func url(_ path: String) -> String { server.baseURL + path }

    func fetchError(_ request: FetchRequest, using fetcher: Fetcher? = nil) async -> FetchError? {
        do {
            _ = try await (fetcher ?? self.fetcher).fetch(request)
            return nil
        } catch {
            return error
        }
    }

    // MARK: - Redirects and signals

    @Test func redirectChainIsRecordedWithThePermanentPrefix() async throws {
        server.route("/final", TestResponse(body: Array("done".utf8)))
        server.redirect("/p3", to: "/final", status: 302)
        server.redirect("/p2", to: "p3", status: 308)  // relative to /p2
        server.redirect("/p1", to: url("/p2"), status: 301)
        let response = try await fetcher.fetch(FetchRequest(url: url("/p1")))
        #expect(response.status == 200)
        #expect(response.body == Array("done".utf8))
        #expect(response.redirects.map(\.status) == [301, 308, 302])
        #expect(response.redirects.map(\.from) == [url("/p1"), url("/p2"), url("/p3")])
        #expect(response.redirects.map(\.to) == [url("/p2"), url("/p3"), url("/final")])
        #expect(response.redirectCount == 3)
        #expect(response.permanentURL == url("/p3"))
        #expect(response.effectiveURL == url("/final"))

        server.redirect("/temp", to: "/p2", status: 307)
        let temporary = try await fetcher.fetch(FetchRequest(url: url("/temp")))
        #expect(temporary.permanentURL == nil)
        #expect(temporary.redirects.count == 3)

        let direct = try await fetcher.fetch(FetchRequest(url: url("/final")))
        #expect(direct.redirects.isEmpty)
        #expect(direct.permanentURL == nil)
    }

    @Test func conditionalHeadersGoToEveryHop() async throws {
        server.route("/moved-feed", TestResponse(body: Array("<rss/>".utf8), autoETag: true))
        server.redirect("/old-feed", to: "/moved-feed", status: 301)
        let first = try await fetcher.fetch(FetchRequest(url: url("/old-feed")))
        var again = FetchRequest(url: url("/old-feed"))
        again.etag = first.etag
        let second = try await fetcher.fetch(again)
        #expect(second.status == 304)
        #expect(second.permanentURL == url("/moved-feed"))
    }

    @Test func retryAfterAndFreshnessAreParsed() async throws {
        server.route("/plain", TestResponse(body: Array("x".utf8)))
        let plain = try await fetcher.fetch(FetchRequest(url: url("/plain")))
        #expect(plain.retryAfter == nil)
        #expect(plain.freshnessLifetime == nil)

        server.route(
            "/signals",
            TestResponse(
                status: 503,
                headers: [("Retry-After", "120"), ("Cache-Control", "public"), ("Cache-Control", "max-age=300")]
            )
        )
        let before = Date()
        let response = try await fetcher.fetch(FetchRequest(url: url("/signals")))
        #expect(response.status == 503)
        let retryAfter = try #require(response.retryAfter)
        #expect(retryAfter.delay == .seconds(120))
        #expect(retryAfter.date >= before.addingTimeInterval(120))
        #expect(response.freshnessLifetime == .seconds(300))
        #expect(response.headers["cache-control"] == "public, max-age=300")
    }

    // MARK: - Every hop checked (origin host exemption)

    @Test func redirectOffTheTrustedHostIsCheckedLikeAnyOtherLink() async throws {
        server.route("/private", TestResponse(body: Array("secret".utf8)))
        server.route("/ok", TestResponse(body: Array("fine".utf8)))
        server.redirect("/to-localhost", to: "http://localhost:\(server.port)/private")
        server.redirect("/to-other-loopback", to: "http://127.0.0.2:\(server.port)/private")
        server.redirect("/to-metadata", to: "http://169.254.169.254/latest/meta-data/")
        server.redirect("/same-host", to: "/ok")

        for path in ["/to-localhost", "/to-other-loopback", "/to-metadata"] {
            var request = FetchRequest(url: url(path))
            request.trustedHost = "127.0.0.1"
            request.addressPolicy = .publicOnly
            let error = await fetchError(request)
            #expect(error?.code == .addressNotAllowed, "\(path)")
            #expect(error?.message.contains("allow_private_networks") == true)
            #expect(error?.message.contains("redirect from \(url(path))") == true, "\(error?.message ?? "")")
        }
        #expect(server.requests(for: "/private").isEmpty)

        // A redirect that stays on the trusted host is followed.
        var sameHost = FetchRequest(url: url("/same-host"))
        sameHost.trustedHost = "127.0.0.1"
        sameHost.addressPolicy = .publicOnly
        let response = try await fetcher.fetch(sameHost)
        #expect(response.body == Array("fine".utf8))

        // With .any (allow_private_networks) the other host is reached.
        var open = FetchRequest(url: url("/to-localhost"))
        open.trustedHost = "127.0.0.1"
        open.addressPolicy = .any
        #expect(try await fetcher.fetch(open).body == Array("secret".utf8))

        // A first URL off the trusted host is held to the policy too.
        var offHost = FetchRequest(url: "http://localhost:\(server.port)/ok")
        offHost.trustedHost = "127.0.0.1"
        offHost.addressPolicy = .publicOnly
        #expect(await fetchError(offHost)?.code == .addressNotAllowed)
    }

    @Test func hopPolicyIsChosenByHost() {
        var request = FetchRequest(url: "http://feeds.example/x")
        request.addressPolicy = .publicOnly
        #expect(request.addressPolicy(forHost: "feeds.example") == .publicOnly)
        request.trustedHost = "Feeds.Example."
        #expect(request.addressPolicy(forHost: "feeds.example") == .any)
        #expect(request.addressPolicy(forHost: "other.example") == .publicOnly)
        request.trustedHost = "[::1]"
        #expect(request.addressPolicy(forHost: "::1") == .any)
    }

    // MARK: - Local files

    func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "herald-fetch-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    func fileRequest(_ url: URL) -> FetchRequest {
        var request = FetchRequest(url: url.absoluteString)
        request.allowFileScheme = true
        return request
    }

    @Test func aFIFOIsRefusedAndOtherFetchesProceed() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let fifo = directory.appendingPathComponent("feed.xml")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        server.route("/alongside", TestResponse(body: Array("ok".utf8), delay: .milliseconds(50)))

        // Nobody ever writes to the FIFO: a blocking open or read would never return.
        async let refused = fetchError(fileRequest(fifo))
        async let others = withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<5 { group.addTask { try await fetcher.fetch(FetchRequest(url: url("/alongside"))).status } }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        let error = await refused
        #expect(error?.code == .notRegularFile)
        #expect(error?.message.contains("FIFO") == true)
        #expect(try await others == [200, 200, 200, 200, 200])
        // The fetcher still reads regular files afterwards.
        let file = directory.appendingPathComponent("real.xml")
        try Data("<rss/>".utf8).write(to: file)
        let response = try await fetcher.fetch(fileRequest(file))
        #expect(response.body == Array("<rss/>".utf8))
        #expect(response.status == 200)
    }

    @Test func directoriesSymlinksAndDevicesAreRefused() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let target = directory.appendingPathComponent("target.xml")
        try Data("<rss/>".utf8).write(to: target)
        let link = directory.appendingPathComponent("link.xml")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)

        let onDirectory = await fetchError(fileRequest(directory))
        #expect(onDirectory?.code == .notRegularFile)
        #expect(onDirectory?.message.contains("directory") == true)
        let onLink = await fetchError(fileRequest(link))
        #expect(onLink?.code == .notRegularFile)
        #expect(onLink?.message.contains("symbolic link") == true)
        let onDevice = await fetchError(fileRequest(URL(fileURLWithPath: "/dev/zero")))
        #expect(onDevice?.code == .notRegularFile)
        #expect(onDevice?.message.contains("device") == true)
    }

    @Test func localFilesAreBoundedByTheBodyLimit() async throws {
        var configuration = FetchConfiguration(userAgent: "HeraldTests/1.0")
        configuration.maxBodyBytes = 1000
        let strict = try Fetcher(configuration: configuration, logger: testLogger)
        defer { strict.shutdown() }
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let big = directory.appendingPathComponent("big.xml")
        try Data(repeating: 120, count: 1001).write(to: big)
        let exact = directory.appendingPathComponent("exact%20name.xml")
        try Data(repeating: 120, count: 1000).write(to: exact)
        let error = await fetchError(fileRequest(big), using: strict)
        #expect(error?.code == .tooLarge)
        #expect(error?.message.contains("limits.max_body_bytes") == true)
        #expect(try await strict.fetch(fileRequest(exact)).body.count == 1000)
    }
}
