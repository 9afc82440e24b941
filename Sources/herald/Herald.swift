import ArgumentParser
import Foundation
import HeraldDaemon
import HeraldStore
import Logging

@main
struct Herald: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "herald",
        abstract: "Herald: a news-ingestion daemon. Polls feeds, extracts articles, keeps a change log.",
        version: HeraldVersion.current,
        subcommands: [
            RunCommand.self, TailCommand.self, ReingestCommand.self, StatusCommand.self, CheckConfigCommand.self,
            ExtractCommand.self, ParseFeedCommand.self, VerifyCommand.self,
        ]
    )
}

/// Options naming the configuration file and the state directory.
struct LocationOptions: ParsableArguments {
    @Option(name: .long, help: "Configuration file.")
    var config: String = "config/herald.yaml"

    @Option(name: .customLong("state-dir"), help: "State directory (overrides state_dir in the configuration).")
    var stateDir: String?

    /// The state directory: --state-dir, else $STATE_DIRECTORY (systemd), else the configuration's, else `state`.
    func resolvedStateDirectory() -> String {
        if let stateDir { return absolute(stateDir) }
        if let fromSystemd = ProcessInfo.processInfo.environment["STATE_DIRECTORY"], !fromSystemd.isEmpty {
            return fromSystemd.split(separator: ":").first.map(String.init) ?? fromSystemd
        }
        if let loaded = try? ConfigLoader.load(path: config) { return loaded.stateDirectory }
        return absolute("state")
    }

    /// --state-dir, else $STATE_DIRECTORY, else nil (the configuration decides).
    var stateOverride: String? {
        if let stateDir { return stateDir }
        if let fromSystemd = ProcessInfo.processInfo.environment["STATE_DIRECTORY"], !fromSystemd.isEmpty {
            return fromSystemd.split(separator: ":").first.map(String.init)
        }
        return nil
    }
}

func absolute(_ path: String) -> String {
    path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
}

/// Logging goes to stderr (journald keeps it under systemd), every message and metadata value with its control
/// characters escaped, so text from a feed cannot forge a log line or drive the terminal.
func bootstrapLogging(level: String) {
    let parsed = Logger.Level(rawValue: level) ?? .info
    LoggingSystem.bootstrap { label in
        var handler = EscapingLogHandler(wrapping: StreamLogHandler.standardError(label: label))
        handler.logLevel = parsed
        return handler
    }
}

/// A failure the CLI reports in one line, with an exit code.
struct CLIFailure: Error, CustomStringConvertible {
    var message: String
    var code: Int32
    var description: String { message }
}

func fail(_ message: String, code: Int32 = 1) -> ExitCode {
    FileHandle.standardError.write(Data(("herald: " + message + "\n").utf8))
    return ExitCode(code)
}

/// Writes bytes to stdout without buffering surprises; false when stdout is gone.
@discardableResult
func writeOut(_ bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBytes { raw in
        var offset = 0
        while offset < raw.count {
            let n = write(1, raw.baseAddress! + offset, raw.count - offset)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }
}
