import Foundation
import HeraldFetch

/// Decides whether and how a link found inside a feed may be fetched.
///
/// - Only http and https links are fetched from web feeds; `javascript:`, `data:`, `file:` and anything else never.
/// - A link on another host than its feed is fetched with `AddressPolicy.publicOnly`, so it cannot reach loopback,
///   private or link-local addresses (checked at connect time, redirects included), unless the configuration says
///   `allow_private_networks: true`.
/// - A feed read from a local file (written in the configuration) may link to files in its own directory tree;
///   this is how the bundled offline sample works. Nothing outside that tree is read.
enum PageLinkPolicy {
    enum Decision: Equatable {
        case fetch(url: String, addressPolicy: AddressPolicy, allowFile: Bool)
        case refuse(String)
    }

    static func decide(link: String, feedURL: String, allowPrivateNetworks: Bool) -> Decision {
        guard let url = URL(string: link), let scheme = url.scheme?.lowercased() else {
            return .refuse("the link \"\(link.prefix(200))\" is not a valid URL")
        }
        switch scheme {
        case "http", "https":
            guard let host = url.host?.lowercased(), !host.isEmpty else { return .refuse("the link has no host") }
            let feedHost = URL(string: feedURL)?.host?.lowercased()
            let sameHost = feedHost == host
            return .fetch(url: link, addressPolicy: (sameHost || allowPrivateNetworks) ? .any : .publicOnly, allowFile: false)
        case "file":
            guard let feed = URL(string: feedURL), feed.scheme?.lowercased() == "file" else {
                return .refuse("file: links are never fetched from web feeds")
            }
            let root = realPath(feed.deletingLastPathComponent().path)
            let target = realPath(url.path)
            guard let root, let target, target.hasPrefix(root.hasSuffix("/") ? root : root + "/") else {
                return .refuse("file: link outside the local feed's directory")
            }
            return .fetch(url: URL(fileURLWithPath: target).absoluteString, addressPolicy: .any, allowFile: true)
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
