#if canImport(Glibc)
import Glibc
#endif

/// Recognises paragraphs that are page furniture by their wording ("Also read:", "All rights reserved").
enum BoilerplateText {
    static func isBoilerplate(_ text: String) -> Bool {
        isBoilerplate(lowercased: text.lowercasedFast())
    }

    /// `isBoilerplate` for text already lowercased.
    static func isBoilerplate(lowercased lower: String) -> Bool {
        var text = lower
        let matched = text.withUTF8 { bytes -> Bool in
            var length = 0  // Unicode scalars
            for byte in bytes where byte & 0xC0 != 0x80 { length += 1 }
            if length < 400 {
                if prefixPatterns.isPrefix(of: bytes) || longPhrasePatterns.occurs(in: bytes) { return true }
            }
            if length < 100 && shortLinePrefixPatterns.isPrefix(of: bytes) { return true }
            if length < 200 {
                if phrasePatterns.occurs(in: bytes) { return true }
                // "Follow Newsbeat on Instagram, Facebook and YouTube", "Follow him on Twitter @name".
                if followPattern.isPrefix(of: bytes) && followTargetPatterns.occurs(in: bytes) { return true }
            }
            return false
        }
        if matched { return true }
        let trimmed = lower.trimmingScalars(" .:!|•-—")
        return trimmed.utf8.count <= longestExact && exact.contains(trimmed)
    }

    private static let prefixPatterns = BytePatterns(prefixes)
    private static let longPhrasePatterns = BytePatterns(longPhrases)
    private static let shortLinePrefixPatterns = BytePatterns(shortLinePrefixes)
    private static let phrasePatterns = BytePatterns(phrases)
    private static let followPattern = BytePatterns(["follow "])
    private static let followTargetPatterns = BytePatterns(
        ["twitter", "facebook", "instagram", "youtube", "linkedin", "tiktok", "@"])
    private static let longestExact = exact.map(\.utf8.count).max() ?? 0

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

/// Byte strings grouped by their first byte, for prefix and substring tests on UTF-8 text.
struct BytePatterns: Sendable {
    private var all: [[UInt8]] = []
    private var byFirstByte: [[[UInt8]]] = Array(repeating: [], count: 256)

    init(_ strings: [String]) {
        for string in strings where !string.isEmpty {
            let bytes = Array(string.utf8)
            all.append(bytes)
            byFirstByte[Int(bytes[0])].append(bytes)
        }
    }

    /// Whether `text` starts with one of the patterns.
    func isPrefix(of text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = text.first else { return false }
        for pattern in byFirstByte[Int(first)] where pattern.count <= text.count {
            let same = pattern.withUnsafeBufferPointer { p in memcmp(text.baseAddress!, p.baseAddress!, p.count) == 0 }
            if same { return true }
        }
        return false
    }

    /// Whether one of the patterns occurs anywhere in `text`, in one pass over it: quicker than `occurs` when the
    /// text is short (a class-name token) and the patterns many. With `ignoringASCIICase`, the patterns must be
    /// lowercase and ASCII letters in `text` match in either case.
    func occursInShortText(_ text: UnsafeBufferPointer<UInt8>, ignoringASCIICase: Bool = false) -> Bool {
        guard let base = text.baseAddress else { return false }
        @inline(__always) func fold(_ b: UInt8) -> UInt8 { ignoringASCIICase && b &- 0x41 < 26 ? b | 0x20 : b }
        for i in 0..<text.count {
            for pattern in byFirstByte[Int(fold(base[i]))] where pattern.count <= text.count - i {
                var k = 1
                while k < pattern.count && fold(base[i + k]) == pattern[k] { k += 1 }
                if k == pattern.count { return true }
            }
        }
        return false
    }

    /// Whether one of the patterns occurs anywhere in `text`.
    func occurs(in text: UnsafeBufferPointer<UInt8>) -> Bool {
        for pattern in all {
            if pattern.withUnsafeBufferPointer({ UTF8Search.contains(text, $0) }) { return true }
        }
        return false
    }
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
