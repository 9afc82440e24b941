import Foundation
import Yams

/// Walks the YAML tree, converting values and recording every problem with its line.
struct ConfigReader {
    let baseDirectory: String
    var problems: [ConfigProblem] = []

    init(baseDirectory: String) {
        self.baseDirectory = baseDirectory
    }

    static func problem(from error: YamlError) -> ConfigProblem {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return ConfigProblem(line: mark.line, field: "(yaml)", message: "invalid YAML: \(problem)")
        default:
            return ConfigProblem(line: nil, field: "(yaml)", message: "invalid YAML: \(error)")
        }
    }

    mutating func fail(_ node: Node?, _ field: String, _ message: String) {
        problems.append(ConfigProblem(line: node?.mark?.line, field: field, message: message))
    }

    static let topLevelKeys: Set<String> = [
        "state_dir", "contact", "user_agent", "interval", "jitter", "allow_private_networks", "log_level", "limits",
        "log", "near_duplicates", "feeds", "min_interval", "max_interval", "first_poll_spread", "backlog",
        "unconditional_every", "robots", "page_retries", "page_retry_delay", "entry_retention",
    ]
    static let logKeys: Set<String> = [
        "segment_max_bytes", "segment_max_age", "commit_delay", "retain_segments", "retain_age",
    ]
    static let limitKeys: Set<String> = [
        "max_body_bytes", "max_entries_per_feed", "per_host_connections", "concurrent_feeds", "concurrent_pages",
        "connect_timeout", "total_timeout", "max_redirects", "max_backoff", "permanent_max_backoff", "per_host_delay",
        "per_host_feed_delay", "parse_timeout",
    ]
    static let nearDuplicateKeys: Set<String> = ["enabled", "threshold", "minimum_words"]
    static let feedKeys: Set<String> = ["id", "url", "interval", "tags", "min_interval", "max_interval", "backlog"]

    mutating func read(_ root: Node) -> HeraldConfig {
        var config = HeraldConfig()
        guard let mapping = root.mapping else {
            fail(root, "(file)", "the top level must be a mapping of settings (state_dir:, feeds:, …)")
            return config
        }
        for (key, value) in mapping {
            guard let name = key.string else {
                fail(key, "(key)", "keys must be strings")
                continue
            }
            switch name {
            case "state_dir":
                if let s = string(value, name) { config.stateDirectory = resolvePath(s) }
            case "contact":
                config.contact = string(value, name)
            case "user_agent":
                config.userAgentOverride = string(value, name)
            case "interval":
                if let d = duration(value, name, minimum: .seconds(1)) { config.interval = d }
            case "min_interval":
                if let d = duration(value, name, minimum: .seconds(1)) { config.minInterval = d }
            case "max_interval":
                if let d = duration(value, name, minimum: .seconds(1)) { config.maxInterval = d }
            case "first_poll_spread":
                if let d = duration(value, name, minimum: .zero) { config.firstPollSpread = d }
            case "backlog":
                if let n = integer(value, name, 0...1_000_000) { config.backlog = n }
            case "unconditional_every":
                if let d = duration(value, name, minimum: .zero) { config.unconditionalEvery = d }
            case "robots":
                if let b = bool(value, name) { config.robots = b }
            case "page_retries":
                if let n = integer(value, name, 0...20) { config.pageRetries = n }
            case "page_retry_delay":
                if let d = duration(value, name, minimum: .seconds(1)) { config.pageRetryDelay = d }
            case "entry_retention":
                if let d = duration(value, name, minimum: .seconds(3600)) { config.entryRetention = d }
            case "jitter":
                if let j = value.float, j >= 0, j <= 0.5 {
                    config.jitter = j
                } else {
                    fail(value, name, "must be a number between 0 and 0.5 (a fraction of the interval)")
                }
            case "allow_private_networks":
                if let b = bool(value, name) { config.allowPrivateNetworks = b }
            case "log_level":
                let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
                if let s = string(value, name) {
                    if levels.contains(s) {
                        config.logLevel = s
                    } else {
                        fail(value, name, "must be one of \(levels.joined(separator: ", "))")
                    }
                }
            case "limits":
                config.limits = readLimits(value)
            case "log":
                config.log = readLog(value)
            case "near_duplicates":
                config.nearDuplicates = readNearDuplicates(value)
            case "feeds":
                config.feeds = readFeeds(value)
            default:
                fail(key, name, "unknown setting (known: \(Self.topLevelKeys.sorted().joined(separator: ", ")))")
            }
        }
        if mapping["feeds"] == nil {
            fail(root, "feeds", "missing: list the feeds to poll, each with id: and url:")
        }
        return config
    }

    /// The entries of a settings section as (name, dotted field, value). A section that is not a mapping and keys
    /// not in `known` are reported here, so each reader only handles the settings it knows.
    mutating func settings(_ node: Node, section: String, known: Set<String>) -> [(String, String, Node)] {
        guard let mapping = node.mapping else {
            fail(node, section, "must be a mapping of \(known.sorted().joined(separator: ", "))")
            return []
        }
        var result: [(String, String, Node)] = []
        for (key, value) in mapping {
            let name = key.string ?? "?"
            if known.contains(name) {
                result.append((name, "\(section).\(name)", value))
            } else {
                fail(key, "\(section).\(name)", "unknown setting (known: \(known.sorted().joined(separator: ", ")))")
            }
        }
        return result
    }

    mutating func readLimits(_ node: Node) -> HeraldConfig.Limits {
        var limits = HeraldConfig.Limits()
        for (name, field, value) in settings(node, section: "limits", known: Self.limitKeys) {
            switch name {
            case "max_body_bytes":
                if let n = byteSize(value, field) { limits.maxBodyBytes = n }
            case "max_entries_per_feed":
                if let n = integer(value, field, 1...1_000_000) { limits.maxEntriesPerFeed = n }
            case "per_host_connections":
                if let n = integer(value, field, 1...64) { limits.perHostConnections = n }
            case "concurrent_feeds":
                if let n = integer(value, field, 1...256) { limits.concurrentFeeds = n }
            case "concurrent_pages":
                if let n = integer(value, field, 1...64) { limits.concurrentPages = n }
            case "connect_timeout":
                if let d = duration(value, field, minimum: .milliseconds(100)) { limits.connectTimeout = d }
            case "total_timeout":
                if let d = duration(value, field, minimum: .milliseconds(100)) { limits.totalTimeout = d }
            case "max_redirects":
                if let n = integer(value, field, 0...20) { limits.maxRedirects = n }
            case "max_backoff":
                if let d = duration(value, field, minimum: .seconds(1)) { limits.maxBackoff = d }
            case "permanent_max_backoff":
                if let d = duration(value, field, minimum: .seconds(1)) { limits.permanentMaxBackoff = d }
            case "per_host_delay":
                if let d = duration(value, field, minimum: .zero) { limits.perHostDelay = d }
            case "parse_timeout":
                if let d = duration(value, field, minimum: .milliseconds(10)) { limits.parseTimeout = d }
            case "per_host_feed_delay":
                if let d = duration(value, field, minimum: .zero) { limits.perHostFeedDelay = d }
            default:
                break  // reported by settings(_:section:known:)
            }
        }
        return limits
    }

    mutating func readNearDuplicates(_ node: Node) -> HeraldConfig.NearDuplicateSettings {
        var result = HeraldConfig.NearDuplicateSettings()
        for (name, field, value) in settings(node, section: "near_duplicates", known: Self.nearDuplicateKeys) {
            switch name {
            case "enabled":
                if let b = bool(value, field) { result.enabled = b }
            case "threshold":
                if let t = value.float, t >= 0.2, t <= 0.95 {
                    result.threshold = t
                } else {
                    fail(value, field, "must be a number from 0.2 to 0.95 (estimated Jaccard similarity; default 0.5)")
                }
            case "minimum_words":
                if let n = integer(value, field, 5...100_000) { result.minimumWords = n }
            default:
                break  // reported by settings(_:section:known:)
            }
        }
        return result
    }

    mutating func readLog(_ node: Node) -> HeraldConfig.LogSettings {
        var log = HeraldConfig.LogSettings()
        for (name, field, value) in settings(node, section: "log", known: Self.logKeys) {
            switch name {
            case "segment_max_bytes":
                if let n = byteSize(value, field) { log.segmentMaxBytes = n }
            case "segment_max_age":
                if let d = duration(value, field, minimum: .seconds(1)) { log.segmentMaxAge = d }
            case "commit_delay":
                if let d = DurationText.parse(value.string ?? ""), d <= .seconds(1) {
                    log.commitDelay = d
                } else {
                    fail(value, field, "must be a duration from 0ms to 1s, such as 2ms")
                }
            case "retain_segments":
                if let n = integer(value, field, 1...1_000_000) { log.retainSegments = n }
            case "retain_age":
                if let d = duration(value, field, minimum: .seconds(60)) { log.retainAge = d }
            default:
                break  // reported by settings(_:section:known:)
            }
        }
        return log
    }

    mutating func readFeeds(_ node: Node) -> [HeraldConfig.FeedConfig] {
        if case .scalar(let scalar) = node, scalar.string.isEmpty || scalar.string == "~" { return [] }
        guard case .sequence(let sequence) = node else {
            fail(node, "feeds", "must be a list of feeds (- id: …, url: …)")
            return []
        }
        var feeds: [HeraldConfig.FeedConfig] = []
        var seen: [String: Int] = [:]
        for (index, item) in sequence.enumerated() {
            let prefix = "feeds[\(index)]"
            guard let mapping = item.mapping else {
                fail(item, prefix, "must be a mapping with id: and url:")
                continue
            }
            var feed = HeraldConfig.FeedConfig(id: "", url: "", interval: nil, tags: [], line: item.mark?.line ?? 0)
            var ok = true
            for (key, value) in mapping {
                let name = key.string ?? "?"
                switch name {
                case "id":
                    if let s = string(value, "\(prefix).id") {
                        if FeedIdentifier.isValid(s) {
                            feed.id = s
                            if let line = seen[s] {
                                fail(value, "\(prefix).id", "duplicate feed id \"\(s)\" (first used on line \(line))")
                                ok = false
                            }
                            seen[s] = value.mark?.line ?? 0
                        } else {
                            fail(value, "\(prefix).id", "\"\(s)\" is not a valid id: use 1-64 of a-z, 0-9, '.', '_', '-', starting with a letter or digit")
                            ok = false
                        }
                    } else {
                        ok = false
                    }
                case "url":
                    if let s = string(value, "\(prefix).url") {
                        if let url = feedURL(s) {
                            feed.url = url
                        } else {
                            fail(value, "\(prefix).url", "\"\(s)\" is not an http(s) URL, a file:// URL or a path to a local file")
                            ok = false
                        }
                    } else {
                        ok = false
                    }
                case "interval":
                    if let d = duration(value, "\(prefix).interval", minimum: .seconds(1)) { feed.interval = d } else { ok = false }
                case "min_interval":
                    if let d = duration(value, "\(prefix).min_interval", minimum: .seconds(1)) { feed.minInterval = d } else { ok = false }
                case "max_interval":
                    if let d = duration(value, "\(prefix).max_interval", minimum: .seconds(1)) { feed.maxInterval = d } else { ok = false }
                case "backlog":
                    if let n = integer(value, "\(prefix).backlog", 0...1_000_000) { feed.backlog = n } else { ok = false }
                case "tags":
                    if case .sequence(let tags) = value {
                        feed.tags = tags.compactMap { $0.string }
                    } else if let s = value.string {
                        feed.tags = [s]
                    } else {
                        fail(value, "\(prefix).tags", "must be a list of strings")
                    }
                default:
                    fail(key, "\(prefix).\(name)", "unknown feed setting (known: \(Self.feedKeys.sorted().joined(separator: ", ")))")
                }
            }
            if feed.id.isEmpty && ok { fail(item, "\(prefix).id", "missing: every feed needs an id"); ok = false }
            if feed.url.isEmpty && ok { fail(item, "\(prefix).url", "missing: every feed needs a url"); ok = false }
            if ok { feeds.append(feed) }
        }
        return feeds
    }

    /// http(s) and file URLs are kept; a bare path becomes a file:// URL relative to the config's directory.
    func feedURL(_ s: String) -> String? {
        let lower = s.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") {
            guard let url = URL(string: s), url.host?.isEmpty == false else { return nil }
            return s
        }
        // Local files are named by their real path: the fetcher reads regular files only, never through a link.
        if lower.hasPrefix("file://") {
            guard let url = URL(string: s), url.path.hasPrefix("/") else { return nil }
            return url.resolvingSymlinksInPath().absoluteString
        }
        if s.contains("://") || s.isEmpty { return nil }
        return URL(fileURLWithPath: resolvePath(s)).resolvingSymlinksInPath().absoluteString
    }

    func resolvePath(_ s: String) -> String {
        if s.hasPrefix("/") { return s }
        return ((baseDirectory as NSString).appendingPathComponent(s) as NSString).standardizingPath
    }

    mutating func string(_ node: Node, _ field: String) -> String? {
        guard case .scalar(let scalar) = node else {
            fail(node, field, "must be a single value, not a list or mapping")
            return nil
        }
        return scalar.string
    }

    mutating func bool(_ node: Node, _ field: String) -> Bool? {
        if let b = node.bool { return b }
        fail(node, field, "must be true or false")
        return nil
    }

    mutating func integer(_ node: Node, _ field: String, _ range: ClosedRange<Int>) -> Int? {
        if let n = node.int, range.contains(n) { return n }
        fail(node, field, "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        return nil
    }

    mutating func duration(_ node: Node, _ field: String, minimum: Duration) -> Duration? {
        guard let s = node.string, let d = DurationText.parse(s) else {
            fail(node, field, "must be a duration such as 90s, 15m, 1h or 500ms")
            return nil
        }
        if d < minimum {
            fail(node, field, "must be at least \(DurationText.format(minimum))")
            return nil
        }
        return d
    }

    mutating func byteSize(_ node: Node, _ field: String) -> Int? {
        guard let s = node.string, let n = ByteSizeText.parse(s), n >= 1024 else {
            fail(node, field, "must be a size of at least 1KiB, such as 15MiB, 512KiB or 1048576")
            return nil
        }
        return n
    }
}

/// Feed identifiers are used in file names, so they are restricted.
enum FeedIdentifier {
    static func isValid(_ s: String) -> Bool {
        let bytes = Array(s.utf8)
        guard !bytes.isEmpty, bytes.count <= 64 else { return false }
        func allowed(_ b: UInt8) -> Bool {
            (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2E || b == 0x5F || b == 0x2D
        }
        guard bytes.allSatisfy(allowed), bytes[0] != 0x2E, bytes[0] != 0x2D, bytes[0] != 0x5F else { return false }
        return true
    }
}
