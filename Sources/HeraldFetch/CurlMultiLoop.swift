internal import CCurl
import Foundation
import Logging

/// The loop on the dedicated curl thread: starts queued transfers, drives them with `curl_multi_poll`, and
/// reports finished ones to ``FetchQueue``. Everything here is confined to that thread.
final class CurlMultiLoop {
    private let queue: FetchQueue
    private let multi: UnsafeMutableRawPointer
    private let configuration: FetchConfiguration
    private let logger: Logger
    /// A separate connection pool for `.publicOnly` transfers, so they never reuse a connection that a
    /// transfer without the address check opened (a redirect to a private host could otherwise ride on it).
    private let publicOnlyShare: UnsafeMutableRawPointer?
    private var transfersByID: [UInt64: EasyTransfer] = [:]
    private var transfersByHandle: [UnsafeMutableRawPointer: EasyTransfer] = [:]

    init(queue: FetchQueue, configuration: FetchConfiguration, logger: Logger) {
        self.queue = queue
        self.multi = queue.multi.raw
        self.configuration = configuration
        self.logger = logger
        let share = curl_share_init()
        if let share {
            let code = herald_curl_share_setopt_long(share, CURLSHOPT_SHARE, Int(CURL_LOCK_DATA_CONNECT.rawValue))
            if code != CURLSHE_OK {
                logger.warning("libcurl cannot share a connection pool; .publicOnly fetches will not reuse connections")
                curl_share_cleanup(share)
                publicOnlyShare = nil
                return
            }
        }
        publicOnlyShare = share
    }

    func run() {
        logger.debug("curl thread started")
        while true {
            let work = queue.takeWork(now: .now)
            if work.shuttingDown { break }
            for id in work.cancelled {
                if let transfer = transfersByID[id] { detach(transfer) }
            }
            for job in work.jobs { start(job) }

            var running: Int32 = 0
            let performCode = curl_multi_perform(multi, &running)
            if performCode != CURLM_OK {
                logger.error("curl_multi_perform failed", metadata: ["code": "\(performCode.rawValue)"])
            }
            collectFinished()

            // Sleep until a socket is ready, a wakeup arrives, or the budget releases a held-back hop.
            var timeout: Int32 = 1000
            if let wake = queue.nextWakeUp() {
                let (seconds, attoseconds) = ContinuousClock.now.duration(to: wake).components
                let milliseconds = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
                timeout = Int32(clamping: max(0, min(1000, milliseconds)))
            }
            var ready: Int32 = 0
            let pollCode = curl_multi_poll(multi, nil, 0, timeout, &ready)
            if pollCode != CURLM_OK {
                logger.error("curl_multi_poll failed", metadata: ["code": "\(pollCode.rawValue)"])
            }
        }
        tearDown()
    }

    /// Starts one hop: the budget has already let it go.
    private func start(_ job: FetchQueue.Job) {
        var job = job
        let now = ContinuousClock.now
        var deadline = job.deadline ?? now.advanced(by: configuration.totalTimeout)
        if let queuedAt = job.queuedAt { deadline = deadline.advanced(by: queuedAt.duration(to: now)) }
        job.deadline = deadline
        job.queuedAt = nil
        do throws(FetchError) {
            let remaining = now.duration(to: deadline)
            guard remaining > .zero else {
                throw FetchError(
                    .timeout,
                    "\(job.request.url) timed out while following redirects (limits.total_timeout is "
                        + "\(configuration.totalTimeout) for the whole fetch)"
                )
            }
            let transfer = try EasyTransfer(job: job, timeout: remaining, configuration: configuration)
            try transfer.configure(share: transfer.addressPolicy == .publicOnly ? publicOnlyShare : nil)
            let code = curl_multi_add_handle(multi, transfer.handle)
            guard code == CURLM_OK else {
                let reason = String(cString: curl_multi_strerror(code))
                throw FetchError(.internalError, "libcurl could not start the fetch of \(job.url): \(reason)")
            }
            transfersByID[job.id] = transfer
            transfersByHandle[transfer.handle] = transfer
            queue.hopStarted(id: job.id, now: .now)
        } catch {
            queue.hopEnded(id: job.id, outcome: .failed, now: .now)
            queue.complete(id: job.id, with: .failure(error))
        }
    }

