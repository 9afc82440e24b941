import Foundation

/// The JSON settings used for every state file and change-log line: keys sorted, no `\/` escaping,
/// dates as RFC 3339 strings in UTC with millisecond precision (`2026-11-22T04:12:33.123Z`).
///
/// Decoding accepts any RFC 3339 date (with or without fractional seconds, any offset).
public enum StateJSON {
    /// Encodes `value` as compact JSON with sorted keys.
    /// - Throws: ``StoreError`` with code `.invalidArgument` when the value cannot be encoded (e.g. a NaN double).
    public static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        do {
            return [UInt8](try makeEncoder().encode(value))
        } catch {
            throw StoreError(
                code: .invalidArgument, path: "", message: "cannot encode \(T.self) as JSON: \(describe(error))")
        }
    }

    /// Decodes a `T` from JSON bytes.
    /// - Parameter path: the file the bytes came from, used in the error message.
    /// - Throws: ``StoreError`` with code `.corrupt` naming the field that failed.
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8], path: String = "") throws -> T {
        do {
            return try makeDecoder().decode(type, from: Data(bytes))
        } catch {
            let place = path.isEmpty ? "" : " in \(path)"
            throw StoreError(
                code: .corrupt, path: path, message: "invalid JSON\(place) for \(T.self): \(describe(error))")
        }
    }

    static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            let interval = date.timeIntervalSince1970
            var seconds = interval.rounded(.down)
            var millis = ((interval - seconds) * 1000).rounded()
            if millis >= 1000 {
                seconds += 1
                millis = 0
            }
            var container = encoder.singleValueContainer()
            try container.encode(RFC3339.format(seconds: Int64(seconds), nanoseconds: Int64(millis) * 1_000_000))
        }
        return encoder
    }

    static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let seconds = RFC3339.parse(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "expected an RFC 3339 date, found \"\(text)\"")
            }
            return Date(timeIntervalSince1970: seconds)
        }
        return decoder
    }

    /// A one-line description of an encoding or decoding error, naming the field path.
    static func describe(_ error: any Error) -> String {
        func pathString(_ path: [any CodingKey]) -> String {
            if path.isEmpty { return "top level" }
            return path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
            DecodingError.dataCorrupted(let context):
            return "\(pathString(context.codingPath)): \(context.debugDescription)"
        case DecodingError.keyNotFound(let key, let context):
            return "\(pathString(context.codingPath + [key])): missing field \"\(key.stringValue)\""
        case EncodingError.invalidValue(_, let context):
            return "\(pathString(context.codingPath)): \(context.debugDescription)"
        default:
            return "\(error)"
        }
    }
}
