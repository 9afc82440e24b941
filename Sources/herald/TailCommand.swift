import ArgumentParser
import Foundation
import HeraldStore

struct TailCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail",
        abstract: "Print change-log events after a position; with --follow, keep printing new ones.",
        discussion: """
            Lines are printed exactly as stored: one JSON object per line, in seq order, none twice, none skipped, \
            across segment rotation and daemon restarts. With --cursor FILE the position is read from FILE \
            ({"epoch":…,"seq":…}) and FILE is rewritten atomically after each batch written to stdout.

            Exit status: 0 done; 3 the cursor is from another epoch (the log was reset, restored, or lost events \
            in a crash): resync with --from-start; 4 the cursor is older than the retained log; 65 the log is \
            corrupt or was replaced while followed; 1 other errors.
            """)

    @OptionGroup var location: LocationOptions

    @Option(name: .long, help: "Print events whose seq is greater than this (used when no cursor file exists).")
    var since: UInt64?

    @Option(name: .long, help: "Cursor file: read the position from it if present, rewrite it after each batch.")
    var cursor: String?

    @Flag(name: .long, help: "Start at the first retained event, ignoring --since and the cursor's content.")
    var fromStart = false

    @Flag(name: .long, help: "Wait for new events and print them as they are appended.")
    var follow = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Print only events whose type matches this glob, e.g. 'herald.article.*' (repeatable); others still "
                + "advance the cursor."))
    var type: [String] = []

    func run() throws {
        let stateDirectory = location.resolvedStateDirectory()
        do {
            let tailer = try makeTailer(stateDirectory: stateDirectory)
            while true {
                let batch = try tailer.readAvailable(limit: 10_000)
                if batch.isEmpty {
                    if !follow { return }
                    tailer.waitForChanges(timeout: .milliseconds(50))
                    continue
                }
                var out: [UInt8] = []
                for event in batch where matches(event.type) {
                    out.append(contentsOf: event.line)
                    out.append(0x0A)
                }
                // A SIGTERM/SIGINT/SIGHUP between writing a batch and saving the cursor would print that batch
                // again after a restart: hold those signals until both are done (then they act as usual).
                var stop = sigset_t()
                var previous = sigset_t()
                sigemptyset(&stop)
                for sig in [SIGTERM, SIGINT, SIGHUP] { sigaddset(&stop, sig) }
                pthread_sigmask(SIG_BLOCK, &stop, &previous)
                defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
                guard writeOut(out) else { throw ExitCode(1) }
                if let cursor {
                    try tailer.cursor.save(to: cursor)
                }
            }
        } catch let error as ChangeLogCursorError {
            throw fail(error.message, code: error.code == .epochChanged ? 3 : 4)
        } catch let error as StoreError {
            throw fail(error.message, code: error.code == .corrupt ? 65 : 1)
        }
    }

    private func makeTailer(stateDirectory: String) throws -> ChangeLogTailer {
        if fromStart {
            return try ChangeLogTailer(fromStartOf: stateDirectory)
        }
        if let cursor, let saved = try ChangeLogCursor.load(from: cursor) {
            if since != nil {
                throw fail("--since and an existing cursor file (\(cursor)) conflict; remove one", code: 64)
            }
            return try ChangeLogTailer(stateDirectory: stateDirectory, cursor: saved)
        }
        if let since {
            return try ChangeLogTailer(stateDirectory: stateDirectory, after: since)
        }
        return try ChangeLogTailer(fromStartOf: stateDirectory)
    }

    private func matches(_ eventType: String) -> Bool {
        type.isEmpty || type.contains { fnmatch($0, eventType, 0) == 0 }
    }
}
