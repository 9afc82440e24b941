/// An IPv4 or IPv6 address, classified for ``AddressPolicy/publicOnly``.
struct IPAddress: Sendable, Equatable, CustomStringConvertible {
    enum Storage: Sendable, Equatable {
        case v4(UInt32)
        case v6([UInt8])  // 16 bytes, network order
    }

    let storage: Storage

    init(v4 value: UInt32) {
        storage = .v4(value)
    }

    init(v4 a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        storage = .v4(UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d))
    }

    /// - Precondition: `bytes.count == 16`.
    init(v6 bytes: [UInt8]) {
        precondition(bytes.count == 16, "an IPv6 address has 16 bytes")
        storage = .v6(bytes)
    }

    /// Parses dotted-quad IPv4 or RFC 4291 IPv6 text (with `::` and a trailing dotted quad); nil when invalid.
    init?(_ text: String) {
        if text.contains(":") {
            guard let bytes = IPAddress.parseV6(Substring(text)) else { return nil }
            storage = .v6(bytes)
        } else {
            guard let value = IPAddress.parseV4(Substring(text)) else { return nil }
            storage = .v4(value)
        }
    }

    /// Whether the address is publicly routable unicast, i.e. allowed by ``AddressPolicy/publicOnly``.
    var isPublic: Bool {
        switch storage {
        case .v4(let value):
            return IPAddress.isPublicV4(value)
        case .v6(let bytes):
            return IPAddress.isPublicV6(bytes)
        }
    }

    var description: String {
        switch storage {
        case .v4(let v):
            return "\(v >> 24).\(v >> 16 & 0xff).\(v >> 8 & 0xff).\(v & 0xff)"
        case .v6(let b):
            let groups = stride(from: 0, to: 16, by: 2).map {
                String(UInt16(b[$0]) << 8 | UInt16(b[$0 + 1]), radix: 16)
            }
            return groups.joined(separator: ":")
        }
    }

    // MARK: - Classification

    /// IPv4 ranges that are not publicly routable: (network, prefix length).
    private static let nonPublicV4: [(UInt32, Int)] = [
        (0x0000_0000, 8),  // 0.0.0.0/8 "this network", includes unspecified
        (0x0A00_0000, 8),  // 10.0.0.0/8 private
        (0x6440_0000, 10),  // 100.64.0.0/10 shared address space (CGNAT)
        (0x7F00_0000, 8),  // 127.0.0.0/8 loopback
        (0xA9FE_0000, 16),  // 169.254.0.0/16 link-local
        (0xAC10_0000, 12),  // 172.16.0.0/12 private
        (0xC000_0000, 24),  // 192.0.0.0/24 IETF protocol assignments
        (0xC000_0200, 24),  // 192.0.2.0/24 documentation
        (0xC058_6300, 24),  // 192.88.99.0/24 6to4 relay anycast (deprecated)
        (0xC0A8_0000, 16),  // 192.168.0.0/16 private
        (0xC612_0000, 15),  // 198.18.0.0/15 benchmarking
        (0xC633_6400, 24),  // 198.51.100.0/24 documentation
        (0xCB00_7100, 24),  // 203.0.113.0/24 documentation
        (0xE000_0000, 4),  // 224.0.0.0/4 multicast
        (0xF000_0000, 4),  // 240.0.0.0/4 reserved, includes broadcast
    ]

    static func isPublicV4(_ value: UInt32) -> Bool {
        for (network, length) in nonPublicV4 {
            let mask: UInt32 = length == 0 ? 0 : ~UInt32(0) << (32 - length)
            if value & mask == network { return false }
        }
        return true
    }

    static func isPublicV6(_ b: [UInt8]) -> Bool {
        func hasPrefix(_ prefix: [UInt8]) -> Bool { b.starts(with: prefix) }
        func v4(at offset: Int) -> UInt32 {
            UInt32(b[offset]) << 24 | UInt32(b[offset + 1]) << 16 | UInt32(b[offset + 2]) << 8 | UInt32(b[offset + 3])
        }
        let zeros10 = [UInt8](repeating: 0, count: 10)
        // ::ffff:a.b.c.d (IPv4-mapped): judge the IPv4 address.
        if hasPrefix(zeros10 + [0xff, 0xff]) { return isPublicV4(v4(at: 12)) }
        // ::/96 covers :: (unspecified), ::1 (loopback) and deprecated IPv4-compatible addresses.
        if hasPrefix(zeros10 + [0, 0]) { return false }
        // 64:ff9b::/96 NAT64 well-known prefix: judge the embedded IPv4 address.
        if hasPrefix([0x00, 0x64, 0xff, 0x9b] + [UInt8](repeating: 0, count: 8)) { return isPublicV4(v4(at: 12)) }
        // 64:ff9b:1::/48 local-use NAT64.
        if hasPrefix([0x00, 0x64, 0xff, 0x9b, 0x00, 0x01]) { return false }
        // 100::/64 discard-only.
        if hasPrefix([0x01, 0x00, 0, 0, 0, 0, 0, 0]) { return false }
        // 2001:db8::/32 documentation.
        if hasPrefix([0x20, 0x01, 0x0d, 0xb8]) { return false }
        // 2002::/16 6to4: judge the embedded IPv4 address.
        if hasPrefix([0x20, 0x02]) { return isPublicV4(v4(at: 2)) }
        let first = b[0]
        let second = b[1]
        if first & 0xfe == 0xfc { return false }  // fc00::/7 unique local
        if first == 0xfe && second & 0xc0 == 0x80 { return false }  // fe80::/10 link-local
        if first == 0xfe && second & 0xc0 == 0xc0 { return false }  // fec0::/10 site-local (deprecated)
        if first == 0xff { return false }  // ff00::/8 multicast
        return true
    }

    // MARK: - Parsing

    static func parseV4(_ text: Substring) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII), let octet = UInt8(part) else {
                return nil
            }
            value = value << 8 | UInt32(octet)
        }
        return value
    }

    static func parseV6(_ text: Substring) -> [UInt8]? {
        var text = text
        if text.hasPrefix("[") && text.hasSuffix("]") { text = text.dropFirst().dropLast() }
        if let zone = text.firstIndex(of: "%") { text = text[..<zone] }
        let halves = text.components(separatedByDoubleColon: ())
        guard halves.count <= 2 else { return nil }
        func groups(_ part: Substring, allowTrailingV4: Bool) -> [UInt16]? {
            if part.isEmpty { return [] }
            var result: [UInt16] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if index == pieces.count - 1, allowTrailingV4, piece.contains(".") {
                    guard let v4 = parseV4(piece) else { return nil }
                    result.append(UInt16(v4 >> 16))
                    result.append(UInt16(v4 & 0xffff))
                } else {
                    guard !piece.isEmpty, piece.count <= 4, let group = UInt16(piece, radix: 16) else { return nil }
                    result.append(group)
                }
            }
            return result
        }
        var all: [UInt16]
        if halves.count == 2 {
            guard let head = groups(halves[0], allowTrailingV4: false),
                let tail = groups(halves[1], allowTrailingV4: true),
                head.count + tail.count <= 7
            else { return nil }
            all = head + [UInt16](repeating: 0, count: 8 - head.count - tail.count) + tail
        } else {
            guard let only = groups(halves[0], allowTrailingV4: true), only.count == 8 else { return nil }
            all = only
        }
        return all.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xff)] }
    }
}

extension Substring {
    /// Splits at each `::`; IPv6 text may contain at most one.
    fileprivate func components(separatedByDoubleColon: Void) -> [Substring] {
        var result: [Substring] = []
        var start = startIndex
        var index = startIndex
        while index < endIndex {
            let next = self.index(after: index)
            if self[index] == ":" && next < endIndex && self[next] == ":" {
                result.append(self[start..<index])
                start = self.index(after: next)
                index = start
            } else {
                index = next
            }
        }
        result.append(self[start..<endIndex])
        return result
    }
}
