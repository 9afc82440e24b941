import Foundation

/// How long a response stays fresh, from `Cache-Control` or `Expires` (RFC 9111 §4.2.1), for a poller that
/// wants to know how soon the server expects to be asked again.
enum CacheFreshness {
    /// The longest lifetime reported; larger values are cut to this.
    static let maximumLifetime: Duration = .seconds(365 * 86_400)

    /// - `Cache-Control: no-store` or `no-cache` → nil (the server gives no lifetime to honour);
    /// - else `max-age`, or `s-maxage` when there is no `max-age`;
    /// - else `Expires` minus `Date` (or minus `now` without a valid `Date`); an invalid `Expires` means already
    ///   expired (zero), as RFC 9111 §5.3 says;
    /// - else nil.
    static func lifetime(cacheControl: String?, expires: String?, date: String?, now: Date) -> Duration? {
        if let cacheControl {
            var maxAge: Duration?
            var sharedMaxAge: Duration?
            for directive in cacheControl.split(separator: ",") {
                let parts = directive.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = parts[0].trimmingCharacters(in: .whitespaces).lowercased()
                var value = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
                if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                    value = String(value.dropFirst().dropLast())
                }
                switch name {
                case "no-store", "no-cache": return nil
                case "max-age": maxAge = maxAge ?? seconds(value)
                case "s-maxage": sharedMaxAge = sharedMaxAge ?? seconds(value)
                default: continue
                }
            }
            if let lifetime = maxAge ?? sharedMaxAge { return lifetime }
        }
        guard let expires else { return nil }
        guard let expiry = HTTPDate.parse(expires) else { return .zero }
        let base = date.flatMap(HTTPDate.parse) ?? now
        let interval = min(max(0, expiry.timeIntervalSince(base)), maximumLifetime.timeInterval)
        return .seconds(interval.rounded(.down))
    }

    /// delta-seconds, cut to ``maximumLifetime``; nil when not a number.
    private static func seconds(_ text: String) -> Duration? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        guard text.utf8.count <= 9, let value = Int64(text) else { return maximumLifetime }
        return min(.seconds(value), maximumLifetime)
    }
}
