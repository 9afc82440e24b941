/// The one spelling of a host name used for budgets, robots.txt and the origin host exemption.
enum HostName {
    /// Lowercased, without IPv6 brackets or a trailing dot.
    static func normalized(_ host: String) -> String {
        var text = Substring(host.lowercased())
        if text.hasPrefix("["), text.hasSuffix("]") { text = text.dropFirst().dropLast() }
        if text.hasSuffix("."), text.count > 1 { text = text.dropLast() }
        return String(text)
    }
}
