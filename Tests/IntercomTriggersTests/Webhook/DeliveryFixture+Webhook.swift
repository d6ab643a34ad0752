import Logging

@testable import IntercomTriggers

extension DeliveryFixture {
    /// A lane of `destination` with a dispatch mode, on this fixture's store, clock and signal.
    func lane(
        _ destination: String, sink: any EventSink,
        retrySchedule: any RetrySchedule = FixedRetrySchedule(delay: .seconds(5)), dispatch: LaneDispatch,
        idlePoll: Duration = .seconds(3_600)
    ) -> DeliveryLane {
        DeliveryLane(
            destination: destination, store: store, sink: sink, signal: signal, clock: clock,
            retrySchedule: retrySchedule, dispatch: dispatch, idlePoll: idlePoll, logger: DeliveryFixture.quiet)
    }
}
