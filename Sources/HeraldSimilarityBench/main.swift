import HeraldSimilarity

// Benchmark for HeraldSimilarity: sketching speed, seed-article similarities, and a NearDuplicateIndex with
// a million entries (insert/lookup rates, latency percentiles, memory, serialized size, load time).
// Run through bench/neardup/run.
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

struct Options {
    var entries = 1_000_000
    var queries = 100_000
    var seedDirectory: String?
    var savePath: String?
    var loadPath: String?

    init(arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--entries": entries = Int(iterator.next() ?? "") ?? entries
            case "--queries": queries = Int(iterator.next() ?? "") ?? queries
            case "--seeds": seedDirectory = iterator.next()
            case "--save": savePath = iterator.next()
            case "--load": loadPath = iterator.next()
            default:
                print(
                    "usage: HeraldSimilarityBench [--entries N] [--queries N] [--seeds DIR] [--save FILE] [--load FILE]"
                )
                exit(2)
            }
        }
    }
}

struct Generator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var x = state
        x = (x ^ (x >> 30)) &* 0xbf58_476d_1ce4_e5b9
        x = (x ^ (x >> 27)) &* 0x94d0_49bb_1331_11eb
        return x ^ (x >> 31)
    }
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}

func cpuNow() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

func now() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

/// A field of /proc/self/status in kB ("VmRSS", "VmHWM"), or -1 where there is no /proc.
func statusKB(_ field: String) -> Int {
    guard let file = fopen("/proc/self/status", "r") else { return -1 }
    defer { fclose(file) }
    var line = [CChar](repeating: 0, count: 256)
    while fgets(&line, Int32(line.count), file) != nil {
        let length = line.firstIndex(of: 0) ?? line.count
        let text = String(decoding: line[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if text.hasPrefix(field + ":") {
            return Int(text.dropFirst(field.count + 1).filter { $0.isNumber }) ?? -1
        }
    }
    return -1
}

func megabytes(kB: Int) -> String { format(Double(kB) / 1024, 1) + " MB" }

func format(_ value: Double, _ decimals: Int) -> String {
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    var text = "\(rounded)"
    if let dot = text.firstIndex(of: ".") {
        let have = text.distance(from: dot, to: text.endIndex) - 1
        if decimals == 0 {
            text = String(text[..<dot])
        } else if have < decimals {
            text += String(repeating: "0", count: decimals - have)
        }
    }
    return text
}

func readFile(_ path: String) -> String? {
    guard let file = fopen(path, "rb") else { return nil }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let read = fread(&chunk, 1, chunk.count, file)
        if read <= 0 { break }
        bytes.append(contentsOf: chunk[0..<read])
    }
    return String(decoding: bytes, as: UTF8.self)
}

func listTextFiles(_ directory: String) -> [String]? {
    guard let handle = opendir(directory) else { return nil }
    defer { closedir(handle) }
    var names: [String] = []
    while let entry = readdir(handle) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
            String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
        }
        if name.hasSuffix(".txt") { names.append(name) }
    }
    return names.sorted()
}

// MARK: Seeds

