import Logging

/// A log handler that escapes control characters (see ``Swift/String/escapingControlCharacters``) in every
/// message, metadata key and value and error description before passing the event on, so text from a feed can
/// neither forge a log line nor send escape sequences to a terminal.
public struct EscapingLogHandler: LogHandler {
    private var inner: any LogHandler

    /// Wraps `inner`; its existing metadata is escaped too.
    public init(wrapping inner: any LogHandler) {
        self.inner = inner
        self.inner.metadata = Self.escape(inner.metadata)
    }

    public var logLevel: Logger.Level {
        get { inner.logLevel }
        set { inner.logLevel = newValue }
    }

    public var metadata: Logger.Metadata {
        get { inner.metadata }
        set { inner.metadata = Self.escape(newValue) }
    }

    public var metadataProvider: Logger.MetadataProvider? {
        get { inner.metadataProvider }
        set {
            inner.metadataProvider = newValue.map { provider in
                Logger.MetadataProvider { Self.escape(provider.get()) }
            }
        }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { inner[metadataKey: key] }
        set { inner[metadataKey: key.escapingControlCharacters] = newValue.map(Self.escape) }
    }

    public func log(event: LogEvent) {
        var escaped = event
        escaped.message = Logger.Message(stringLiteral: event.message.description.escapingControlCharacters)
        escaped.metadata = event.metadata.map(Self.escape)
        escaped.error = event.error.map { EscapedError(description: "\($0)".escapingControlCharacters) }
        inner.log(event: escaped)
    }

    static func escape(_ metadata: Logger.Metadata) -> Logger.Metadata {
        var result: Logger.Metadata = [:]
        for (key, value) in metadata { result[key.escapingControlCharacters] = escape(value) }
        return result
    }

    static func escape(_ value: Logger.Metadata.Value) -> Logger.Metadata.Value {
        switch value {
        case .string(let text): return .string(text.escapingControlCharacters)
        case .stringConvertible(let convertible): return .string(convertible.description.escapingControlCharacters)
        case .array(let values): return .array(values.map(escape))
        case .dictionary(let dictionary): return .dictionary(escape(dictionary))
        @unknown default: return .string("\(value)".escapingControlCharacters)
        }
    }

    private struct EscapedError: Error, CustomStringConvertible {
        var description: String
    }
}
