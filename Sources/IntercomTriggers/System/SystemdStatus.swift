import Foundation

/// The one line `systemctl status` shows for the daemon (`STATUS=`): stalled loops first, then the last poll (and
/// with several workspaces, those failing), the queue depth and the destinations that are failing, e.g.
/// `last poll ok at 2026-11-21T14:25:03Z in 0.4s; queue 3 (crm 3, stdout 0); failing: crm (throttled)`.
///
/// It holds no times that move by themselves (no "12 s ago"), so the line changes only when something
/// happens, except while a loop is stalled (its stall grows). A destination counts as failing while its lane is
/// throttled, disabled or stopped, and from a failed attempt until the next delivery to it succeeds.
struct SystemdStatus: Sendable {
    /// The delivery side as it is now.
    struct Delivery: Sendable {
        /// Pending rows per destination (absent: none); nil when the store could not be read.
        var queue: [String: Int]?
        /// Every lane's status, in configuration order.
        var lanes: [LaneStatus]
        /// Destinations disabled in the store (a 410, or an admin).
        var disabled: Set<String>
    }

    /// Destinations whose latest attempts failed, with no delivery since.
    private var failedLately: Set<String> = []
    /// The per-destination outcome counts at the previous call.
    private var previous: [String: [String: Int]] = [:]

    /// The longest line sent: systemd keeps it whole, but `systemctl status` shows one terminal line.
    static let maximumLength = 400

    /// Folds in the outcomes since the previous call and answers the line for `now`.
    mutating func line(
        snapshot: DaemonTelemetry.Snapshot, delivery: Delivery, now: Date, stallLimit: Duration
    ) -> String {
        noteOutcomes(snapshot.deliveries)
        var parts: [String] = []
        let stalled = snapshot.stalledLoops(at: now, limit: stallLimit)
        if !stalled.isEmpty {
            let loops = stalled.map { name -> String in
                guard case .working(let last) = snapshot.loops[name] else { return name }
                return "\(name) (no progress for \(Self.spoken(now.timeIntervalSince(last))))"
            }
            parts.append("STALLED: " + loops.joined(separator: ", "))
        }
        parts.append(Self.poll(snapshot))
        // While the daemon polls, one customer's failing workspace is not its failure, but shown.
        if snapshot.lastPollError == nil, let failing = snapshot.failingWorkspacesText { parts.append(failing) }
        parts.append(Self.queue(delivery))
        let failing = failingDestinations(delivery)
        if !failing.isEmpty { parts.append("failing: " + failing.joined(separator: ", ")) }
        let line = Self.oneLine(parts.joined(separator: "; "))
        return line.count > Self.maximumLength ? String(line.prefix(Self.maximumLength - 1)) + "…" : line
    }

    private mutating func noteOutcomes(_ deliveries: [String: [String: Int]]) {
        for (destination, outcomes) in deliveries {
            let before = previous[destination] ?? [:]
            func grew(_ label: DaemonTelemetry.DeliveryOutcomeLabel) -> Bool {
                outcomes[label.rawValue, default: 0] > before[label.rawValue, default: 0]
            }
            if grew(.delivered) {
                failedLately.remove(destination)
            } else if grew(.failed) || grew(.throttled) || grew(.deadLetter) || grew(.disabled) {
                failedLately.insert(destination)
            }
        }
        previous = deliveries
    }

    private func failingDestinations(_ delivery: Delivery) -> [String] {
        var names = delivery.lanes.map(\.destination)
        names += delivery.disabled.subtracting(names).sorted()
        let states = Dictionary(delivery.lanes.map { ($0.destination, $0.state) }, uniquingKeysWith: { $1 })
        return names.compactMap { name in
            if delivery.disabled.contains(name) { return "\(name) (disabled)" }
            switch states[name] {
            case .disabled: return "\(name) (disabled)"
            case .stopped: return "\(name) (stopped)"
            case .throttled: return "\(name) (throttled)"
            default: return failedLately.contains(name) ? name : nil
            }
        }
    }

    private static func poll(_ snapshot: DaemonTelemetry.Snapshot) -> String {
        let lastOK = snapshot.lastSuccessfulPoll.map { $0.formatted(.iso8601) }
        if let error = snapshot.lastPollError {
            let short = error.count > 120 ? String(error.prefix(119)) + "…" : error
            return "poll failing (\(snapshot.consecutivePollFailures) in a row, last ok \(lastOK ?? "never")): \(short)"
        }
        guard let lastOK else { return "first poll running" }
        let took = snapshot.lastPollDuration.map { " in " + spoken(seconds($0)) } ?? ""
        return "last poll ok at \(lastOK)\(took)"
    }

    private static func queue(_ delivery: Delivery) -> String {
        guard let queue = delivery.queue else { return "queue unknown (store unreadable)" }
        let total = queue.values.reduce(0, +)
        guard delivery.lanes.count > 1 else { return "queue \(total)" }
        let each = delivery.lanes.map { "\($0.destination) \(queue[$0.destination] ?? 0)" }
        return "queue \(total) (\(each.joined(separator: ", ")))"
    }

    /// `STATUS=` is a single line: no newline may end the assignment early, and `systemctl status` shows it on
    /// the operator's terminal, so no other control character from an error message goes through either.
    private static func oneLine(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 }).escapingControlCharacters
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// "0.4s", "42s", "6m10s", "2h05m".
    static func spoken(_ seconds: Double) -> String {
        if seconds < 10 { return String(format: "%.1fs", max(0, seconds)) }
        let whole = Int(seconds)
        if whole < 60 { return "\(whole)s" }
        if whole < 3_600 { return "\(whole / 60)m\(String(format: "%02d", whole % 60))s" }
        return "\(whole / 3_600)h\(String(format: "%02d", whole / 60 % 60))m"
    }
}
