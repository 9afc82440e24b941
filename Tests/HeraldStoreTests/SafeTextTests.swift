import Logging
import Testing

@testable import HeraldStore

@Suite struct SafeTextTests {
    @Test func plainTextIsUnchanged() {
        for text in ["", "Hello, world", "Ünïcödé — “quotes” 日本語 🎉", #"C:\path\n (a backslash and an n)"#] {
            #expect(text.escapingControlCharacters == text)
        }
    }

    @Test func controlsAreWrittenOutVisibly() {
        #expect("a\nb".escapingControlCharacters == #"a\nb"#)
        #expect("a\r\n\tb".escapingControlCharacters == #"a\r\n\tb"#)
        #expect("\u{1b}[31mred\u{1b}[0m".escapingControlCharacters == #"\u{1b}[31mred\u{1b}[0m"#)
        #expect("nul\u{0}bel\u{7}del\u{7f}".escapingControlCharacters == #"nul\u{0}bel\u{7}del\u{7f}"#)
        #expect("c1\u{9b}2J".escapingControlCharacters == #"c1\u{9b}2J"#)
        #expect("ls\u{2028}ps\u{2029}".escapingControlCharacters == #"ls\u{2028}ps\u{2029}"#)
        #expect("rlo\u{202e}txt.exe\u{2066}".escapingControlCharacters == #"rlo\u{202e}txt.exe\u{2066}"#)
    }

    @Test func escapedTextHasNoControlCharacterLeft() {
        var all = ""
        for value in 0..<0x300 { all.unicodeScalars.append(Unicode.Scalar(value)!) }
        let escaped = all.escapingControlCharacters
        #expect(!escaped.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
        #expect(escaped.contains("é"))
    }

    @Test func theLogHandlerEscapesMessagesAndMetadata() {
        let recorder = MetadataRecordingLogHandler()
        var logger = Logger(label: "t") { _ in EscapingLogHandler(wrapping: recorder) }
        logger[metadataKey: "feed"] = "evil\nfeed"
        logger.warning(
            "version 1.0\n2026-01-01 herald[1]: forged line\u{1b}[2J",
            metadata: ["title": "a\u{1b}]0;owned\u{7}", "list": ["x\ny"], "n": "\(1)"])
        let (message, metadata) = recorder.last!
        #expect(message == #"version 1.0\n2026-01-01 herald[1]: forged line\u{1b}[2J"#)
        #expect(metadata["title"] == .string(#"a\u{1b}]0;owned\u{7}"#))
        #expect(metadata["list"] == .array([.string(#"x\ny"#)]))
        #expect(recorder.metadata["feed"] == .string(#"evil\nfeed"#))
    }
}

/// Records the last message and its event metadata.
final class MetadataRecordingLogHandler: LogHandler, @unchecked Sendable {
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    var last: (String, Logger.Metadata)?

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        last = (event.message.description, event.metadata ?? [:])
    }
}
