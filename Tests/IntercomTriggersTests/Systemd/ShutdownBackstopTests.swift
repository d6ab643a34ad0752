import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing

@testable import IntercomTriggers

@Suite struct ShutdownBackstopTests {
    /// Ignores graceful shutdown and cancellation until `released`, like a wedged call.
    struct Stubborn: Service {
        let released: OutboxSignal

        func run() async throws {
            // An unstructured wait cancellation cannot reach: the task inherits nothing.
            _ = await Task.detached { [released] in await released.wait(since: 0) }.value
        }
    }

    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    @Test func aStopThatOutlivesItsBoundRunsTheBackstop() async throws {
        let fired = OutboxSignal()
        let released = OutboxSignal()
        let witness = ShutdownWitness(
            backstop: .init(
                bound: .milliseconds(300),
                action: {
                    fired.notify()
                    released.notify()  // lets the stubborn service and the group end
                }))
        var configuration = ServiceGroupConfiguration(
            services: [
                .init(service: witness.finale), .init(service: Stubborn(released: released)),
                .init(service: witness.onset),
            ], logger: Self.quiet)
        configuration.maximumGracefulShutdownDuration = .milliseconds(100)
        let group = ServiceGroup(configuration: configuration)
        try await withDeadline(.seconds(30)) {
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try? await group.run() }
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        }
        #expect(fired.generation == 1)
        #expect(witness.began)
        #expect(witness.cutShort)
    }

    @Test func aStopWithinItsBoundNeverRunsIt() async throws {
        let fired = OutboxSignal()
        // A bound far longer than this stop takes even on a loaded machine.
        let witness = ShutdownWitness(backstop: .init(bound: .seconds(5), action: { fired.notify() }))
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [.init(service: witness.finale), .init(service: witness.onset)], logger: Self.quiet))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        witness.ended()
        // The timer was armed at the onset: wait past its bound before looking.
        try await Task.sleep(for: .milliseconds(5_500))
        #expect(fired.generation == 0)
        #expect(witness.began)
        #expect(!witness.cutShort)
    }
}
