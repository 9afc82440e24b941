import Testing

@testable import HeraldFetch

/// robots.txt parsing and matching, on cases written after the examples of RFC 9309.
@Suite struct RobotsRulesTests {
    func verdict(
        _ text: String,
        _ path: String,
        agent: String = "HeraldBot/1.0 (+mailto:ops@example.org)"
    )
        -> RobotsVerdict
    {
        RobotsRules(parsing: text).verdict(for: path, userAgentToken: agent)
    }

    @Test func groupsAndProductTokens() {
        let text = """
            User-Agent: ExampleBot
            Disallow: /foo
            Disallow: /bar

            User-Agent: HeraldBot
            User-Agent: OtherBot
            Allow: /example/page/
            Disallow: /example/page/disallowed.gif

            User-Agent: *
            Disallow: /private
            """
        // Our group: only its rules apply, not those of '*'.
        #expect(verdict(text, "/private") == .allowed)
        #expect(verdict(text, "/foo") == .allowed)
        #expect(verdict(text, "/example/page/disallowed.gif") == .disallowed(rule: "/example/page/disallowed.gif"))
        #expect(verdict(text, "/example/page/ok.html") == .allowed)
        // Matching is case-insensitive on the product token, and the version is not part of it.
        #expect(verdict(text, "/foo", agent: "examplebot/2.1") == .disallowed(rule: "/foo"))
        #expect(verdict(text, "/example/page/disallowed.gif", agent: "OTHERBOT") != .allowed)
        // Anyone else falls back to '*'.
        #expect(verdict(text, "/private/x", agent: "Nobody/1") == .disallowed(rule: "/private"))
        #expect(verdict(text, "/foo", agent: "Nobody/1") == .allowed)
        // A token is not matched by a prefix of it.
        #expect(verdict(text, "/foo", agent: "ExampleBotNews") == .allowed)
    }

    @Test func groupsForTheSameAgentAreMerged() {
        let text = """
            user-agent: heraldbot
            disallow: /a

            user-agent: other
            disallow: /c

            user-agent: HeraldBot
            disallow: /b
            """
        #expect(verdict(text, "/a") == .disallowed(rule: "/a"))
        #expect(verdict(text, "/b") == .disallowed(rule: "/b"))
        #expect(verdict(text, "/c") == .allowed)
    }

    @Test func noMatchingGroupAndNoStarAllowsEverything() {
        #expect(verdict("User-agent: SomeoneElse\nDisallow: /\n", "/anything") == .allowed)
        #expect(verdict("", "/anything") == .allowed)
        // Rules before any user-agent line belong to no group.
        #expect(verdict("Disallow: /\nUser-agent: *\nDisallow: /x\n", "/y") == .allowed)
    }

    @Test func longestMatchWinsAndAllowWinsTies() {
        let text = """
            User-agent: *
            Allow: /p
            Disallow: /
            Disallow: /folder/
            Allow: /folder/page
            Allow: /tie
            Disallow: /tie
            """
        #expect(verdict(text, "/page") == .allowed)  // /p (2) beats / (1)
        #expect(verdict(text, "/other") == .disallowed(rule: "/"))
        #expect(verdict(text, "/folder/page.html") == .allowed)
        #expect(verdict(text, "/folder/other") == .disallowed(rule: "/folder/"))
        #expect(verdict(text, "/tie") == .allowed)
    }

    @Test func wildcardsAndEndAnchor() {
        let text = """
            User-agent: *
            Disallow: /*.gif$
            Disallow: /private*/secret
            Disallow: /*?sessionid=
            Allow: /public$
            Disallow: /public
            Disallow: /exact$
            """
        #expect(verdict(text, "/images/cat.gif") == .disallowed(rule: "/*.gif$"))
        #expect(verdict(text, "/images/cat.gif?size=2") == .allowed)  // $ anchors the end
        #expect(verdict(text, "/a.gif.html") == .allowed)
        #expect(verdict(text, "/private-area/x/secret/y") == .disallowed(rule: "/private*/secret"))
        #expect(verdict(text, "/privatesecret") == .allowed)
        #expect(verdict(text, "/page?sessionid=42") == .disallowed(rule: "/*?sessionid="))
        #expect(verdict(text, "/page?x=1&sessionid=42") == .allowed)  // the pattern names '?', not '&'

        #expect(verdict(text, "/public") == .allowed)
        #expect(verdict(text, "/public/more") == .disallowed(rule: "/public"))
        #expect(verdict(text, "/exact") == .disallowed(rule: "/exact$"))
        #expect(verdict(text, "/exactly") == .allowed)
        #expect(RobotsRules.matches("/a*b*c$", "/axxbyyc"))
        #expect(!RobotsRules.matches("/a*b*c$", "/axxbyycd"))
        #expect(RobotsRules.matches("/a*c$", "/abcabc"))
        #expect(RobotsRules.matches("*", "/anything"))
        #expect(RobotsRules.matches("/**x", "/yyx"))
    }

