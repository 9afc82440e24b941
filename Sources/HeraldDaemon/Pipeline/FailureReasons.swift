import Foundation
import HeraldFeeds
import HeraldFetch

/// Turns fetch errors, HTTP statuses and parse errors into a `reason_code`, a class and a message in plain words.
enum FailureReasons {
    static func of(_ error: FetchError, url: String) -> PollFailureInfo {
        let (code, failureClass): (String, FailureClass)
        switch error.code {
        case .dns: (code, failureClass) = ("dns", .transient)
        case .connect: (code, failureClass) = ("connect", .transient)
        case .tls: (code, failureClass) = ("tls", .permanent)
        case .timeout: (code, failureClass) = ("timeout", .transient)
        case .tooLarge: (code, failureClass) = ("too_large", .permanent)
        case .tooManyRedirects: (code, failureClass) = ("too_many_redirects", .permanent)
        case .addressNotAllowed: (code, failureClass) = ("address_not_allowed", .permanent)
        case .schemeNotAllowed: (code, failureClass) = ("scheme_not_allowed", .permanent)
        case .invalidURL: (code, failureClass) = ("invalid_url", .permanent)
        case .network: (code, failureClass) = ("network", .transient)
        case .notRegularFile: (code, failureClass) = ("not_regular_file", .permanent)
        case .deferred: (code, failureClass) = ("deferred", .transient)
        default: (code, failureClass) = (error.code.rawValue, .transient)
        }
        return PollFailureInfo(
            code: code, message: error.message, failureClass: failureClass, status: nil, retryAfter: error.retryAfter?.date)
    }

    static func of(status: Int, response: FetchResponse) -> PollFailureInfo {
        let transient = status == 408 || status == 425 || status == 429 || status >= 500
        var message = "the server answered HTTP \(status)\(phrase(status).map { " \($0)" } ?? "") for \(response.effectiveURL)"
        let retryAfter = (status == 429 || status == 503) ? response.retryAfter?.date : nil
        if let retryAfter { message += "; it asks to wait until \(Timestamp.string(retryAfter))" }
        return PollFailureInfo(
            code: "http_\(status)", message: message, failureClass: transient ? .transient : .permanent, status: status,
            retryAfter: retryAfter)
    }

    static func parse(_ error: any Error, url: String, status: Int, parseTimeout: Duration) -> PollFailureInfo {
        if let error = error as? FeedParseError {
            switch error.code {
            case .timeBudgetExceeded:
                return PollFailureInfo(
                    code: "parse_timeout",
                    message: "\(url) took longer than limits.parse_timeout (\(DurationText.format(parseTimeout))) to parse: \(error.message)",
                    failureClass: .permanent, status: status)
            case .tooLarge:
                return PollFailureInfo(
                    code: "too_large", message: "\(url) is larger than Herald parses: \(error.message)",
                    failureClass: .permanent, status: status)
            case .cancelled:
                return PollFailureInfo(code: "cancelled", message: error.message, failureClass: .transient, status: status)
            default:
                break
            }
        }
        return PollFailureInfo(
            code: "not_a_feed", message: "\(url) is not a feed Herald can read: \(error)", failureClass: .permanent,
            status: status)
    }

    static func phrase(_ status: Int) -> String? {
        let phrases: [Int: String] = [
            400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 408: "Request Timeout",
            410: "Gone", 429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway",
            503: "Service Unavailable", 504: "Gateway Timeout",
        ]
        return phrases[status]
    }
}
