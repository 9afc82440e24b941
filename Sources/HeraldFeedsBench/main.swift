// Parse-only feed benchmark for bench/feeds/speed: reads every listed file into memory first, then parses them
// all `--rounds` times in this process (no JSON output) and prints one JSON line with feeds/s and peak memory.
// Never shipped.
import Foundation
import HeraldFeeds

#if canImport(Glibc)
import Glibc
#endif

var arguments = CommandLine.arguments.dropFirst()
var rounds = 3
var listPath: String?
while let argument = arguments.popFirst() {
    switch argument {
    case "--rounds": rounds = Int(arguments.popFirst() ?? "") ?? rounds
    default: listPath = argument
    }
}
guard let listPath, let list = try? String(contentsOfFile: listPath, encoding: .utf8) else {
    FileHandle.standardError.write(Data("usage: HeraldFeedsBench [--rounds N] LIST\n".utf8))
    exit(64)
}
let documents: [[UInt8]] = list.split(whereSeparator: \.isNewline).compactMap {
    FileManager.default.contents(atPath: String($0)).map(Array.init)
}
var parsed = 0
var failed = 0
var entries = 0
let clock = ContinuousClock()
var best = Duration.seconds(1_000_000)
var bestCPU = Double.infinity
/// User plus system CPU seconds of this process so far (less disturbed by other load than wall time).
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}
for _ in 0..<max(1, rounds) {
    let cpuStarted = cpuSeconds()
    let started = clock.now
    for document in documents {
        do {
            entries += try FeedParser.parse(document, url: nil).entries.count
            parsed += 1
        } catch {
            failed += 1
        }
    }
    best = min(best, clock.now - started)
    bestCPU = min(bestCPU, cpuSeconds() - cpuStarted)
}
var usage = rusage()
getrusage(RUSAGE_SELF.rawValue, &usage)
let seconds = Double(best.components.seconds) + Double(best.components.attoseconds) / 1e18
let feedsPerSecond = Double(documents.count) / seconds
print(
    "{\"files\":\(documents.count),\"best_seconds\":\(seconds),\"feeds_per_second\":\(Int(feedsPerSecond)),"
        + "\"best_cpu_seconds\":\(bestCPU),\"feeds_per_cpu_second\":\(Int(Double(documents.count) / bestCPU)),"
        + "\"peak_rss_kb\":\(usage.ru_maxrss),\"rounds\":\(rounds),\"failed_per_round\":\(failed / max(1, rounds))}")
