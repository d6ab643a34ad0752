import Foundation
import Testing

@testable import IntercomTriggers

@Suite struct SystemWallClockTests {
    @Test(
        arguments: [
            (0, 500, 0), (249, 500, 0), (250, 500, 500), (251, 500, 500), (749, 500, 500), (750, 500, 1_000),
            (10_000, 1_000, 10_000), (10_499, 1_000, 10_000), (10_500, 1_000, 11_000), (7, 1, 7),
        ] as [(Int, Int, Int)])
    func roundsToTheNearestGridPoint(_ offset: Int, _ grid: Int, _ nearest: Int) {
        #expect(SystemWallClock.nearest(to: .milliseconds(offset), on: .milliseconds(grid)) == .milliseconds(nearest))
    }

    @Test func roundsSubMillisecondOffsetsAndHugeOnesWithoutTrapping() {
        #expect(SystemWallClock.nearest(to: .nanoseconds(1_499_999), on: .milliseconds(1)) == .milliseconds(1))
        #expect(SystemWallClock.nearest(to: .nanoseconds(1_500_000), on: .milliseconds(1)) == .milliseconds(2))
        // A duration beyond Int nanoseconds stays finite instead of trapping.
        #expect(SystemWallClock.nearest(to: .seconds(Int64.max), on: .seconds(1)) > .seconds(1_000_000_000))
    }

    /// Sleepers that start at different moments within a second share a few wake-up instants: each within half a
    /// grid step of its own deadline, all on one grid.
    @Test func sleepersSpreadOverASecondWakeTogetherOnTheGrid() {
        let grid = Duration.milliseconds(500)
        let start = ContinuousClock.now
        let deadlines = (0..<100).map { index in
            let now = start + .milliseconds(10 * index)
            let deadline = SystemWallClock.deadline(after: .seconds(10), coalescingOn: grid, from: now)
            let exact = now + .seconds(10)
            #expect(abs((deadline - exact) / .milliseconds(1)) <= 250)
            return deadline
        }
        let distinct = Set(deadlines)
        #expect(distinct.count <= 3)
        for deadline in distinct {
            let offset = SystemWallClock.origin.duration(to: deadline)
            #expect(SystemWallClock.nearest(to: offset, on: grid) == offset)
        }
    }

    @Test(
        arguments: [
            (1_000, 50), (1_500, 75), (2_000, 100), (10_000, 500), (20_000, 1_000), (120_000, 6_000),
            (3_600_000, 180_000),
        ] as [(Int, Int)])
    func pollLoopsCoalesceOnATwentiethOfTheirInterval(_ interval: Int, _ grid: Int) {
        #expect(PollerService.wakeUpGrid(for: .milliseconds(interval)) == .milliseconds(grid))
    }

    /// Cycles start an interval apart: a cycle's length comes off the wait, a clock that went back adds nothing.
    @Test(
        arguments: [
            (0.0, 120_000), (2.5, 117_500), (119.0, 1_000), (120.0, 0), (500.0, 0), (-3_600.0, 120_000),
            (1e300, 0),
        ] as [(Double, Int)])
    func aLoopWaitsWhatIsLeftOfItsInterval(_ elapsed: Double, _ wait: Int) {
        let started = Date(timeIntervalSince1970: 1_763_716_800)
        let remaining = PollerService.remaining(
            of: .seconds(120), since: started, now: started.addingTimeInterval(elapsed))
        #expect(remaining == .milliseconds(wait))
    }
}
