/// A compact JSON serializer for change-log lines, much faster than `JSONEncoder`.
///
/// Output rules (the log's format contract): no whitespace, object keys sorted by their UTF-8 bytes at every
/// level, `/` never escaped, non-ASCII written as raw UTF-8, `"` `\` and control characters below U+0020 escaped
/// (`\n`, `\t`, ... or `\u00XX`). Integers are written exactly; doubles in Swift's shortest round-trip form.
/// Swift strings are always valid Unicode (a lone surrogate cannot be stored in one), so the output is always
/// valid UTF-8.
enum ChangeEventEncoder {
    /// The encoding of `event` as one line, without the trailing newline.
    /// - Throws: ``StoreError`` `.invalidArgument` when `data` holds a NaN or infinite double.
    static func encode(_ event: ChangeEvent) throws(StoreError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        try append(event, to: &out)
        return out
    }

    /// Appends the encoding of `event` (without a newline) to `out`.
    static func append(_ event: ChangeEvent, to out: inout [UInt8]) throws(StoreError) {
        // Keys in sorted order: data, datacontenttype, epoch, id, seq, source, specversion, subject, time, type.
        appendRaw(#"{"data":"#, to: &out)
        try append(event.data, to: &out)
        appendRaw(#","datacontenttype":"#, to: &out)
        appendString(event.datacontenttype, to: &out)
        appendRaw(#","epoch":"#, to: &out)
        appendString(event.epoch, to: &out)
        appendRaw(#","id":"#, to: &out)
        appendString(event.id, to: &out)
        appendRaw(#","seq":"#, to: &out)
        appendUnsigned(event.seq, to: &out)
        appendRaw(#","source":"#, to: &out)
        appendString(event.source, to: &out)
        appendRaw(#","specversion":"#, to: &out)
        appendString(event.specversion, to: &out)
        appendRaw(#","subject":"#, to: &out)
        appendString(event.subject, to: &out)
        appendRaw(#","time":"#, to: &out)
        appendString(event.time, to: &out)
        appendRaw(#","type":"#, to: &out)
        appendString(event.type, to: &out)
        out.append(UInt8(ascii: "}"))
    }

    /// The encoding of a JSON value.
    static func encode(_ value: JSONValue) throws(StoreError) -> [UInt8] {
        var out: [UInt8] = []
        try append(value, to: &out)
        return out
    }

    /// Appends the encoding of a JSON value to `out`.
    static func append(_ value: JSONValue, to out: inout [UInt8]) throws(StoreError) {
        switch value {
        case .null:
            appendRaw("null", to: &out)
        case .bool(let flag):
            appendRaw(flag ? "true" : "false", to: &out)
        case .int(let number):
            if number < 0 {
                out.append(UInt8(ascii: "-"))
                appendUnsigned(number.magnitude, to: &out)
            } else {
                appendUnsigned(UInt64(number), to: &out)
            }
        case .double(let number):
            guard number.isFinite else {
                throw StoreError(
                    code: .invalidArgument, path: "",
                    message: "cannot encode \(number) as JSON: JSON has no NaN or infinite numbers")
            }
            // Swift's description is the shortest string that parses back to the same Double, and is valid
            // JSON for finite values ("1.0", "1e-05", "-0.0", "1e+100").
            appendRaw(number.description, to: &out)
        case .string(let text):
            appendString(text, to: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            var first = true
            for element in elements {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                try append(element, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            var first = true
            for key in sortedKeys(members) {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                appendString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                try append(members[key]!, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Keys ordered by their UTF-8 bytes (the same as Unicode code point order).
    static func sortedKeys(_ members: [String: JSONValue]) -> [String] {
        if members.count == 1 { return [members.first!.key] }
        return members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    private static func appendRaw(_ text: StaticString, to out: inout [UInt8]) {
        text.withUTF8Buffer { out.append(contentsOf: $0) }
    }

    private static func appendRaw(_ text: String, to out: inout [UInt8]) {
        out.append(contentsOf: text.utf8)
    }

    static func appendUnsigned(_ value: UInt64, to out: inout [UInt8]) {
        if value < 10 {
            out.append(0x30 + UInt8(value))
            return
        }
        var digits: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)  // 32 bytes: room for 20 digits
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { raw in
            while rest > 0 {
                raw[31 - count] = 0x30 + UInt8(rest % 10)
                rest /= 10
                count += 1
            }
            out.append(contentsOf: raw[(32 - count)...])
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends `text` as a quoted JSON string.
    static func appendString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            var start = 0
            for index in 0..<bytes.count {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                if start < index { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index])) }
                start = index + 1
                out.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
                case 0x0A: out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(UInt8(ascii: "r"))
                case 0x09: out.append(UInt8(ascii: "t"))
                case 0x08: out.append(UInt8(ascii: "b"))
                case 0x0C: out.append(UInt8(ascii: "f"))
                default:
                    out.append(contentsOf: [
                        UInt8(ascii: "u"), 0x30, 0x30, hexDigits[Int(byte >> 4)],
                        hexDigits[Int(byte & 0x0F)],
                    ])
                }
            }
            if start < bytes.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...])) }
        }
        out.append(UInt8(ascii: "\""))
    }
}