    @Test func emptyDisallowAllowsAndRobotsTxtIsAlwaysAllowed() {
        #expect(verdict("User-agent: *\nDisallow:\n", "/x") == .allowed)
        #expect(verdict("User-agent: *\nDisallow: /\n", "/robots.txt") == .allowed)
        #expect(verdict("User-agent: *\nDisallow: /\n", "/") == .disallowed(rule: "/"))
        #expect(verdict("User-agent: *\nDisallow: /\n", "") == .disallowed(rule: "/"))
    }

    @Test func percentEncodingAndNonASCIIPathsCompareEqual() {
        let text = "User-agent: *\nDisallow: /foo/bar/ツ\nDisallow: /a%2fb\n"
        #expect(verdict(text, "/foo/bar/%E3%83%84") == .disallowed(rule: "/foo/bar/%E3%83%84"))
        #expect(verdict(text, "/foo/bar/%e3%83%84/x") != .allowed)
        #expect(verdict(text, "/a%2Fb") != .allowed)
    }

    @Test func syntaxTolerance() {
        let text =
            "\u{FEFF}USER-AGENT : *  # everyone\r\nDISALLOW:/x # comment\r\n\r\nnonsense line\r\n"
            + "Sitemap: https://e.example/s.xml\r\nDisallow:/y\n"
        #expect(verdict(text, "/x") == .disallowed(rule: "/x"))
        // Sitemap and unknown lines do not end the group.
        #expect(verdict(text, "/y") == .disallowed(rule: "/y"))
        // Invalid UTF-8 is replaced, not fatal.
        let bytes: [UInt8] = Array("User-agent: *\nDisallow: /q".utf8) + [0xff, 0xfe] + Array("\nDisallow: /z\n".utf8)
        #expect(RobotsRules(parsing: bytes).verdict(for: "/z", userAgentToken: "x") != .allowed)
    }

    @Test func crawlDelay() {
        let text = """
            User-agent: HeraldBot
            Crawl-delay: 2.5
            Disallow: /x

            User-agent: *
            Crawl-delay: 10
            """
        let rules = RobotsRules(parsing: text)
        #expect(rules.crawlDelay(userAgentToken: "HeraldBot/1.0") == .milliseconds(2500))
        #expect(rules.crawlDelay(userAgentToken: "Other") == .seconds(10))
        #expect(RobotsRules(parsing: "User-agent: *\nCrawl-delay: soon\n").crawlDelay(userAgentToken: "x") == nil)
        #expect(RobotsRules(parsing: "User-agent: *\nCrawl-delay: -1\n").crawlDelay(userAgentToken: "x") == nil)
    }

    @Test func productTokens() {
        #expect(RobotsRules.productToken("HeraldBot/1.0 (+https://example.org)") == "heraldbot")
        #expect(RobotsRules.productToken("  Google-Extended ") == "google-extended")
        #expect(RobotsRules.productToken("*") == "*")
        #expect(RobotsRules.productToken("Mozilla/5.0 (compatible)") == "mozilla")
    }

    @Test func hostileInputStaysCheap() {
        // Many stars on a long path: the greedy matcher is linear per pattern piece, so this is instant.
        let pattern = String(repeating: "*a", count: 2000) + "$"
        let rules = RobotsRules(parsing: "User-agent: *\nDisallow: /" + pattern + "\n")
        let path = "/" + String(repeating: "a", count: 1999) + "b"
        #expect(rules.verdict(for: path, userAgentToken: "x") == .allowed)
        // A file over the size cap is read up to the cap only.
        let big = Array(("User-agent: *\n" + String(repeating: "Disallow: /x\n", count: 60_000)).utf8)
        #expect(big.count > RobotsRules.maximumBytes)
        #expect(RobotsRules(parsing: big).groups.first!.rules.count < 60_000)
    }
}