func seedReport(_ directory: String) {
    guard let names = listTextFiles(directory), !names.isEmpty else {
        print("seeds: skipping, \(directory) not found")
        return
    }
    let texts = names.compactMap { readFile(directory + "/" + $0) }
    let sketches = texts.map(TextSketcher.sketch)
    print("== Seed articles (\(directory)), estimated Jaccard of 5-word shingles")
    var header = "        "
    for index in names.indices { header += "  seed\(index)" }
    print(header)
    var worstPair = 0.0
    for (row, sketch) in sketches.enumerated() {
        var line = "  seed\(row)"
        for (column, other) in sketches.enumerated() {
            let similarity = TextSketcher.similarity(sketch, other)
            if row != column { worstPair = max(worstPair, similarity) }
            line += "  " + format(similarity, 3)
        }
        print(line)
    }
    print("  highest similarity between two different seeds: \(format(worstPair, 3))")
    let furniture = [
        "Also read: Five things to know about the summit", "Subscribe to our newsletter for daily updates",
        "Click here to follow us on social media",
    ]
    let extra =
        "A spokesperson said on Friday that further talks would be held in the coming months, and that "
        + "officials from both sides would meet again before the end of the year to review progress."
    var lowest = 1.0
    for (index, text) in texts.enumerated() {
        let lines = text.split(separator: "\n").map(String.init)
        var removal = (low: 1.0, high: 0.0)
        for dropped in 1..<lines.count {
            var copy = lines
            copy.remove(at: dropped)
            copy[0] = "Breaking: a new headline for this story"
            let similarity = TextSketcher.similarity(sketches[index], TextSketcher.sketch(copy.joined(separator: "\n")))
            removal = (min(removal.low, similarity), max(removal.high, similarity))
        }
        var added = lines
        added.insert(extra, at: lines.count / 2)
        added[0] = "An entirely different headline"
        let addedSimilarity = TextSketcher.similarity(
            sketches[index], TextSketcher.sketch(added.joined(separator: "\n")))
        var furnished = lines
        for (offset, line) in furniture.enumerated() {
            furnished.insert(line, at: min(furnished.count, 2 + offset * 3))
        }
        let furnitureSimilarity = TextSketcher.similarity(
            sketches[index], TextSketcher.sketch(furnished.joined(separator: "\n")))
        lowest = min(lowest, removal.low, addedSimilarity, furnitureSimilarity)
        print(
            "  seed\(index) copies: new headline + one paragraph removed "
                + "\(format(removal.low, 3))–\(format(removal.high, 3))"
                + " (\(lines.count - 1) variants); + paragraph added \(format(addedSimilarity, 3));"
                + " + furniture lines \(format(furnitureSimilarity, 3))")
    }
    print("  lowest similarity of a near copy to its original: \(format(lowest, 3))")
    print("  default threshold \(NearDuplicateIndex.defaultThreshold)")
}

// MARK: Sketching

func sketchBenchmark() {
    var generator = Generator(state: 99)
    let syllables = ["ka", "lo", "mi", "ren", "sta", "vo", "tri", "an", "el", "dor", "pu", "shi", "ne", "gra", "ox"]
    let vocabulary = (0..<5000).map { _ in
        (0..<(1 + generator.below(3))).map { _ in syllables[generator.below(syllables.count)] }.joined()
    }
    let texts = (0..<2000).map { _ in
        (0..<600).map { position in
            vocabulary[generator.below(vocabulary.count)] + (position % 17 == 16 ? ".\n" : " ")
        }.joined()
    }
    let bytes = texts.reduce(0) { $0 + $1.utf8.count }
    let start = now()
    var checksum = 0
    for text in texts { checksum &+= Int(TextSketcher.sketch(text).values[0]) }
    let elapsed = now() - start
    print("== Sketching (2,000 random texts of 600 words, \(bytes / 2000) bytes each)")
    print(
        "  \(format(Double(texts.count) / elapsed, 0)) texts/s, \(format(Double(bytes) / elapsed / 1e6, 1)) MB/s,"
            + " \(format(elapsed / Double(texts.count) * 1e6, 1)) µs per text (checksum \(checksum))")
}

// MARK: Index

func randomSignature(_ generator: inout Generator) -> [UInt8] {
    var values = [UInt8](repeating: 0, count: TextSketch.hashCount)
    var index = 0
    while index < values.count {
        var word = generator.next()
        for _ in 0..<8 {
            values[index] = UInt8(truncatingIfNeeded: word)
            word >>= 8
            index += 1
        }
    }
    return values
}

/// A copy of `values` with `changes` random positions redrawn (≈ Jaccard 1 − changes/128).
func perturbed(_ values: [UInt8], changes: Int, _ generator: inout Generator) -> [UInt8] {
    var copy = values
    var positions = Array(0..<values.count)
    for step in 0..<changes {
        let pick = step + generator.below(values.count - step)
        positions.swapAt(step, pick)
        var value = UInt8(truncatingIfNeeded: generator.next())
        if value == copy[positions[step]] { value &+= 1 }
        copy[positions[step]] = value
    }
    return copy
}

func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
    sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
}

