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

    /// Keeps the checks a backstop arms, to run them when the test chooses (no waiting on a real timer).
    final class ArmedChecks: Sendable {
        private let checks = Mutex<[(Duration, @Sendable () -> Void)]>([])

        var bounds: [Duration] { checks.withLock { $0.map(\.0) } }

        func schedule(_ bound: Duration, _ check: @escaping @Sendable () -> Void) {
            checks.withLock { $0.append((bound, check)) }
        }

        func fireAll() {
            for (_, check) in checks.withLock({ $0 }) { check() }
        }
    }

    @Test func aStopWithinItsBoundNeverRunsIt() async throws {
        let fired = OutboxSignal()
        let armed = ArmedChecks()
        let witness = ShutdownWitness(
            backstop: .init(bound: .seconds(5), action: { fired.notify() }, schedule: armed.schedule))
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [.init(service: witness.finale), .init(service: witness.onset)], logger: Self.quiet))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        // Armed at the onset with the bound; the group has returned, so when it fires it does nothing.
        #expect(armed.bounds == [.seconds(5)])
        witness.ended()
        armed.fireAll()
        #expect(fired.generation == 0)
        #expect(witness.began)
        #expect(!witness.cutShort)
    }
}
