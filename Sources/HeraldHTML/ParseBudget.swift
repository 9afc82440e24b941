import Synchronization

/// A limit on one parse: an optional deadline and a cancellation flag that any thread may set.
///
/// Parsers check it every `checkInterval` events (SAX callbacks and their own loops) and stop with a
/// `MarkupError` of code `.timeBudgetExceeded` or `.cancelled`. One budget may be shared by the several parses of
/// one document (feed, then the HTML inside its entries).
public final class ParseBudget: Sendable {
    /// Why a budget stopped a parse.
    public enum Exhaustion: Sendable, Equatable {
        /// The deadline passed.
        case deadlinePassed
        /// `cancel()` was called.
        case cancelled
    }

    private let cancelledFlag = Atomic<Bool>(false)
    private let deadlinePassed: (@Sendable () -> Bool)?

    /// How many parser events pass between two checks.
    public static let checkInterval = 1024

    /// A budget without a deadline: only `cancel()` stops the parse.
    public init() {
        deadlinePassed = nil
    }

    /// A budget that runs out when `clock` reaches `deadline` (inject a test clock here).
    public init<C: Clock>(deadline: C.Instant, clock: C) {
        deadlinePassed = { clock.now >= deadline }
    }

    /// A budget of `duration` from now on the monotonic clock.
    public convenience init(duration: Duration) {
        let clock = ContinuousClock()
        self.init(deadline: clock.now.advanced(by: duration), clock: clock)
    }

    /// Stops every parse using this budget at its next check. Safe from any thread.
    public func cancel() {
        cancelledFlag.store(true, ordering: .relaxed)
    }

    /// Whether `cancel()` was called.
    public var isCancelled: Bool { cancelledFlag.load(ordering: .relaxed) }

    /// Why the budget is spent, or nil while it lasts.
    public func exhaustion() -> Exhaustion? {
        if cancelledFlag.load(ordering: .relaxed) { return .cancelled }
        if let deadlinePassed, deadlinePassed() { return .deadlinePassed }
        return nil
    }

    /// The error a parser throws for `exhaustion`.
    public static func error(for exhaustion: Exhaustion) -> MarkupError {
        switch exhaustion {
        case .cancelled: return MarkupError(.cancelled, "the parse was cancelled")
        case .deadlinePassed: return MarkupError(.timeBudgetExceeded, "the parse ran past its time budget")
        }
    }
}

/// Counts parser events and consults a `ParseBudget` every `ParseBudget.checkInterval` of them.
struct BudgetMeter {
    let budget: ParseBudget?
    private var countdown = ParseBudget.checkInterval
    private(set) var exhausted: ParseBudget.Exhaustion?

    init(_ budget: ParseBudget?) {
        self.budget = budget
    }

    /// Counts one event; true when the parse must stop.
    @inline(__always)
    mutating func tick() -> Bool {
        guard let budget else { return false }
        if exhausted != nil { return true }
        countdown -= 1
        if countdown > 0 { return false }
        countdown = ParseBudget.checkInterval
        exhausted = budget.exhaustion()
        return exhausted != nil
    }
}
