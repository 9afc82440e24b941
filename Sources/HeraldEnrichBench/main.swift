// The enrichment benchmark's Swift side (bench/enrich/run); never shipped.
//
//   HeraldEnrichBench seeds GAZETTEERS SEED_DIR     one JSON line per *.txt: doc, entities, quotes, amounts
//   HeraldEnrichBench speed GAZETTEERS PAGE_DIR N   extraction alone vs extraction + enrichment over *.html, N passes
import Foundation
import HeraldEnrich
import HeraldExtract

let arguments = CommandLine.arguments
guard arguments.count >= 4 else {
    FileHandle.standardError.write(Data("usage: HeraldEnrichBench seeds|speed GAZETTEERS DIR [N]\n".utf8))
    exit(2)
}
let gazetteer: Gazetteer
do {
    gazetteer = try Gazetteer.load(directory: arguments[2])
} catch {
    FileHandle.standardError.write(Data("HeraldEnrichBench: \(error)\n".utf8))
    exit(1)
}
let enricher = Enricher(gazetteer: gazetteer)
let directory = arguments[3]
let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()

func now() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

switch arguments[1] {
case "seeds":
    var seconds = 0.0
    for name in files where name.hasSuffix(".txt") {
        guard let text = try? String(contentsOfFile: directory + "/" + name, encoding: .utf8) else { continue }
        let start = now()
        let enrichment = enricher.enrich(text)
        seconds += now() - start
        var line = Array("{\"doc\":".utf8) + Array("\"\(name)\"".utf8)
        for (key, value) in EnrichmentJSON.members(enrichment) {
            line += Array(",\"\(key)\":".utf8) + value
        }
        line += Array("}\n".utf8)
        FileHandle.standardOutput.write(Data(line))
    }
    print("{\"seconds\":\(seconds)}")
case "speed":
    let passes = arguments.count > 4 ? max(1, Int(arguments[4]) ?? 3) : 3
    let pages = files.filter { $0.hasSuffix(".html") }.compactMap { FileManager.default.contents(atPath: directory + "/" + $0) }
    var extractSeconds = 0.0
    var enrichSeconds = 0.0
    var entities = 0
    for _ in 0..<passes {
        for page in pages {
            let start = now()
            let article = ArticleExtractor.extract(ExtractionInput(html: [UInt8](page), url: nil, httpContentType: nil))
            let middle = now()
            let enrichment = enricher.enrich(article.text)
            enrichSeconds += now() - middle
            extractSeconds += middle - start
            entities += enrichment.entities.count
        }
    }
    let count = Double(pages.count * passes)
    let share = enrichSeconds / max(1e-9, extractSeconds)
    print("pages \(pages.count) x \(passes) passes, \(entities / max(1, passes)) entities per pass")
    print(String(format: "extraction alone:        %.1f articles/s", count / extractSeconds))
    print(String(format: "extraction + enrichment: %.1f articles/s", count / (extractSeconds + enrichSeconds)))
    print(String(format: "enrichment adds %.1f%% to extraction time (target: at most 30%%)", share * 100))
default:
    FileHandle.standardError.write(Data("HeraldEnrichBench: unknown mode \(arguments[1])\n".utf8))
    exit(2)
}
