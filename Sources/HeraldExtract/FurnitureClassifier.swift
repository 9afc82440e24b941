/// Judges an element's class, id and role: page furniture (navigation, share bars, ads, comments…) or content.
enum FurnitureClassifier {
    enum Verdict: Equatable {
        case neutral
        /// Class/id name a content container; the weight feeds the container score.
        case content
        /// Class/id/role name page furniture; the subtree is dropped (subject to the caller's guards).
        case furniture
        /// Strong furniture that is dropped even when it holds a lot of text (newsletter and cookie boxes,
        /// recommendation widgets), unless it holds most of the page's prose.
        case strongFurniture
        /// A comment thread: dropped however much prose it holds (an `<article>`/`<main>` holding half the page
        /// excepted); a page that is only a thread is read by the fallback.
        case comments
        /// Furniture only when the element is small or mostly links.
        case weakFurniture
    }

    /// - Parameter isParagraph: the element is a paragraph (`<p>`), where only byline/date/caption words are weak
    ///   furniture (a lead paragraph styled `class="title"` is still text).
    static func verdict(classAndID: String, role: String?, isParagraph: Bool = false) -> Verdict {
        if let role, furnitureRoles.contains(role.lowercasedFast()) { return .furniture }
        if classAndID.isEmpty { return .neutral }
        let tokens = words(classAndID)
        if tokens.isEmpty { return .neutral }
        // One lookup per token gives its memberships in all the word lists.
        let flags = tokens.map { tokenFlags[$0] ?? 0 }
        // Embedded posts (tweets, Instagram) quote sources: they are part of the story.
        if flags.contains(where: { $0 & TokenFlag.embed != 0 })
            || flags.contains(where: { $0 & TokenFlag.embedWord != 0 })
                && flags.contains(where: { $0 & TokenFlag.socialNetwork != 0 })
        {
            return .neutral
        }
        var furniture = false
        var strong = false
        var weak = false
        var content = false
        let weakFlag = isParagraph ? TokenFlag.paragraphWeak : TokenFlag.weak
        for (index, token) in tokens.enumerated() {
            let f = flags[index]
            if f & TokenFlag.comments != 0 { return .comments }
            if f & TokenFlag.strong != 0 { strong = true }
            if f & TokenFlag.furniture != 0 { furniture = true }
            if f & weakFlag != 0 { weak = true }
            if f & TokenFlag.content != 0 { content = true }
            if index + 1 < tokens.count, f & TokenFlag.bigramFirst != 0,
                furnitureBigrams.contains(token + " " + tokens[index + 1])
            {
                furniture = true
            }
            // Long words glued into one token: "relatedarticles", "sharebuttons", "newslettersignup".
            if token.utf8.count > 7 {
                var token = token
                let (comment, strongStem, plain) = token.withUTF8 {
                    (
                        commentStemPatterns.occursInShortText($0), strongFurnitureStemPatterns.occursInShortText($0),
                        furnitureStemPatterns.occursInShortText($0)
                    )
                }
                if comment { return .comments }
                if strongStem { strong = true }
                if plain { furniture = true }
            }
        }
        if strong { return .strongFurniture }
        if furniture { return .furniture }
        if weak { return .weakFurniture }
        return content ? .content : .neutral
    }

