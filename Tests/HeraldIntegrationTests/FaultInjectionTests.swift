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
    func runInjected(_ sandbox: Sandbox, inject: [String], seconds: Double = 8) throws -> (status: Int32, log: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.strace!)
        process.arguments = ["-f", "-qq", "-o", "/dev/null"] + inject.flatMap { ["-e", $0] }
            + [HeraldBinary.path, "run", "--config", sandbox.configPath]
        process.currentDirectoryURL = URL(fileURLWithPath: sandbox.directory)
        let logPath = sandbox.directory + "/injected-\(UUID().uuidString.prefix(6)).log"
        FileManager.default.createFile(atPath: logPath, contents: nil)
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            process.interrupt()
            let grace = Date().addingTimeInterval(5)
            while process.isRunning && Date() < grace { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        process.waitUntilExit()
        return (process.terminationStatus, (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "")
    }

    func verifyAndResume(_ sandbox: Sandbox, _ what: String) throws {
        let verify = try sandbox.run(["verify", "--state-dir", sandbox.stateDirectory])
        #expect(verify.status == 0, "verify after \(what):\n\(verify.stdout)\(verify.stderr)")
        // A normal start resumes and finishes the work.
        let daemon = try DaemonProcess(sandbox: sandbox)
        sandbox.waitUntil("all articles after \(what)") {
            sandbox.events(ofType: "herald.article.created").count == 12
        }
        #expect(daemon.terminate().status == 0)
        let again = try sandbox.run(["verify", "--state-dir", sandbox.stateDirectory])
        #expect(again.status == 0, "\(again.stdout)")
    }

    @Test(arguments: [
        "inject=fdatasync:error=EIO:when=2", "inject=fdatasync:error=EIO:when=6", "inject=fsync:error=EIO:when=3",
        "inject=fsync:error=EIO:when=12",
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
        // Every write after the first few fails with ENOSPC, as on a disk that has just filled up.
        let run = try runInjected(sandbox, inject: ["trace=write,pwrite64", "inject=write,pwrite64:error=ENOSPC:when=8+"])
        #expect(run.status != 0)
        try verifyAndResume(sandbox, "ENOSPC")
    }

    @Test(arguments: [1, 3, 6, 10, 15])
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