    private func collectFinished() {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle,
                let transfer = transfersByHandle[handle]
            else { continue }
            let code = message.pointee.data.result
            detach(transfer)
            finished(transfer, transfer.finish(code))
        }
    }

    /// Reports a finished hop to the budget, then follows its redirect or completes the fetch.
    private func finished(_ transfer: EasyTransfer, _ result: Result<EasyTransfer.Hop, FetchError>) {
        let now = ContinuousClock.now
        let job = transfer.job
        switch result {
        case .failure(let error):
            queue.hopEnded(id: job.id, outcome: .failed, now: now)
            logger.debug("fetch failed", metadata: ["url": "\(job.url)", "error": "\(error)"])
            queue.complete(id: job.id, with: .failure(error))
        case .success(let hop):
            var response = hop.response
            let wallNow = Date()
            response.retryAfter = response.headers["retry-after"].flatMap { RetryAfter.parse($0, now: wallNow) }
            response.freshnessLifetime = CacheFreshness.lifetime(
                cacheControl: response.headers["cache-control"],
                expires: response.headers["expires"],
                date: response.headers["date"],
                now: wallNow
            )
            let throttled = response.status == 429 || response.status == 503
            let outcome: HostBudget.Outcome = throttled ? .throttled(retryAfter: response.retryAfter?.delay) : .answered
            guard let target = hop.redirectURL else {
                queue.hopEnded(id: job.id, outcome: outcome, now: now)
                logger.debug(
                    "fetched",
                    metadata: [
                        "url": "\(response.effectiveURL)", "status": "\(response.status)",
                        "bytes": "\(response.body.count)",
                    ]
                )
                queue.complete(id: job.id, with: .success(response))
                return
            }
            switch nextHop(after: job, status: response.status, to: target) {
            case .success(let next):
                queue.hopEnded(id: job.id, outcome: outcome, next: next, now: now)
            case .failure(let error):
                queue.hopEnded(id: job.id, outcome: outcome, now: now)
                queue.complete(id: job.id, with: .failure(error))
            }
        }
    }

    /// The next hop of a redirect chain, with its own host (budget and address policy), or why there is none.
    private func nextHop(after job: FetchQueue.Job, status: Int, to target: String) -> Result<FetchQueue.Job, FetchError> {
        guard job.redirects.count < configuration.maxRedirects else {
            return .failure(
                FetchError(
                    .tooManyRedirects,
                    "\(job.request.url) redirected more than \(configuration.maxRedirects) times (a redirect loop?); "
                        + "the last hop pointed to \(target); limits.max_redirects sets the limit"
                )
            )
        }
        guard let parts = CurlURL(target), parts.scheme == "http" || parts.scheme == "https", !parts.host.isEmpty
        else {
            return .failure(
                FetchError(
                    .schemeNotAllowed,
                    "\(job.url) redirected to \(target.prefix(200)), which is not an http or https URL; "
                        + "only http and https redirects are followed"
                )
            )
        }
        var next = job
        next.url = target
        next.host = parts.host
        next.redirects.append(FetchRedirect(status: status, from: job.url, to: target))
        return .success(next)
    }

    /// Removes a transfer from the multi handle; the easy handle is freed when the last reference goes.
    private func detach(_ transfer: EasyTransfer) {
        _ = curl_multi_remove_handle(multi, transfer.handle)
        transfersByID[transfer.id] = nil
        transfersByHandle[transfer.handle] = nil
    }

    private func tearDown() {
        for transfer in Array(transfersByID.values) {
            detach(transfer)
        }
        queue.closeMulti()
        if let publicOnlyShare {
            let code = curl_share_cleanup(publicOnlyShare)
            if code != CURLSHE_OK {
                logger.warning("curl_share_cleanup failed", metadata: ["code": "\(code.rawValue)"])
            }
        }
        _ = curl_multi_cleanup(multi)
        logger.debug("curl thread stopped")
        queue.threadFinished.signal()
    }
}
