import Foundation
import HeraldTestServer
import Testing

/// Faults injected with strace into the real daemon: failed fsyncs, a full disk, SIGKILL in the middle of renames.
/// Whatever happens, the daemon must stop (non-zero for a fatal fault) and `herald verify` must find log and state in
/// agreement afterwards; a normal restart then resumes.
@Suite(.serialized) struct FaultInjectionTests {
    static let strace = ["/usr/bin/strace", "/bin/strace"].first { FileManager.default.isExecutableFile(atPath: $0) }

    func server() throws -> TestHTTPServer {
        let server = try TestHTTPServer()
        var items: [(guid: String, link: String, title: String, date: String)] = []
        for i in 0..<12 {
            server.page("/a/\(i)", Fixtures.article(title: "Story \(i)", paragraphs: Fixtures.paragraphs("story \(i)")))
            items.append((guid: "g\(i)", link: "\(server.baseURL)/a/\(i)", title: "Story \(i)", date: "Mon, 16 Nov 2026 10:\(10 + i):00 GMT"))
        }
        server.feed("/feed.xml", Fixtures.rss(title: "F", items: items))
        return server
    }

    /// Runs `herald run` under strace with `inject`, waits for it to end (or stops it after `seconds`).
    ///
    /// posix_spawn and waitpid are used directly: Foundation's Process does not always notice strace's exit.
    func runInjected(_ sandbox: Sandbox, inject: [String], paths: [String] = [], seconds: Double = 8) throws
        -> (status: Int32, log: String)
    {
        let logPath = sandbox.directory + "/injected-\(UUID().uuidString.prefix(6)).log"
        let arguments = [Self.strace!, "-f", "-qq", "-o", "/dev/null"] + paths.flatMap { ["-P", $0] }
            + inject.flatMap { ["-e", $0] }
            + [HeraldBinary.path, "run", "--config", sandbox.configPath]
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for a in argv { free(a) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, arguments[0], &actions, nil, &argv, environ)
        try #require(spawned == 0, "posix_spawn strace: \(spawned)")
        var status: Int32 = 0
        let deadline = Date().addingTimeInterval(seconds)
        var done = false
        while Date() < deadline {
            if waitpid(pid, &status, WNOHANG) == pid {
                done = true
                break
            }
            usleep(20_000)
        }
        if !done {
            // The fault was never hit: stop the traced daemon itself (stopping strace would only detach it).
            let children = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? ""
            for child in children.split(separator: " ").compactMap({ Int32($0) }) { kill(child, SIGKILL) }
            usleep(200_000)
            kill(pid, SIGKILL)
            waitpid(pid, &status, 0)
            Issue.record("the injected fault (\(inject)) did not stop the daemon within \(seconds) s")
        }
        let exitCode: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return (exitCode, (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "")
    }

    func verifyAndResume(_ sandbox: Sandbox, _ what: String) throws {
        let verify = try sandbox.run(["verify", "--state-dir", sandbox.stateDirectory])
        #expect(verify.status == 0, "verify after \(what):\n\(verify.stdout)\(verify.stderr)")
        // A normal start resumes and finishes the work.
        let daemon = try DaemonProcess(sandbox: sandbox)
        sandbox.waitUntil("the daemon to hold the state after \(what)") { daemon.holdsLock(sandbox) }
        sandbox.waitUntil("all articles after \(what)") {
            sandbox.events(ofType: "herald.article.created").count == 12
        }
        #expect(daemon.terminate().status == 0)
        let again = try sandbox.run(["verify", "--state-dir", sandbox.stateDirectory])
        #expect(again.status == 0, "\(again.stdout)")
    }

    @Test(arguments: [
        "inject=fdatasync:error=EIO:when=1", "inject=fsync:error=EIO:when=1", "inject=fsync:error=EIO:when=3",
        "inject=fsync:error=EIO:when=12", "inject=syncfs:error=EIO:when=1",
    ])
    func failedSyncIsFatalAndHarmless(_ inject: String) throws {
        guard Self.strace != nil else {
            print("skipping: strace is not installed")
            return
        }
        let server = try server()
        defer { server.stop() }
        let sandbox = try Sandbox()
        try sandbox.writeConfig(feeds: [("f", "\(server.baseURL)/feed.xml")])
        let run = try runInjected(sandbox, inject: [inject])
        #expect(run.status != 0, "a failed fsync stops the daemon with an error (\(inject))\n\(run.log)")
        #expect(run.log.contains("EIO") || run.log.contains("Input/output error"), "\(run.log)")
        try verifyAndResume(sandbox, inject)
    }

    @Test func fullDiskStopsTheDaemonAndARestartResumes() throws {
        guard Self.strace != nil else {
            print("skipping: strace is not installed")
            return
        }
        let server = try server()
        defer { server.stop() }
        let sandbox = try Sandbox()
        try sandbox.writeConfig(feeds: [("f", "\(server.baseURL)/feed.xml")])
        // Writes to the change log fail with ENOSPC, as on a disk that has just filled up. (Failing every write of
        // the process would also break libcurl's and libdispatch's internal wake-up pipes, which is not a disk.)
        let segment = sandbox.stateDirectory + "/changes/00000000000000000001.ndjson"
        let run = try runInjected(sandbox, inject: ["trace=write", "inject=write:error=ENOSPC"], paths: [segment])
        #expect(run.status != 0)
        #expect(run.log.contains("ENOSPC") || run.log.lowercased().contains("no space"), "\(run.log)")
        try verifyAndResume(sandbox, "ENOSPC")
    }

    @Test(arguments: [1, 3, 6, 10, 14])
    func sigkillAtTheNthRename(_ n: Int) throws {
        guard Self.strace != nil else {
            print("skipping: strace is not installed")
            return
        }
        let server = try server()
        defer { server.stop() }
        let sandbox = try Sandbox()
        try sandbox.writeConfig(feeds: [("f", "\(server.baseURL)/feed.xml")])
        let run = try runInjected(sandbox, inject: ["trace=rename,renameat,renameat2", "inject=rename,renameat,renameat2:signal=KILL:when=\(n)"])
        #expect(run.status != 0, "killed at rename \(n)")
        try verifyAndResume(sandbox, "SIGKILL at rename \(n)")
    }
}
