import Foundation

/// When a server asked to be contacted again, from a `Retry-After` header (RFC 9110 §10.2.3).
public struct RetryAfter: Sendable, Equatable {
    /// The longest wait honoured; a larger value (or a date further away) is cut to this.
    public static let maximumDelay: Duration = .seconds(7 * 86_400)

    /// The wall-clock instant before which the server should not be asked again.
    public var date: Date
    /// How long after the response that instant is; never negative, at most ``maximumDelay``.
    public var delay: Duration

    /// Creates a value from a delay counted from `now`.
    public init(delay: Duration, now: Date) {
        let clamped = min(max(delay, .zero), RetryAfter.maximumDelay)
        self.delay = clamped
        self.date = now.addingTimeInterval(clamped.timeInterval)
    }

    /// Parses a `Retry-After` value: delta-seconds (`120`) or an HTTP-date in any of its three forms.
    /// - Parameter now: the time the response arrived; a date is turned into a delay from it.
    /// - Returns: nil when the value is neither form.
    public static func parse(_ value: String, now: Date) -> RetryAfter? {
        let text = value.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return nil }
        if text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            // Anything longer than 9 digits is beyond the cap anyway (and could overflow).
            let seconds = text.utf8.count > 9 ? Int64.max : Int64(text) ?? Int64.max
            let delay = seconds > 7 * 86_400 ? maximumDelay : Duration.seconds(seconds)
            return RetryAfter(delay: delay, now: now)
        }
        guard let date = HTTPDate.parse(text) else { return nil }
        return RetryAfter(delay: .seconds(max(0, date.timeIntervalSince(now))), now: now)
    }
}

extension Duration {
    /// The duration in seconds as a `TimeInterval`.
    var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
