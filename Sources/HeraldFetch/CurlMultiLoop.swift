internal import CCurl
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
            let work = queue.takeWork()
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

            var ready: Int32 = 0
            let pollCode = curl_multi_poll(multi, nil, 0, 1000, &ready)
            if pollCode != CURLM_OK {
                logger.error("curl_multi_poll failed", metadata: ["code": "\(pollCode.rawValue)"])
            }
        }
        tearDown()
    }

    private func start(_ job: FetchQueue.Job) {
        do throws(FetchError) {
            let transfer = try EasyTransfer(id: job.id, request: job.request, configuration: configuration)
            // Free the transfer if configure throws; it holds no multi registration yet.
            try transfer.configure(share: job.request.addressPolicy == .publicOnly ? publicOnlyShare : nil)
            let code = curl_multi_add_handle(multi, transfer.handle)
            guard code == CURLM_OK else {
                let reason = String(cString: curl_multi_strerror(code))
                throw FetchError(.internalError, "libcurl could not start the fetch of \(job.request.url): \(reason)")
            }
            transfersByID[job.id] = transfer
            transfersByHandle[transfer.handle] = transfer
        } catch {
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
            let result = transfer.finish(code)
            switch result {
            case .success(let response):
                logger.debug(
                    "fetched",
                    metadata: [
                        "url": "\(response.effectiveURL)", "status": "\(response.status)",
                        "bytes": "\(response.body.count)",
                    ]
                )
            case .failure(let error):
                logger.debug("fetch failed", metadata: ["url": "\(transfer.request.url)", "error": "\(error)"])
            }
            queue.complete(id: transfer.id, with: result)
        }
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
