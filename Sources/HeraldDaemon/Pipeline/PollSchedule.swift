import Foundation

/// Duration arithmetic shared by the scheduling code.
enum PollSchedule {
    /// A `Duration` as seconds.
    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