func timeLookups(_ label: String, _ index: NearDuplicateIndex, _ queries: [TextSketch]) -> Int {
    var latencies = [Double](repeating: 0, count: queries.count)
    var found = 0
    let start = now()
    let cpuStart = cpuNow()
    for (position, query) in queries.enumerated() {
        let before = now()
        if index.bestMatch(for: query) != nil { found += 1 }
        latencies[position] = now() - before
    }
    let elapsed = now() - start
    let cpuElapsed = cpuNow() - cpuStart
    latencies.sort()
    print(
        "  lookups, \(label): \(format(Double(queries.count) / elapsed, 0))/s"
            + " (\(format(Double(queries.count) / cpuElapsed, 0))/s of CPU time);"
            + " p50 \(format(percentile(latencies, 0.5) * 1e6, 1)) µs,"
            + " p99 \(format(percentile(latencies, 0.99) * 1e6, 1)) µs,"
            + " max \(format(latencies.last! * 1e6, 1)) µs; matched \(found) of \(queries.count)")
    return found
}

func writeFile(_ path: String, _ bytes: [UInt8]) {
    guard let file = fopen(path, "wb") else { return }
    _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
    fclose(file)
}

func readBytes(_ path: String) -> [UInt8]? {
    guard let file = fopen(path, "rb") else { return nil }
    defer { fclose(file) }
    fseek(file, 0, SEEK_END)
    let size = ftell(file)
    fseek(file, 0, SEEK_SET)
    let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
        initialized = fread(buffer.baseAddress, 1, size, file)
    }
    return bytes.count == size ? bytes : nil
}

/// Times loading a saved index file: reading the file, then building the index from the bytes (5 rounds).
func loadBenchmark(_ path: String) {
    let readStart = now()
    guard let bytes = readBytes(path) else {
        print("cannot read \(path)")
        return
    }
    print(
        "== Loading \(path): \(format(Double(bytes.count) / 1e6, 1)) MB read in"
            + " \(format((now() - readStart) * 1000, 0)) ms"
    )
    for round in 1...5 {
        let start = now()
        let cpuStart = cpuNow()
        let index = try! NearDuplicateIndex(serialized: bytes)
        print(
            "  round \(round): \(index.count) entries in \(format((now() - start) * 1000, 0)) ms"
                + " (CPU \(format((cpuNow() - cpuStart) * 1000, 0)) ms)")
    }
    let start = now()
    let relaid = try! NearDuplicateIndex(serialized: bytes, threshold: 0.6)
    print(
        "  loading with threshold 0.6 instead (\(relaid.bands) bands × \(relaid.rows) rows, tables rebuilt):"
            + " \(format((now() - start) * 1000, 0)) ms")
}

