/// The kernel's boot id, which changes at every boot: a log opened under another boot id without a clean-shutdown
/// mark went through a machine crash, and events a reader saw may have been lost.
enum BootID {
    /// Where Linux publishes it.
    static let path = "/proc/sys/kernel/random/boot_id"

    /// The current boot id, or nil when it cannot be read (not Linux, /proc not mounted).
    static func current() -> String? {
        guard let bytes = try? AtomicFile.read(path) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self).trimmingWhitespace()
        return text.isEmpty ? nil : text
    }
}

extension String {
    /// The string without leading and trailing ASCII whitespace.
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[start...end])
    }
}
