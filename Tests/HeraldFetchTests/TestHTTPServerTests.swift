import HeraldFetch
import HeraldTestServer
import Testing

/// Behaviour of the test server itself that the fetch tests rely on.
@Suite struct TestHTTPServerTests {
    @Test func releasingTheServerStopsIt() async throws {
        var server: TestHTTPServer? = try TestHTTPServer()
        let port = try #require(server?.port)
        #expect(port > 0)
        server = nil
        try await Task.sleep(for: .milliseconds(50))  // let the accept thread close the listening socket
        let fetcher = try Fetcher(configuration: FetchConfiguration(userAgent: "HeraldTests/1.0"), logger: testLogger)
        defer { fetcher.shutdown() }
        do {
            _ = try await fetcher.fetch(FetchRequest(url: "http://127.0.0.1:\(port)/"))
            Issue.record("the released server still answered")
        } catch {
            #expect(error.code == .connect)
        }
    }

    @Test func logsRequestsAndHonoursHandlers() async throws {
        let server = try TestHTTPServer()
        server.route("/echo") { request in
            TestResponse(status: 201, contentType: "text/plain", text: request.target)
        }
        let fetcher = try Fetcher(configuration: FetchConfiguration(userAgent: "HeraldTests/1.0"), logger: testLogger)
        defer { fetcher.shutdown() }
        let response = try await fetcher.fetch(FetchRequest(url: server.baseURL + "/echo?x=1"))
        #expect(response.status == 201)
        #expect(response.body == Array("/echo?x=1".utf8))
        let logged = server.requests(for: "/echo")
        #expect(logged.count == 1)
        #expect(logged.first?.method == "GET")
        #expect(logged.first?.target == "/echo?x=1")
        #expect(logged.first?.path == "/echo")
        #expect(logged.first?.headers["host"] == "127.0.0.1:\(server.port)")
    }
}
