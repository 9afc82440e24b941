import Foundation
import HeraldFetch

/// Decides whether and how a link found inside a feed may be fetched.
///
/// - Only http and https links are fetched from web feeds; `javascript:`, `data:`, `file:` and anything else never.
/// - Every hop of a page fetch (the link and each redirect) to a host other than the feed's own is held to
///   `AddressPolicy.publicOnly`, so it cannot reach loopback, private or link-local addresses (checked at connect
///   time), unless the configuration says `allow_private_networks: true`. Hops to the feed's own host (the
///   `trustedHost`) may use whatever address that host has: a feed on an intranet host may link to its pages, but
///   an open redirect on it cannot lead anywhere else.
/// - A feed read from a local file (written in the configuration) may link to files in its own directory tree;
///   this is how the bundled offline sample works. Nothing outside that tree is read.
enum PageLinkPolicy {
    enum Decision: Equatable {
        case fetch(url: String, addressPolicy: AddressPolicy, trustedHost: String?, allowFile: Bool)
        case refuse(String)
    }

    static func decide(link: String, feedURL: String, allowPrivateNetworks: Bool) -> Decision {
        guard let url = URL(string: link), let scheme = url.scheme?.lowercased() else {
            return .refuse("the link \"\(link.prefix(200))\" is not a valid URL")
        }
        switch scheme {
        case "http", "https":
            guard let host = url.host?.lowercased(), !host.isEmpty else { return .refuse("the link has no host") }
            _ = host
            let feedHost = URL(string: feedURL)?.host?.lowercased()
            return .fetch(
                url: link, addressPolicy: allowPrivateNetworks ? .any : .publicOnly, trustedHost: feedHost, allowFile: false)
        case "file":
            guard let feed = URL(string: feedURL), feed.scheme?.lowercased() == "file" else {
                return .refuse("file: links are never fetched from web feeds")
            }
            let root = realPath(feed.deletingLastPathComponent().path)
            let target = realPath(url.path)
            guard let root, let target, target.hasPrefix(root.hasSuffix("/") ? root : root + "/") else {
                return .refuse("file: link outside the local feed's directory")
            }
            return .fetch(url: URL(fileURLWithPath: target).absoluteString, addressPolicy: .any, trustedHost: nil, allowFile: true)
        default:
            return .refuse("\(scheme): links are never fetched")
        }
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
