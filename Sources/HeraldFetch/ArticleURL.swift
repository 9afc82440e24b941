/// One spelling for the many URLs that lead to the same article.
public enum ArticleURL {
    /// Query parameters that only track where a click came from; they never select content.
    ///
    /// Google Analytics and Ads (`_ga`, `_gl`, `gclid`, `gclsrc`, `dclid`, `gbraid`, `wbraid`), Meta (`fbclid`,
    /// `igshid`, `igsh`), Microsoft (`msclkid`), Mailchimp (`mc_cid`, `mc_eid`), Yandex (`yclid`), Twitter/X
    /// (`ref_src`, `ref_url`, `twclid`), TikTok (`ttclid`), LinkedIn (`li_fat_id`), Marketo (`mkt_tok`),
    /// HubSpot (`_hsenc`, `_hsmi`, `__hstc`, `__hssc`, `__hsfp`), Olytics (`oly_anon_id`, `oly_enc_id`),
    /// Vero (`vero_id`, `vero_conv`), Adobe (`s_kwcid`, `ef_id`), Pinterest (`epik`), Wicked Reports
    /// (`wickedid`), Matomo campaigns (`pk_*`, `mtm_*` names below), plus every `utm_*` parameter.
    public static let trackingParameters: Set<String> = [
        "_ga", "_gl", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "fbclid", "igshid", "igsh", "msclkid",
        "mc_cid", "mc_eid", "yclid", "ref_src", "ref_url", "twclid", "ttclid", "li_fat_id", "mkt_tok", "_hsenc",
        "_hsmi", "__hstc", "__hssc", "__hsfp", "oly_anon_id", "oly_enc_id", "vero_id", "vero_conv", "s_kwcid",
        "ef_id", "epik", "wickedid", "pk_campaign", "pk_kwd", "pk_source", "pk_medium", "pk_content",
        "mtm_campaign", "mtm_kwd", "mtm_source", "mtm_medium", "mtm_content", "mtm_cid", "mtm_group",
        "mtm_placement",
    ]

    /// Name prefixes of tracking parameters.
    public static let trackingPrefixes = ["utm_"]

    /// The canonical form of an article URL, for comparing links.
    ///
    /// Lowercases the scheme and host, drops the scheme's default port (80 for http, 443 for https), writes an
    /// empty http(s) path as `/`, drops the fragment and every tracking parameter (names compared
    /// case-insensitively), and drops empty query pieces. Everything else (user info, path, the other
    /// parameters and their order, percent-escapes) is kept exactly as given. Text without a scheme only loses
    /// its fragment.
    public static func canonical(_ url: String) -> String {
        var text = Substring(url)
        while let first = text.first, first == " " || first == "\t" || first == "\n" || first == "\r" {
            text = text.dropFirst()
        }
        while let last = text.last, last == " " || last == "\t" || last == "\n" || last == "\r" {
            text = text.dropLast()
        }
        if let hash = text.firstIndex(of: "#") { text = text[..<hash] }
        guard let colon = text.firstIndex(of: ":"), isScheme(text[..<colon]) else { return String(text) }
        let scheme = text[..<colon].lowercased()
        var rest = text[text.index(after: colon)...]

        var authority = ""
        if rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
            let end = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
            authority = canonicalAuthority(rest[..<end], scheme: scheme)
            rest = rest[end...]
            authority = "//" + authority
        }
        let queryStart = rest.firstIndex(of: "?")
        var path = String(rest[..<(queryStart ?? rest.endIndex)])
        if path.isEmpty, !authority.isEmpty, scheme == "http" || scheme == "https" { path = "/" }
        var result = scheme + ":" + authority + path
        if let queryStart {
            let kept = rest[rest.index(after: queryStart)...].split(separator: "&").filter { !isTracking($0) }
            if !kept.isEmpty { result += "?" + kept.joined(separator: "&") }
        }
        return result
    }

    private static func isScheme(_ text: Substring) -> Bool {
        guard let first = text.unicodeScalars.first, first.isASCIILetter else { return false }
        return text.unicodeScalars.allSatisfy {
            $0.isASCIILetter || ("0"..."9").contains($0) || "+-.".unicodeScalars.contains($0)
        }
    }

    /// `userinfo@host:port` with the host lowercased and a default or empty port dropped.
    private static func canonicalAuthority(_ authority: Substring, scheme: String) -> String {
        var userInfo = ""
        var hostPort = authority
        if let at = authority.lastIndex(of: "@") {
            userInfo = String(authority[...at])
            hostPort = authority[authority.index(after: at)...]
        }
        var host = hostPort
        var port: Substring?
        if hostPort.hasPrefix("[") {
            if let close = hostPort.firstIndex(of: "]") {
                host = hostPort[...close]
                let after = hostPort[hostPort.index(after: close)...]
                if after.hasPrefix(":") { port = after.dropFirst() }
            }
        } else if let lastColon = hostPort.lastIndex(of: ":") {
            host = hostPort[..<lastColon]
            port = hostPort[hostPort.index(after: lastColon)...]
        }
        var result = userInfo + host.lowercased()
        if let port, !port.isEmpty {
            let number = port.allSatisfy(\.isASCII) ? Int(port) : nil
            let isDefault = (scheme == "http" && number == 80) || (scheme == "https" && number == 443)
            if !isDefault { result += ":" + port }
        }
        return result
    }

    private static func isTracking(_ parameter: Substring) -> Bool {
        let name = (parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
            .lowercased()
        return trackingParameters.contains(name) || trackingPrefixes.contains { name.hasPrefix($0) }
    }
}