    /// The words of a `class`/`id` value that describe the element itself: `tokenize` over its names, leaving out
    /// names that are flags about the page or the element's neighbours rather than what the element is:
    /// framework roots and internals (`__next`, `_app`), layout flags (`has-sidebar`, `no-sidebars`,
    /// `with-banner`), taxonomy and content-type classes (`tag-cookie-recipes`, `category-advertising`,
    /// `entry-category-facebook`, `node--type-newsletter-article`), and responsive variants (`md:hidden`).
    static func words(_ classAndID: String) -> [String] {
        var tokens: [String] = []
        var responsive = false
        for name in classAndID.utf8.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
            if name.first == UInt8(ascii: "_") { continue }
            if name.contains(UInt8(ascii: ":")) || name.contains(UInt8(ascii: "[")) {
                responsive = true
                continue
            }
            let text = String(decoding: name, as: UTF8.self)
            if isFlag(text.lowercasedFast()) { continue }
            tokens += tokenize(text)
        }
        // `hidden md:block`: hidden on small screens only.
        if responsive { tokens.removeAll { $0 == "hidden" || $0 == "hide" } }
        return tokens
    }

    /// Class names that state a fact about the page or the layout around the element, not what it holds.
    static func isFlag(_ name: String) -> Bool {
        for prefix in flagPrefixes where name.hasPrefix(prefix) && name.utf8.count > prefix.utf8.count {
            return true
        }
        return false
    }

    private static let flagPrefixes: [String] = [
        "has-", "has_", "no-", "no_", "with-", "with_", "without-", "tag-", "tags-", "category-", "categories-",
        "cat-", "entry-category-", "post-category-", "post-tag-", "node--type-", "node-type-", "page-node-type-",
        "page-template-", "type-", "format-", "single-format-", "postid-", "term-", "taxonomy-",
    ]

    /// Splits `class`/`id` values into lowercase words at non-alphanumerics and camelCase boundaries.
    static func tokenize(_ text: String) -> [String] {
        var tokens: [String] = []
        var current: [UInt8] = []
        var previousLower = false
        func flush() {
            if !current.isEmpty { tokens.append(String(decoding: current, as: UTF8.self)) }
            current.removeAll(keepingCapacity: true)
        }
        for byte in text.utf8 {
            let isUpper = byte >= 0x41 && byte <= 0x5A
            let isLower = byte >= 0x61 && byte <= 0x7A
            let isDigit = byte >= 0x30 && byte <= 0x39
            if isUpper {
                if previousLower { flush() }
                current.append(byte + 0x20)
                previousLower = false
            } else if isLower || isDigit {
                current.append(byte)
                previousLower = isLower
            } else {
                flush()
                previousLower = false
            }
        }
        flush()
        return tokens
    }

    private static let embedTokens: Set<String> = ["tweet", "instagram", "tiktok"]
    private static let socialNetworks: Set<String> = ["social", "twitter", "facebook", "youtube", "media"]

    private static let furnitureRoles: Set<String> = [
        "navigation", "banner", "contentinfo", "complementary", "menu", "menubar", "dialog", "alertdialog", "search",
        "toolbar", "tablist",
    ]

    private static let commentTokens: Set<String> = ["comment", "comments", "disqus"]

    private static let strongFurnitureTokens: Set<String> = [
        "outbrain", "taboola", "cookie", "cookies", "consent", "gdpr", "newsletter", "newsletters",
    ]

    private static let furnitureTokens: Set<String> = [
        "nav", "navbar", "navigation", "subnav", "menu", "menus", "share", "shares", "sharing", "sharebar", "social",
        "socials", "related", "relateds", "subscribe", "subscription", "signup", "ad", "ads", "advert", "adverts",
        "advertisement", "advertising", "adslot", "adunit", "dfp", "sponsor", "sponsored", "promo", "promos",
        "promotion", "promoted", "footer", "sidebar", "breadcrumb", "breadcrumbs", "popup", "modal", "overlay",
        "toolbar", "pagination", "pager", "masthead", "skip", "offscreen", "recirc", "recirculation", "trending",
        "popular", "recommended", "recommendations", "recommendation", "rail", "topbar", "login", "signin",
        "survey", "feedback", "facebook", "whatsapp", "linkedin", "pinterest", "follow", "cta",
        "readmore", "alsoread", "newsroll", "ticker", "tooltip", "dropdown", "sitemap", "copyright", "disclaimer",
        "interstitial", "button", "btn", "search", "jump", "sronly",
        "screenreader", "reactions", "rating", "votes", "pullquote", "caption", "captions", "figcaption", "credit",
        "credits", "werbung", "anzeige", "publicidad",
        "publicite", "reklama",
    ]

    /// Words that mark furniture only on small or link-heavy elements (a big "paywall" or "video" block can hold
    /// the article itself).
    private static let weakFurnitureTokens: Set<String> = [
        "tags", "tagged", "keywords", "byline", "bylines", "author", "authors", "bio", "dateline", "timestamp",
        "date", "published", "banner", "widget", "widgets", "print", "hidden", "hide",
        "alert", "meta", "metadata", "toc", "links", "teaser", "teasers", "sticky", "premium", "paywall",
        "categories", "category", "kicker", "eyebrow", "headline", "title", "subtitle", "photo", "image", "img",
        "figure", "gallery", "video", "player", "icon", "icons", "logo", "more", "next", "prev", "previous", "sr",
        "visually", "subscribers", "info", "details", "tools", "actions", "utility", "utils",
    ]

    private static let paragraphWeakTokens: Set<String> = [
        "byline", "bylines", "author", "authors", "dateline", "timestamp", "date", "published", "tags", "tagged", "keywords", "categories", "category", "meta", "metadata", "sr", "visually",
        "hidden", "hide", "print",
    ]

    private static let furnitureBigrams: Set<String> = [
        "also read", "read also", "read more", "more stories", "you may", "may like", "author bio", "about author",
        "further reading", "see also", "most read", "top stories", "site header", "global header", "page header",
        "site footer", "sign up", "opt in", "pull quote", "more from", "from around",
    ]

    private enum TokenFlag {
        static let strong: UInt16 = 1
        static let furniture: UInt16 = 2
        static let weak: UInt16 = 4
        static let paragraphWeak: UInt16 = 8
        static let content: UInt16 = 16
        static let bigramFirst: UInt16 = 32
        static let embed: UInt16 = 64
        static let embedWord: UInt16 = 128
        static let socialNetwork: UInt16 = 256
        static let comments: UInt16 = 512
    }

    /// Each listed word with the lists it is in.
    private static let tokenFlags: [String: UInt16] = {
        var flags: [String: UInt16] = [:]
        func mark(_ words: some Sequence<String>, _ flag: UInt16) {
            for word in words { flags[word, default: 0] |= flag }
        }
        mark(strongFurnitureTokens, TokenFlag.strong)
        mark(commentTokens, TokenFlag.comments)
        mark(furnitureTokens, TokenFlag.furniture)
        mark(weakFurnitureTokens, TokenFlag.weak)
        mark(paragraphWeakTokens, TokenFlag.paragraphWeak)
        mark(contentTokens, TokenFlag.content)
        mark(furnitureBigrams.map { String($0.split(separator: " ")[0]) }, TokenFlag.bigramFirst)
        mark(embedTokens, TokenFlag.embed)
        mark(["embed"], TokenFlag.embedWord)
        mark(socialNetworks, TokenFlag.socialNetwork)
        return flags
    }()

    private static let strongFurnitureStems: [String] = ["newsletter", "cookie", "outbrain", "taboola"]

    private static let commentStemPatterns = BytePatterns(["comment", "disqus"])
    private static let strongFurnitureStemPatterns = BytePatterns(strongFurnitureStems)
    private static let furnitureStemPatterns = BytePatterns(furnitureStems)

    private static let furnitureStems: [String] = [
        "related", "sharing", "share", "social", "subscribe", "sidebar", "breadcrumb", "advert", "sponsor", "promo",
        "recommend", "trending", "popular", "readmore", "alsoread", "footer", "navigation", "navbar", "byline",
    ]

    private static let contentTokens: Set<String> = [
        "article", "articlebody", "content", "entry", "main", "post", "story", "storybody", "text", "blog", "prose",
        "richtext", "body", "copy", "maincontent", "postcontent", "entrycontent",
    ]
}
