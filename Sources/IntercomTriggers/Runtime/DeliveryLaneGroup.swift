import ServiceLifecycle

/// Every destination's lane as one service. A `ServiceGroup` stops its services one after another,
/// so lanes listed separately would drain in turn (shutdown time = the sum of their drains); here the
/// graceful shutdown reaches every lane at once.
public struct DeliveryLaneGroup: Service {
    public let lanes: [DeliveryLane]

    public init(lanes: [DeliveryLane]) {
        self.lanes = lanes
    }

    public func run() async throws {
        try await withThrowingDiscardingTaskGroup { group in
            for lane in lanes {
                group.addTask { try await lane.run() }
            }
        }
    }
}
