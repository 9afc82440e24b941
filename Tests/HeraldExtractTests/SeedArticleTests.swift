import Foundation
import Testing

@testable import HeraldExtract

/// Wraps each seed article from `../shared/corpus/seeds` in a page full of furniture and checks the text survives.
@Suite struct SeedArticleTests {
    struct Seed {
        var name: String
        var title: String
        var lines: [String]
    }

    static func seeds() -> [Seed]? {
        guard let shared = FixtureLoader.sharedDirectory else { return nil }
        let directory = shared.appendingPathComponent("corpus/seeds")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return nil }
        var seeds: [Seed] = []
        for name in names.sorted() where name.hasSuffix(".txt") {
            guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path) else {
                continue
            }
            let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map {
                TextNormalizer.normalize(String($0))
            }.filter { !$0.isEmpty }
            guard let title = lines.first else { continue }
            seeds.append(Seed(name: name, title: title, lines: Array(lines.dropFirst())))
        }
        return seeds
    }

    static let furnitureLines = [
        "Sign up for our evening newsletter and never miss a story",
        "Also read: Markets close higher as investors cheer policy signals",
        "We use cookies to personalise content and ads",
        "Posted by reader_1987: Totally agree with the minister on every single point raised in this article",
        "Copyright 2025 Example Media Pvt Ltd. All rights reserved.",
        "Trending: Ten gadgets you should buy before the festive season ends",
    ]

    static func html(for seed: Seed) -> String {
        func escape(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        }
        var body = ""
        var inList = false
        for line in seed.lines {
            if line.hasPrefix("- ") {
                if !inList { body += "<ul>\n" }
                inList = true
                body += "<li>\(escape(String(line.dropFirst(2))))</li>\n"
                continue
            }
            if inList { body += "</ul>\n" }
            inList = false
            if line.unicodeScalars.count < 90 && !line.hasSuffix(".") {
                body += "<h2>\(escape(line))</h2>\n"
            } else {
                body += "<p>\(escape(line))</p>\n"
            }
        }
        if inList { body += "</ul>\n" }
        let f = furnitureLines
        return """
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
            <title>\(escape(seed.title)) | Example News</title>
            <meta property="og:site_name" content="Example News"></head><body>
            <header class="site-header"><nav class="menu"><a href="/">Home</a> <a href="/india">India</a>
            <a href="/world">World</a> <a href="/business">Business</a></nav></header>
            <div class="cookie-notice"><p>\(f[2]). <button>OK</button></p></div>
            <div class="container"><div class="col-main"><article>
            <h1>\(escape(seed.title))</h1>
            <div class="social-share"><a href="#">Facebook</a> <a href="#">WhatsApp</a> <a href="#">Copy link</a></div>
            <div class="article-body">\(body)
            <div class="also-read"><p>\(f[1])</p></div>
            </div></article>
            <div class="newsletter-box"><p>\(f[0])</p><form><input type="email"></form></div>
            <section id="comments"><div class="comment"><p>\(f[3])</p></div></section>
            </div><aside class="sidebar"><h3>Trending</h3><ul><li><a href="/t1">\(f[5])</a></li></ul></aside></div>
            <footer><p>\(f[4])</p></footer></body></html>
            """
    }

    @Test func seedArticlesSurviveFurniture() throws {
        guard let seeds = Self.seeds(), !seeds.isEmpty else {
            print("skipping: ../shared not found")
            return
        }
        #expect(seeds.count == 5)
        for seed in seeds {
            let article = ArticleExtractor.extract(ExtractionInput(html: Array(Self.html(for: seed).utf8)))
            let paragraphs = Set(article.text.components(separatedBy: "\n\n"))
            // The seeds themselves carry a few "ALSO READ:" teasers copied from their pages: those must go too.
            let teasers = seed.lines.filter { $0.lowercased().hasPrefix("also read") }
            let expected = seed.lines.filter { !teasers.contains($0) }.map {
                $0.hasPrefix("- ") ? TextNormalizer.normalize(String($0.dropFirst(2))) : $0
            }
            for teaser in teasers { #expect(!article.text.contains(teaser), "\(seed.name): teaser kept") }
            let found = expected.filter { paragraphs.contains($0) }
            let share = Double(found.count) / Double(max(expected.count, 1))
            #expect(share >= 0.95, "\(seed.name): \(found.count)/\(expected.count) paragraphs recovered")
            for line in Self.furnitureLines {
                #expect(!article.text.contains(line), "\(seed.name): furniture kept: \(line)")
            }
            #expect(article.title == seed.title, "\(seed.name): title")
            // Some seeds open with "- Dec 4, 2025," lines: that dateline gives the publication date.
            let datelines = seed.lines.filter { $0.hasPrefix("- ") }.joined(separator: " ")
            if let date = DateNormalizer.findDate(in: datelines) {
                #expect(article.published == date.rfc3339, "\(seed.name): published")
            }
            // Others open with a dateline paragraph ("New Delhi. 05 December 2025. India and Russia ...").
            if let opening = seed.lines.first(where: { $0.hasPrefix("New Delhi. ") }),
                let date = DateNormalizer.findDate(in: String(opening.prefix(40)))
            {
                #expect(article.published == date.rfc3339, "\(seed.name): dateline")
                #expect(article.sources["published"] == "dateline")
            }
            #expect(article.siteName == "Example News")
        }
    }
}
