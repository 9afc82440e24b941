import Testing

@testable import HeraldDaemon

@Suite struct ConfigLoaderTests {
    @Test func parsesAFullConfiguration() throws {
        let config = try ConfigLoader.parse(
            """
            state_dir: data
            contact: mailto:desk@example.org
            interval: 10m
            jitter: 0.2
            allow_private_networks: true
            limits:
              max_body_bytes: 2MiB
              max_entries_per_feed: 50
              total_timeout: 1m30s
            feeds:
              - id: one
                url: https://example.org/feed.xml
                interval: 90s
                tags: [a, b]
              - id: local
                url: samples/feed.xml
            """, baseDirectory: "/etc/herald")
        #expect(config.stateDirectory == "/etc/herald/data")
        #expect(config.userAgent == "Herald/\(HeraldVersion.current) (+mailto:desk@example.org)")
        #expect(config.interval == .seconds(600))
        #expect(config.jitter == 0.2)
        #expect(config.allowPrivateNetworks)
        #expect(config.limits.maxBodyBytes == 2 * 1024 * 1024)
        #expect(config.limits.maxEntriesPerFeed == 50)
        #expect(config.limits.totalTimeout == .seconds(90))
        #expect(config.feeds.map(\.id) == ["one", "local"])
        #expect(config.feeds[0].interval == .seconds(90))
        #expect(config.feeds[0].tags == ["a", "b"])
        #expect(config.feeds[1].url == "file:///etc/herald/samples/feed.xml")
        #expect(config.interval(of: config.feeds[1]) == .seconds(600))
    }

    @Test func reportsEveryProblemWithItsLine() {
        do {
            _ = try ConfigLoader.parse(
                """
                interval: often
                feeds:
                  - id: x
                  - id: x
                    url: https://e.org/
                  - id: y
                    url: gopher://e.org/
                  - just a string
                """, baseDirectory: "/")
            Issue.record("expected an error")
        } catch {
            let lines = error.problems.map(\.line)
            #expect(error.problems.count == 5, "\(error)")
            #expect(lines == [1, 3, 4, 7, 8])
            #expect(error.problems[0].field == "interval")
            #expect(error.problems[1].message.contains("missing"))
            #expect(error.problems[2].message.contains("duplicate"))
            #expect(error.description.contains("line 7: feeds[2].url"))
        }
    }

    @Test func rejectsInvalidYAMLWithALine() {
        #expect(throws: ConfigError.self) { try ConfigLoader.parse("feeds: [\n  - id: x\n", baseDirectory: "/") }
        do {
            _ = try ConfigLoader.parse("a: b\n  c: d: e\n", baseDirectory: "/")
        } catch {
            #expect(error.problems.first?.line != nil)
        }
    }

    @Test func parsesDurationsAndSizes() {
        #expect(DurationText.parse("90s") == .seconds(90))
        #expect(DurationText.parse("15m") == .seconds(900))
        #expect(DurationText.parse("1h") == .seconds(3600))
        #expect(DurationText.parse("1h30m") == .seconds(5400))
        #expect(DurationText.parse("500ms") == .milliseconds(500))
        #expect(DurationText.parse("2d") == .seconds(172_800))
        #expect(DurationText.parse("15") == nil)
        #expect(DurationText.parse("m") == nil)
        #expect(DurationText.parse("5 minutes") == nil)
        #expect(DurationText.format(.seconds(900)) == "15m")
        #expect(DurationText.format(.milliseconds(1500)) == "1500ms")
        #expect(ByteSizeText.parse("15MiB") == 15 * 1024 * 1024)
        #expect(ByteSizeText.parse("512KiB") == 512 * 1024)
        #expect(ByteSizeText.parse("1000") == 1000)
        #expect(ByteSizeText.parse("lots") == nil)
    }

    @Test func feedIdentifiersAreSafeFileNames() {
        #expect(FeedIdentifier.isValid("bbc-world"))
        #expect(FeedIdentifier.isValid("a.b_c"))
        #expect(!FeedIdentifier.isValid("../etc"))
        #expect(!FeedIdentifier.isValid("Upper"))
        #expect(!FeedIdentifier.isValid(""))
        #expect(!FeedIdentifier.isValid(".hidden"))
        #expect(!FeedIdentifier.isValid(String(repeating: "a", count: 65)))
    }
}
