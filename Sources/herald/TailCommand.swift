import ArgumentParser
import Foundation
import HeraldStore

struct TailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail",
        abstract: "Print change-log lines after a sequence number; with --follow, keep printing new ones.",
        discussion: "Lines are printed exactly as stored: one JSON object per line, in seq order, none twice.")

    @OptionGroup var location: LocationOptions

    @Option(name: .long, help: "Print events whose seq is greater than this (default 0: from the start).")
    var since: UInt64 = 0

    @Flag(name: .long, help: "Wait for new events and print them as they are appended.")
    var follow = false

    func run() async throws {
        let path = location.resolvedStateDirectory() + "/changes.ndjson"
        let reader = ChangeLogReader(path: path)
        do {
            if follow {
                for try await batch in reader.follow(after: since) {
                    emit(batch)
                }
            } else {
                emit(try reader.read(after: since))
            }
        } catch let error as StoreError {
            throw fail(error.message, code: 65)
        }
    }

    private func emit(_ batch: [(seq: UInt64, line: [UInt8])]) {
        guard !batch.isEmpty else { return }
        var out: [UInt8] = []
        for entry in batch {
            out.append(contentsOf: entry.line)
            out.append(0x0A)
        }
        writeOut(out)
    }
}
