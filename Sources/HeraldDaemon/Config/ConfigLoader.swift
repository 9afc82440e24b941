import Foundation
import Yams

/// One problem found in a configuration file.
public struct ConfigProblem: Sendable, Equatable, CustomStringConvertible {
    /// 1-based line, when known.
    public var line: Int?
    /// Dotted path of the field, e.g. `feeds[2].url`.
    public var field: String
    /// What is wrong and what to write instead.
    public var message: String

    public var description: String {
        let location = line.map { "line \($0): " } ?? ""
        return "\(location)\(field): \(message)"
    }
}

/// The configuration is invalid; `problems` lists every problem found.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    /// The file that was read.
    public var path: String
    /// Every problem, in file order.
    public var problems: [ConfigProblem]

    public var description: String {
        (["\(path): \(problems.count) problem\(problems.count == 1 ? "" : "s")"]
            + problems.map { "  \($0)" }).joined(separator: "\n")
    }
}

/// Reads and validates Herald's YAML configuration, collecting every problem with its line.
public enum ConfigLoader {
    /// Reads `path` and validates it.
    /// - Throws: `ConfigError` listing every problem.
    public static func load(path: String) throws(ConfigError) -> HeraldConfig {
        let absolute = absolutePath(path)
        guard let data = FileManager.default.contents(atPath: absolute) else {
            throw ConfigError(
                path: path,
                problems: [ConfigProblem(line: nil, field: "(file)", message: "cannot read \(absolute): no such file or not readable")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(path: path, problems: [ConfigProblem(line: nil, field: "(file)", message: "not UTF-8 text")])
        }
        let baseDirectory = (absolute as NSString).deletingLastPathComponent
        var config = try parse(text, baseDirectory: baseDirectory, path: path)
        config.sourcePath = absolute
        return config
    }

    /// Parses configuration text; relative paths are resolved against `baseDirectory`.
    public static func parse(_ text: String, baseDirectory: String, path: String = "(config)") throws(ConfigError)
        -> HeraldConfig
    {
        var reader = ConfigReader(baseDirectory: baseDirectory)
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigError(path: path, problems: [ConfigReader.problem(from: error)])
        } catch {
            throw ConfigError(path: path, problems: [ConfigProblem(line: nil, field: "(file)", message: "\(error)")])
        }
        guard let node else {
            throw ConfigError(path: path, problems: [ConfigProblem(line: 1, field: "(file)", message: "the file is empty")])
        }
        let config = reader.read(node)
        if !reader.problems.isEmpty {
            throw ConfigError(path: path, problems: reader.problems.sorted { ($0.line ?? 0) < ($1.line ?? 0) })
        }
        return config
    }

    static func absolutePath(_ path: String) -> String {
        if path.hasPrefix("/") { return (path as NSString).standardizingPath }
        let cwd = FileManager.default.currentDirectoryPath
        return ((cwd as NSString).appendingPathComponent(path) as NSString).standardizingPath
    }
}
