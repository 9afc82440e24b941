/// Recognises paragraphs that are page furniture by their wording ("Also read:", "All rights reserved").
enum BoilerplateText {
    static func isBoilerplate(_ text: String) -> Bool {
        isBoilerplate(lowercased: text.lowercasedFast())
    }

    /// `isBoilerplate` for text already lowercased.
    static func isBoilerplate(lowercased lower: String) -> Bool {
        let length = lower.unicodeScalars.count
        if length < 400 {
            for prefix in prefixes where lower.hasPrefixUTF8(prefix) { return true }
            for phrase in longPhrases where lower.containsUTF8(phrase) { return true }
        }
        if length < 100 {
            for prefix in shortLinePrefixes where lower.hasPrefixUTF8(prefix) { return true }
        }
        if length < 200 {
            for phrase in phrases where lower.containsUTF8(phrase) { return true }
            // "Follow Newsbeat on Instagram, Facebook and YouTube", "Follow him on Twitter @name".
            if lower.hasPrefixUTF8("follow ")
                && ["twitter", "facebook", "instagram", "youtube", "linkedin", "tiktok", "@"].contains(where: {
                    lower.containsUTF8($0)
                })
            {
                return true
            }
        }
        if exact.contains(lower.trimmingScalars(" .:!|•-—")) { return true }
        return false
    }

    private static let prefixes: [String] = [
        "also read", "read also", "read more", "read next", "read the full", "related:", "related article",
        "related stories", "recommended:", "see also:", "more:", "follow us", "follow @", "subscribe to",
        "subscribe now", "sign up for", "sign up to", "click here", "tap here", "share this", "share on",
        "advertisement", "sponsored", "copyright ©", "copyright (c)", "© ", "(c) ", "all rights reserved",
        "get the latest", "download the app", "download our app", "join our", "watch:", "watch video",
        "listen to this article", "you may also like", "don't miss", "do not miss", "trending:",
        "this article was originally published", "for more news", "catch all the", "stay updated",
        "we use cookies", "this website uses cookies", "by continuing to", "accept cookies", "filed under",
        "see more:", "also:", "related coverage", "have a tip?", "tell us what you think", "citation:",
        // The same teasers in other languages.
        "lire aussi", "à lire aussi", "a lire aussi", "lee también", "lea también", "leia também", "leia mais",
        "lesen sie auch", "mehr zum thema", "weiterlesen", "baca juga", "baca juga:", "leggi anche",
        "यह भी पढ़ें", "ये भी पढ़ें", "इसे भी पढ़ें",
    ]

    /// Prefixes of short lines only: captions, credits and date lines ("Updated at 1:23 p.m.").
    private static let shortLinePrefixes: [String] = [
        "photo:", "photos:", "image:", "picture:", "pictured:", "photograph:", "credit:", "image credit",
        "photo credit", "reading time", "tempo de leitura", "updated at", "updated on", "last updated",
        "published on", "posted on", "posted in", "tags:", "topics:", "source:",
    ]

    /// Legal and subscription wording recognised in paragraphs of any modest length.
    private static let longPhrases: [String] = [
        "all rights reserved", "subject to copyright", "no part may be reproduced", "without written permission",
        "for as little as", "use the code",
    ]

    private static let phrases: [String] = [
        "all rights reserved", "subscribe to our newsletter", "sign up for our newsletter", "follow us on",
        "click here to", "terms of use", "privacy policy", "cookie policy", "download the app",
        "(opens in new window)", "you must be logged in", "leave a comment", "loading comments",
        "requires javascript", "enable javascript", "click here", "clicking here", "subject to copyright",
        "may be reached at", "can be reached at", "getty images", "photos ©", "photo ©", "/ap photo", "(ap photo",
        "[/button]", "min read", "minute read", "newsletter", "sign up", "all rights reserved",
    ]

    private static let exact: Set<String> = [
        "advertisement", "advertising", "ad", "share", "tweet", "email", "print", "comments", "comment", "loading",
        "skip to content", "skip to main content", "menu", "close", "search", "story continues below advertisement",
        "continue reading", "read more", "more", "related", "sponsored", "share this article", "share this",
        "follow us", "subscribe", "sign in", "log in", "back to top", "scroll to continue with content",
        "advert", "caption", "topics", "tags", "iklan", "publicidade", "publicidad", "anzeige", "werbung",
        "publicité", "reklama", "pubblicità", "share this:", "like this:", "related posts", "related articles",
    ]
}

extension String {
    /// Removes the given scalars from both ends (Foundation-free).
    func trimmingScalars(_ set: String) -> String {
        let scalars = unicodeScalars
        func drops(_ scalar: Unicode.Scalar) -> Bool {
            TextNormalizer.isWhitespace(scalar) || set.unicodeScalars.contains(scalar)
        }
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end && drops(scalars[start]) { start = scalars.index(after: start) }
        while end > start {
            let before = scalars.index(before: end)
            if !drops(scalars[before]) { break }
            end = before
        }
        if start == scalars.startIndex && end == scalars.endIndex { return self }
        return String(scalars[start..<end])
    }
}