func indexBenchmark(entries: Int, queryCount: Int, savePath: String?) {
    print("== NearDuplicateIndex with \(entries) entries (random signatures; 10% of them near copies of earlier ones)")
    var generator = Generator(state: 2026)
    let index = NearDuplicateIndex()
    print("  threshold \(index.threshold), \(index.bands) bands × \(index.rows) rows")
    // Ids as the daemon makes them: "a" + 16 hex digits.
    func id(_ number: Int) -> String {
        let hex = String(UInt64(truncatingIfNeeded: number) &* 0x9e37_79b9_7f4a_7c15, radix: 16)
        return "a" + String(repeating: "0", count: 16 - hex.count) + hex
    }
    // The benchmark's own copy of every signature (flat, 128 bytes each), to make queries from.
    let width = TextSketch.hashCount
    var stored = [UInt8](repeating: 0, count: entries * width)
    func signature(_ number: Int) -> [UInt8] { Array(stored[(number * width)..<((number + 1) * width)]) }
    let rssBefore = statusKB("VmRSS")
    var insertSeconds = 0.0
    var insertCPUSeconds = 0.0
    let batchSize = 10_000
    var batchStart = 0
    while batchStart < entries {
        let batchEnd = min(entries, batchStart + batchSize)
        var batch: [(String, TextSketch)] = []
        batch.reserveCapacity(batchEnd - batchStart)
        for number in batchStart..<batchEnd {
            let values =
                number > 1000 && generator.below(10) == 0
                ? perturbed(signature(generator.below(number)), changes: 8 + generator.below(30), &generator)
                : randomSignature(&generator)
            stored.replaceSubrange((number * width)..<((number + 1) * width), with: values)
            batch.append((id(number), try! TextSketch(values: values)))
        }
        let start = now()
        let cpuStart = cpuNow()
        for (id, sketch) in batch { index.insert(id: id, sketch: sketch) }
        insertSeconds += now() - start
        insertCPUSeconds += cpuNow() - cpuStart
        batchStart = batchEnd
    }
    print(
        "  inserts: \(format(Double(entries) / insertSeconds, 0))/s"
            + " (\(format(Double(entries) / insertCPUSeconds, 0))/s of CPU time; \(format(insertSeconds, 2)) s in all,"
            + " including table growth)")
    let rssAfterBuild = statusKB("VmRSS")
    print(
        "  index memory: \(format(Double(index.memoryBytes) / 1_048_576, 1)) MB in its arrays"
            + " (\(index.memoryBytes / entries) bytes per entry); RSS grew \(megabytes(kB: rssAfterBuild - rssBefore))"
            + " while inserting; RSS now \(megabytes(kB: rssAfterBuild)) including the benchmark's own"
            + " \(format(Double(entries * width) / 1_048_576, 0)) MB copy of the signatures")

    let hits = (0..<queryCount).map { _ in
        try! TextSketch(
            values: perturbed(signature(generator.below(entries)), changes: 6 + generator.below(20), &generator))
    }
    let misses = (0..<queryCount).map { _ in try! TextSketch(values: randomSignature(&generator)) }
    let nearMisses = (0..<queryCount).map { _ in
        try! TextSketch(values: perturbed(signature(generator.below(entries)), changes: 96, &generator))
    }
    let exact = (0..<queryCount).map { _ in try! TextSketch(values: signature(generator.below(entries))) }
    _ = timeLookups("hits, near copies (J≈0.8–0.95)", index, hits)
    _ = timeLookups("hits, exact copies", index, exact)
    _ = timeLookups("misses, unrelated", index, misses)
    _ = timeLookups("misses, same family (J≈0.25)", index, nearMisses)

    let removeCount = min(10_000, entries / 10)
    let removeStart = now()
    for number in 0..<removeCount { index.remove(id: id(number * 7 % entries)) }
    let removeSeconds = now() - removeStart
    print("  removals: \(format(Double(removeCount) / removeSeconds, 0))/s (\(removeCount) removed)")
    let peakBeforeSerializing = statusKB("VmHWM")

    let serializeStart = now()
    let bytes = index.serialized()
    let serializeSeconds = now() - serializeStart
    print(
        "  serialized: \(format(Double(bytes.count) / 1e6, 1)) MB in \(format(serializeSeconds * 1000, 0)) ms"
            + " (\(format(Double(bytes.count) / Double(index.count), 0)) bytes per entry)")
    if let savePath { writeFile(savePath, bytes) }
    let loadStart = now()
    let loadCPUStart = cpuNow()
    let loaded = try! NearDuplicateIndex(serialized: bytes)
    let loadSeconds = now() - loadStart
    let loadCPUSeconds = cpuNow() - loadCPUStart
    let sample = hits.prefix(1000) + misses.prefix(1000)
    let agree = sample.allSatisfy { loaded.bestMatch(for: $0) == index.bestMatch(for: $0) }
    print(
        "  loaded \(loaded.count) entries from bytes in memory in \(format(loadSeconds * 1000, 0)) ms"
            + " (CPU \(format(loadCPUSeconds * 1000, 0)) ms)"
            + " (answers identical to the original: \(agree))")
    print(
        "  peak RSS: \(megabytes(kB: peakBeforeSerializing)) before serializing,"
            + " \(megabytes(kB: statusKB("VmHWM"))) with the serialized bytes and a loaded copy alive")
}

let options = Options(arguments: CommandLine.arguments)
if let loadPath = options.loadPath {
    loadBenchmark(loadPath)
} else {
    if let directory = options.seedDirectory { seedReport(directory) }
    sketchBenchmark()
    indexBenchmark(entries: options.entries, queryCount: options.queries, savePath: options.savePath)
}
