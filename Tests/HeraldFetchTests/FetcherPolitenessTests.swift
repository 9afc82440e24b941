import Foundation
import HeraldTestServer
import Synchronization
import Testing

@testable import HeraldFetch

/// The host budget and robots.txt through a real fetcher and server. Assertions are on what the server
/// recorded (order, gaps, concurrency), never on total wall time.
@Suite struct FetcherPolitenessTests {
    let server: TestHTTPServer

    init() throws {
        server = try TestHTTPServer()
    }

    func url(_ path: String) -> String { server.baseURL + path }

    func fetcher(
        connections: Int = 4,
        pageDelay: Duration = .zero,
        clock: (@Sendable () -> ContinuousClock.Instant)? = nil
    ) throws -> Fetcher {
        var configuration = FetchConfiguration(userAgent: "HeraldTests/1.0")
        configuration.perHostConnections = connections
        configuration.perHostDelay = pageDelay
        return try Fetcher(configuration: configuration, logger: testLogger, robotsClock: clock ?? { .now })
    }

    @Test func twoHundredPagesKeepTheConnectionLimitAndTheDelay() async throws {
        let fetcher = try fetcher(connections: 2, pageDelay: .milliseconds(50))
        defer { fetcher.shutdown() }
        // Each answer takes longer than two delays, so without the limit three would overlap.
        server.route("/page", TestResponse(body: Array("article".utf8), delay: .milliseconds(120)))
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<200 {
                group.addTask {
                    try await fetcher.fetch(FetchRequest(url: url("/page?n=\(index)"), kind: .page)).status
                }
            }
            var statuses: [Int] = []
            var sawQueue = false
            for try await status in group {
                statuses.append(status)
                if !sawQueue, let host = fetcher.hostStatus().first(where: { $0.host == "127.0.0.1" }) {
                    #expect(host.inFlight <= 2)
                    #expect(host.delay == .milliseconds(50))
                    sawQueue = host.queued > 0
                }
            }
            #expect(sawQueue)
            return statuses
        }
        #expect(statuses.count == 200)
        #expect(statuses.allSatisfy { $0 == 200 })
        let requests = server.requests(for: "/page")
        #expect(requests.count == 200)
        #expect(server.peakConcurrentRequestCount == 2)
        let starts = requests.map(\.receivedAt).sorted()
        let gaps = zip(starts, starts.dropFirst()).map { $0.duration(to: $1) }.sorted()
        // The server sees each start a little after the client made it, and on a loaded machine a thread may
        // stall for tens of milliseconds, bunching two arrivals; so single gaps are judged as a distribution.
        // Without the delay the two connections would free up together and start in pairs: about half the gaps
        // would be near zero. With it, almost none may be under half the delay, and the median is above it.
        let short = gaps.filter { $0 < .milliseconds(25) }.count
        #expect(short <= 4, "\(short) of \(gaps.count) gaps under 25 ms; smallest \(gaps.first ?? .zero)")
        #expect(gaps[gaps.count / 2] >= .milliseconds(50), "median gap \(gaps[gaps.count / 2])")
    }

    @Test func redirectHopsGoAheadOfTheQueueAndQueueTimeIsNotTransferTime() async throws {
        var configuration = FetchConfiguration(userAgent: "HeraldTests/1.0")
        configuration.perHostConnections = 1
        configuration.perHostDelay = .milliseconds(30)
        // Far less than the 20 × 2 × 30 ms the queue takes: only transfer time may count against it.
        configuration.totalTimeout = .milliseconds(400)
        let fetcher = try Fetcher(configuration: configuration, logger: testLogger)
        defer { fetcher.shutdown() }
        let seen = Mutex<[(ContinuousClock.Instant, String)]>([])
        server.route("/moved/") { request in
            let name = String(request.path.dropFirst("/moved/".count))
            seen.withLock { $0.append((request.receivedAt, "moved " + name)) }
            return TestResponse(status: 302, headers: [("Location", "/article/" + name)])
        }
        server.route("/article/") { request in
            let name = String(request.path.dropFirst("/article/".count))
            seen.withLock { $0.append((request.receivedAt, "article " + name)) }
            return TestResponse(body: Array("text".utf8))
        }
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<20 {
                group.addTask { try await fetcher.fetch(FetchRequest(url: url("/moved/\(index)"), kind: .page)).status }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses == [Int](repeating: 200, count: 20))
        // Each article was fetched right after its redirect, before the next page's first hop.
        let order = seen.withLock { $0 }.sorted { $0.0 < $1.0 }.map(\.1)
        #expect(order.count == 40)
        for pair in stride(from: 0, to: order.count - 1, by: 2) {
            #expect(order[pair].hasPrefix("moved "), "\(order)")
            #expect(order[pair + 1] == "article " + order[pair].dropFirst("moved ".count), "\(order)")
        }
    }

    @Test func throttledHostSlowsDownAndHonoursRetryAfter() async throws {
        let fetcher = try fetcher()
        defer { fetcher.shutdown() }
        server.route("/busy", TestResponse(status: 429, headers: [("Retry-After", "2")]))
        server.route("/next", TestResponse(body: Array("ok".utf8)))
        let busy = try await fetcher.fetch(FetchRequest(url: url("/busy")))
        #expect(busy.status == 429)
        #expect(busy.retryAfter?.delay == .seconds(2))
        let status = try #require(fetcher.hostStatus().first { $0.host == "127.0.0.1" })
        #expect(status.slowdown == .seconds(1))
        let next = try await fetcher.fetch(FetchRequest(url: url("/next")))
        #expect(next.status == 200)
        let first = try #require(server.requests(for: "/busy").first?.receivedAt)
        let second = try #require(server.requests(for: "/next").first?.receivedAt)
        #expect(first.duration(to: second) >= .milliseconds(1900))

        // A Retry-After beyond what a fetch may wait fails the next requests at once, with the reason.
        server.route("/gone-for-an-hour", TestResponse(status: 503, headers: [("Retry-After", "3600")]))
        _ = try await fetcher.fetch(FetchRequest(url: url("/gone-for-an-hour")))
        // (Checked on the long floor only: other tests may hold this process's threads for a second or two.)
        let blocked = try #require(fetcher.hostStatus().first { $0.host == "127.0.0.1" }?.blockedFor)
        #expect(blocked > .seconds(3000) && blocked <= .seconds(3600))
        do {
            _ = try await fetcher.fetch(FetchRequest(url: url("/next"), kind: .page))
            Issue.record("the request was not deferred")
        } catch {
            #expect(error.code == .deferred)
            #expect(error.message.contains("Retry-After"))
            let wait = try #require(error.retryAfter?.delay)
            #expect(wait > .seconds(3500) && wait <= .seconds(3600))
        }
        #expect(server.requests(for: "/next").count == 1)
    }

    @Test func robotsRulesAreFetchedOnceAndApplied() async throws {
        let offset = Mutex(Duration.zero)
        let base = ContinuousClock.now
        let fetcher = try fetcher(clock: { base.advanced(by: offset.withLock { $0 }) })
        defer { fetcher.shutdown() }
        server.route(
            "/robots.txt",
            TestResponse(
                contentType: "text/plain",
                text: "User-agent: HeraldTests\nDisallow: /private\nCrawl-delay: 0.25\n\nUser-agent: *\nDisallow: /\n"
            )
        )
        func verdict(_ path: String, agent: String = "HeraldTests/1.0") async -> RobotsVerdict {
            await fetcher.robotsVerdict(for: url(path), userAgentToken: agent, trustedHost: "127.0.0.1")
        }
        async let a = verdict("/private/page.html")
        async let b = verdict("/news/story.html?id=3")
        let (first, second) = await (a, b)
        #expect(first == .disallowed(rule: "/private"))
        #expect(!first.permitsFetch)
        #expect(second == .allowed)
        #expect(await verdict("/anything", agent: "SomeoneElse") == .disallowed(rule: "/"))
        #expect(server.requests(for: "/robots.txt").count == 1)
        #expect(server.requests(for: "/robots.txt").first?.headers["user-agent"] == "HeraldTests/1.0")
        let status = try #require(fetcher.hostStatus().first { $0.host == "127.0.0.1" })
        #expect(status.crawlDelay == .milliseconds(250))
        #expect(status.delay == .milliseconds(250))

        // A day later the file is asked for again.
        offset.withLock { $0 = .seconds(86_400) }
        server.route("/robots.txt", TestResponse(status: 404))
        #expect(await verdict("/private/page.html") == .allowed)
        #expect(server.requests(for: "/robots.txt").count == 2)
    }

    @Test func robotsFailuresAreUnavailableAndPolicyApplies() async throws {
        let fetcher = try fetcher()
        defer { fetcher.shutdown() }
        server.route("/robots.txt", TestResponse(status: 500))
        let verdict = await fetcher.robotsVerdict(
            for: url("/page"),
            userAgentToken: "HeraldTests",
            trustedHost: "127.0.0.1"
        )
        guard case .unavailable(let reason) = verdict else {
            Issue.record("expected unavailable, got \(verdict)")
            return
        }
        #expect(reason.contains("500"))
        #expect(verdict.permitsFetch)
        // Without the trusted host, a loopback robots.txt is refused by the address policy: unavailable too.
        let other = try TestHTTPServer()
        let refused = await fetcher.robotsVerdict(
            for: "http://localhost:\(other.port)/x",
            userAgentToken: "HeraldTests"
        )
        guard case .unavailable(let why) = refused else {
            Issue.record("expected unavailable, got \(refused)")
            return
        }
        #expect(why.contains("allow_private_networks"))
        #expect(other.requests(for: "/robots.txt").isEmpty)
        #expect(await fetcher.robotsVerdict(for: "file:///tmp/x.xml", userAgentToken: "HeraldTests") == .allowed)
    }
}
