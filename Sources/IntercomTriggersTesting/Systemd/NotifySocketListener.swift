import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A datagram socket standing in for systemd's notify socket: bound to a path in a fresh temporary directory
/// or to an abstract name, it receives what the daemon sends to ``address`` (the value for `NOTIFY_SOCKET`).
/// Test support, like the simulator: the daemon's notify tests (in-process and end-to-end) capture with it.
public final class NotifySocketListener: Sendable {
    /// The value for `NOTIFY_SOCKET`: a path, or `@name` for an abstract socket.
    public let address: String
    private let descriptor: Int32
    private let directory: String?

    public init(abstract: Bool = false) throws {
        let token = UUID().uuidString.prefix(8)
        var bytes: [UInt8]
        if abstract {
            let name = "intercom-triggerd-test-\(getpid())-\(token)"
            address = "@" + name
            bytes = [0] + Array(name.utf8)
            directory = nil
        } else {
            let directory = NSTemporaryDirectory() + "notify-\(token)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            address = directory + "/notify.sock"
            bytes = Array(address.utf8) + [0]
            self.directory = directory
        }
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var socketAddress = sockaddr_un()
        socketAddress.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &socketAddress.sun_path) { $0.copyBytes(from: bytes) }
        let length = socklen_t((MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path) ?? 2) + bytes.count)
        let bound = withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard descriptor >= 0, bound == 0 else {
            let error = errno
            close(descriptor)
            throw ListenerError(description: "cannot bind \(address): errno \(error)")
        }
    }

    deinit {
        close(descriptor)
        if let directory { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// A datagram already received, or nil; never blocks.
    public func receiveNow() -> String? {
        var buffer = [UInt8](repeating: 0, count: 8_192)
        let count = recv(descriptor, &buffer, buffer.count, Int32(MSG_DONTWAIT))
        guard count >= 0 else { return nil }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }

    /// The next datagram; throws when none comes within `hangGuard` (a guard, not a timing assertion).
    public func next(hangGuard: Duration = .seconds(30)) async throws -> String {
        let deadline = ContinuousClock.now + hangGuard
        while true {
            if let message = receiveNow() { return message }
            guard ContinuousClock.now < deadline else {
                throw ListenerError(description: "no datagram on \(address) within \(hangGuard)")
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Every datagram up to and including the first that satisfies `condition`, calling `step` between reads
    /// (to advance a manual clock, say); throws after `hangGuard`.
    public func collect(
        until condition: (String) -> Bool, hangGuard: Duration = .seconds(30), step: () -> Void = {}
    ) async throws -> [String] {
        let deadline = ContinuousClock.now + hangGuard
        var messages: [String] = []
        while true {
            while let message = receiveNow() {
                messages.append(message)
                if condition(message) { return messages }
            }
            guard ContinuousClock.now < deadline else {
                throw ListenerError(description: "timed out on \(address); received: \(messages)")
            }
            step()
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    public struct ListenerError: Error, CustomStringConvertible {
        public var description: String
    }
}

extension String {
    /// The value of `key` in an sd_notify message (`KEY=VALUE` lines), nil when it is not assigned.
    public func notifyValue(_ key: String) -> String? {
        split(separator: "\n").first { $0.hasPrefix(key + "=") }.map { String($0.dropFirst(key.count + 1)) }
    }
}
