import Foundation
import HeraldTestServer
import Testing

/// Near-duplicates end to end: the daemon sees one story on two outlets, slightly changed, and says so.
@Suite(.serialized) struct NearDuplicateTests {
    /// The five seed articles (one event, five outlets), when ../shared is present.
    static func seeds() -> [String]? {
        let shared = HeraldBinary.repositoryRoot + "/../shared/corpus/seeds"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: shared) else { return nil }
        return names.filter { $0.hasSuffix(".txt") }.sorted().compactMap {
            try? String(contentsOfFile: shared + "/" + $0, encoding: .utf8)
        }
    }

    static func page(_ title: String, _ paragraphs: [String], furniture: String = "") -> String {
        Fixtures.article(title: title, paragraphs: paragraphs).replacingOccurrences(of: "</article>", with: furniture + "</article>")
    }

    /// Serves `originals` in feed A and `copies` in feed B; re-ingests both; returns the sandbox.
    func ingest(originals: [(String, [String])], copies: [(String, [String])]) throws -> (Sandbox, TestHTTPServer) {
        let server = try TestHTTPServer()
        func items(_ prefix: String, _ pages: [(String, [String])]) -> [(guid: String, link: String, title: String, date: String)] {
            pages.enumerated().map { i, page in
                server.page("/\(prefix)/\(i)", Self.page(page.0, page.1, furniture: prefix == "b" ? "<p>Also read: more from our desk</p>" : ""))
                return (guid: "\(prefix)-\(i)", link: "\(server.baseURL)/\(prefix)/\(i)", title: page.0, date: "Mon, 16 Nov 2026 10:0\(i):00 GMT")
            }
        }
        server.feed("/a.xml", Fixtures.rss(title: "Outlet A", items: items("a", originals)))
        server.feed("/b.xml", Fixtures.rss(title: "Outlet B", items: items("b", copies)))
        let sandbox = try Sandbox()
        try sandbox.writeConfig(feeds: [("outlet-a", "\(server.baseURL)/a.xml")])
        #expect(try sandbox.run(["reingest", "--config", sandbox.configPath, "--all"]).status == 0)
        try sandbox.writeConfig(feeds: [("outlet-a", "\(server.baseURL)/a.xml"), ("outlet-b", "\(server.baseURL)/b.xml")])
        let second = try sandbox.run(["reingest", "--config", sandbox.configPath, "--feed", "outlet-b"])
        #expect(second.status == 0, "\(second.stderr)")
        return (sandbox, server)
    }

    func nearDuplicates(_ sandbox: Sandbox) -> [[String: Any]] {
        sandbox.events(ofType: "herald.article.duplicate").compactMap { $0["data"] as? [String: Any] }
            .filter { $0["kind"] as? String == "near" }
    }

    @Test func seedArticlesStayApartAndTheirCopiesAreNearDuplicates() throws {
        guard let seeds = Self.seeds(), seeds.count == 5 else {
            print("skipping: ../shared/corpus/seeds not found")
            return
        }
        let originals = seeds.enumerated().map { i, text -> (String, [String]) in
            ("Seed story \(i)", text.split(separator: "\n").map(String.init).filter { !$0.isEmpty })
        }
        // Copies: a new headline, and one paragraph removed (even seeds) or added (odd seeds).
        let copies = originals.enumerated().map { i, original -> (String, [String]) in
            var paragraphs = original.1
            if i % 2 == 0 {
                paragraphs.remove(at: paragraphs.count / 2)
            } else {
                paragraphs.insert("Our correspondent adds that officials on both sides declined to give further details on the timetable.", at: 1)
            }
            return ("A new headline for story \(i)", paragraphs)
        }
        let (sandbox, server) = try ingest(originals: originals, copies: copies)
        defer { server.stop() }
        let created = sandbox.events(ofType: "herald.article.created")
        #expect(created.count == 5, "the five seed articles are five different articles")
        let near = nearDuplicates(sandbox)
        #expect(near.count == 5, "every modified copy is a near-duplicate")
        let createdByURL = Dictionary(uniqueKeysWithValues: created.compactMap { e -> (String, String)? in
            guard let d = e["data"] as? [String: Any], let url = d["url"] as? String, let id = d["article_id"] as? String else { return nil }
            return (url, id)
        })
        for dup in near {
            let copyIndex = (dup["url"] as? String)?.split(separator: "/").last.flatMap { Int($0) } ?? -1
            #expect(dup["original_id"] as? String == createdByURL["\(server.baseURL)/a/\(copyIndex)"])
            #expect((dup["similarity"] as? Double ?? 0) >= 0.5)
            // The copy keeps its own text in its own file.
            let path = sandbox.stateDirectory + "/" + (dup["path"] as? String ?? "")
            #expect(FileManager.default.fileExists(atPath: path))
        }
        let verify = try sandbox.run(["verify", "--state-dir", sandbox.stateDirectory])
        #expect(verify.status == 0, "\(verify.stdout)")
    }

    @Test func sameEventDifferentArticlesAreNotDuplicates() throws {
        let a = (1...6).map { "The harbour authority said on Monday that dredging of the main channel will start in October, paragraph \($0) of the port report, with costs shared by the state." }
        let b = (1...6).map { "Fishermen in the old town told our reporter they fear the channel works will close the inner basin for weeks, in section \($0) of a separate interview." }
        let copyOfA = ["Breaking: " + a[0]] + a.dropFirst(2)
        let (sandbox, server) = try ingest(originals: [("Dredging to start", a)], copies: [("Fishermen worried", b), ("Dredging soon", Array(copyOfA))])
        defer { server.stop() }
        #expect(sandbox.events(ofType: "herald.article.created").count == 2)
        let near = nearDuplicates(sandbox)
        #expect(near.count == 1)
        #expect((near.first?["url"] as? String)?.hasSuffix("/b/1") == true)
    }
}
