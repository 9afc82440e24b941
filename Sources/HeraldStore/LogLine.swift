/// Fast checks on change-log lines that avoid decoding the whole event.
enum LogLine {
    /// The top-level `seq` of a line if it is one complete JSON object with an unsigned integer `seq` member;
    /// nil for anything else (a torn fragment, an empty line, garbage).
    ///
    /// Checks the object's structure (strings, nesting, separators) but not the grammar of numbers and literals
    /// nor UTF-8: it only has to tell Herald's own lines from torn prefixes of them.
    static func seq(of line: ArraySlice<UInt8>) -> UInt64? {
        var scanner = Scanner(bytes: line)
        return scanner.topLevel()?.seq
    }

    /// The top-level `seq`, `epoch` and `type` of a line (see ``seq(of:)``); the strings are nil when absent,
    /// and are returned as written (Herald's epochs and types never need escapes).
    static func fields(of line: ArraySlice<UInt8>) -> Fields? {
        var scanner = Scanner(bytes: line)
        return scanner.topLevel()
    }

    /// What ``fields(of:)`` extracts.
    struct Fields: Equatable {
        var seq: UInt64
        var epoch: String?
        var type: String?
    }

    private struct Scanner {
        let bytes: ArraySlice<UInt8>
        var index: Int

        init(bytes: ArraySlice<UInt8>) {
            self.bytes = bytes
            self.index = bytes.startIndex
        }

        mutating func topLevel() -> Fields? {
            skipWhitespace()
            guard consume(UInt8(ascii: "{")) else { return nil }
            var seq: UInt64?
            var epoch: String?
            var type: String?
            skipWhitespace()
            if consume(UInt8(ascii: "}")) { return finish(seq, epoch, type) }
            while true {
                skipWhitespace()
                guard let key = readString() else { return nil }
                skipWhitespace()
                guard consume(UInt8(ascii: ":")) else { return nil }
                skipWhitespace()
                if key.elementsEqual("seq".utf8) {
                    guard seq == nil, let value = readUnsigned() else { return nil }
                    seq = value
                } else if key.elementsEqual("epoch".utf8) || key.elementsEqual("type".utf8),
                    index < bytes.endIndex, bytes[index] == UInt8(ascii: "\"")
                {
                    guard let raw = readString() else { return nil }
                    if key.first == UInt8(ascii: "e") {
                        epoch = String(decoding: raw, as: UTF8.self)
                    } else {
                        type = String(decoding: raw, as: UTF8.self)
                    }
                } else {
                    guard skipValue() else { return nil }
                }
                skipWhitespace()
                if consume(UInt8(ascii: ",")) { continue }
                guard consume(UInt8(ascii: "}")) else { return nil }
                return finish(seq, epoch, type)
            }
        }

        private mutating func finish(_ seq: UInt64?, _ epoch: String?, _ type: String?) -> Fields? {
            skipWhitespace()
            guard index == bytes.endIndex, let seq else { return nil }
            return Fields(seq: seq, epoch: epoch, type: type)
        }

        private mutating func skipWhitespace() {
            while index < bytes.endIndex {
                switch bytes[index] {
                case 0x20, 0x09, 0x0D, 0x0A: index += 1
                default: return
                }
            }
        }

        private mutating func consume(_ byte: UInt8) -> Bool {
            guard index < bytes.endIndex, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        /// Reads a string starting at `"`; returns its raw (still escaped) content.
        private mutating func readString() -> ArraySlice<UInt8>? {
            guard consume(UInt8(ascii: "\"")) else { return nil }
            let start = index
            while index < bytes.endIndex {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\\") {
                    index += 2
                } else if byte == UInt8(ascii: "\"") {
                    let content = bytes[start..<index]
                    index += 1
                    return content
                } else if byte < 0x20 {
                    return nil
                } else {
                    index += 1
                }
            }
            return nil
        }

        private mutating func readUnsigned() -> UInt64? {
            var value: UInt64 = 0
            let start = index
            while index < bytes.endIndex, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                let (times10, o1) = value.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(UInt64(bytes[index] - 0x30))
                if o1 || o2 { return nil }
                value = sum
                index += 1
            }
            if index == start { return nil }
            if index < bytes.endIndex {
                let next = bytes[index]
                if next == UInt8(ascii: ".") || next == UInt8(ascii: "e") || next == UInt8(ascii: "E") { return nil }
            }
            return value
        }

        /// Skips one value of any kind; false when it is malformed or incomplete.
        private mutating func skipValue() -> Bool {
            guard index < bytes.endIndex else { return false }
            switch bytes[index] {
            case UInt8(ascii: "\""):
                return readString() != nil
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                var depth = 0
                while index < bytes.endIndex {
                    switch bytes[index] {
                    case UInt8(ascii: "\""):
                        guard readString() != nil else { return false }
                        continue
                    case UInt8(ascii: "{"), UInt8(ascii: "["):
                        depth += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"):
                        depth -= 1
                        if depth == 0 {
                            index += 1
                            return true
                        }
                    default:
                        break
                    }
                    index += 1
                }
                return false
            default:
                let start = index
                while index < bytes.endIndex {
                    let byte = bytes[index]
                    let isScalarByte =
                        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x7A)
                        || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".")
                        || byte == UInt8(ascii: "E")
                    guard isScalarByte else { break }
                    index += 1
                }
                return index > start
            }
        }
    }
}
