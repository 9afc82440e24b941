import ArgumentParser
import Foundation
import HeraldDaemon
import HeraldStore
import Logging

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recover the state as a daemon start would, then check that the change log and state agree.",
        discussion: """
            Checks that seqs are contiguous, every article file has its event and every event its file, no content \
            hash was created twice, and every state file parses. Needs the state lock: stop the daemon first. \
            Prints a JSON report; exits 0 when everything agrees, 1 otherwise.
            """)

    @OptionGroup var location: LocationOptions

    func run() async throws {
        bootstrapLogging(level: "warning")
        let report: VerifyReport
        do {
            report = try await StateVerifier.verify(
                stateDirectory: location.resolvedStateDirectory(), logger: Logger(label: "herald"))
        } catch let error as StoreError where error.code == .locked {
            throw fail(error.message, code: 75)
        } catch {
            throw fail("\(error)")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
        writeOut(Array(try encoder.encode(report)) + [0x0A])
        if !report.ok { throw ExitCode(1) }
    }
}
