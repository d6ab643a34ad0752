// What the Swift floor clients of scripts/bench-workspaces --floor share (compiled into each): their arguments, the
// measured loop and its one line of output, the same as scripts/bench-floor.c's.
import Foundation

/// One floor client's run: `BASE_URL TOKEN INTERVAL_MS CYCLES WARMUP CONTACTS_BODY CONVERSATIONS_BODY`.
struct FloorRun: Sendable {
    let baseURL: String
    let token: String
    let interval: Duration
    let cycles: Int
    let warmup: Int
    /// The contacts' and the conversations' search bodies.
    let bodies: [String]

    /// The run the command line asks for; exits with a usage line when it does not parse.
    init() {
        let arguments = CommandLine.arguments
        guard arguments.count == 8, let interval = Int(arguments[3]), let cycles = Int(arguments[4]), cycles > 0,
            let warmup = Int(arguments[5])
        else {
            FileHandle.standardError.write(
                Data("usage: \(arguments[0]) BASE_URL TOKEN INTERVAL_MS CYCLES WARMUP CONTACTS CONVERSATIONS\n".utf8))
            exit(2)
        }
        (baseURL, token, self.interval) = (arguments[1], arguments[2], .milliseconds(interval))
        (self.cycles, self.warmup, bodies) = (cycles, warmup, [arguments[6], arguments[7]])
    }

    /// Runs `warmup` and then `cycles` cycles — `sleep` for the interval, `send` search 0 and 1 (each returns its
    /// answer's size) — and returns the line bench-floor.c prints: CPU per request (µs), requests, the two answers'
    /// sizes, and a cycle's first and second request's CPU (µs). It runs where its caller runs (the main actor, a
    /// task on the HTTP thread), so that each client wakes as it would on its own.
    nonisolated(nonsending) func measure(sleep: (Duration) async throws -> Void, send: (Int) async throws -> Int)
        async rethrows -> String
    {
        var bytes = [0, 0]
        var spent = [0.0, 0.0]
        var started = 0.0
        var mark = 0.0
        for cycle in 0..<(warmup + cycles) {
            if cycle == warmup {
                started = Self.processCPUSeconds()
                mark = started
            }
            try await sleep(interval)
            for index in 0..<2 {
                bytes[index] = try await send(index)
                if cycle >= warmup {
                    let now = Self.processCPUSeconds()
                    spent[index] += now - mark
                    mark = now
                }
            }
        }
        let cpu = Self.processCPUSeconds() - started
        return String(
            format: "%.1f %d %d %d %.1f %.1f", 1e6 * cpu / (2.0 * Double(cycles)), 2 * cycles, bytes[0], bytes[1],
            1e6 * spent[0] / Double(cycles), 1e6 * spent[1] / Double(cycles))
    }

    /// The process's CPU time (all threads), precise to the scheduler's accounting.
    static func processCPUSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
