#if canImport(Glibc)
    import Glibc
#endif

/// The real ``ServiceNotifier``: one `AF_UNIX` `SOCK_DGRAM` datagram per message to the socket systemd names in
/// `$NOTIFY_SOCKET`, without libsystemd.
///
/// A path (`/run/systemd/notify`) or an abstract name (`@name`, Linux's abstract namespace) are supported; other
/// forms (`vsock:` for VMs) are not. Each message opens, sends on and closes its own socket, so there is no
/// descriptor to keep; the send does not block (`MSG_DONTWAIT`): with systemd's queue full a message is dropped
/// rather than stall the caller. With `NotifyAccess=main` only the main process may send, and the kernel
/// attaches our credentials, so nothing else is needed.
public struct DatagramNotifier: ServiceNotifier {
    /// `$NOTIFY_SOCKET` as given.
    public let socket: String
    private let address: [UInt8]

    /// A notifier for `socket` (`/path` or `@abstract`), nil for an empty, unsupported or too long address.
    public init?(socket: String) {
        let capacity = MemoryLayout.size(ofValue: sockaddr_un().sun_path)
        var bytes = Array(socket.utf8)
        switch bytes.first {
        case UInt8(ascii: "/"):
            // A path needs room for its terminating NUL.
            guard bytes.count < capacity, !bytes.contains(0) else { return nil }
        case UInt8(ascii: "@"):
            bytes[0] = 0  // the abstract namespace: a leading NUL, the name not terminated
            guard bytes.count > 1, bytes.count <= capacity else { return nil }
        default:
            return nil
        }
        self.socket = socket
        address = bytes
    }

    /// The notifier for `$NOTIFY_SOCKET` in `environment`, nil when it is unset (not run by systemd) or unusable.
    public init?(environment: [String: String]) {
        guard let socket = environment["NOTIFY_SOCKET"] else { return nil }
        self.init(socket: socket)
    }

    public func notify(_ state: String) {
        _ = send(state)
    }

    /// Sends `state` as one datagram; answers whether the kernel took it (errors are otherwise ignored).
    @discardableResult
    public func send(_ state: String) -> Bool {
        let descriptor = Glibc.socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var socketAddress = sockaddr_un()
        socketAddress.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &socketAddress.sun_path) { $0.copyBytes(from: address) }
        // The exact length: for an abstract name every byte of sun_path counts, so sizeof(sockaddr_un) would
        // name another socket (NUL-padded).
        let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path) ?? 2
        let path = address.first == 0 ? address.count : address.count + 1
        let length = socklen_t(pathOffset + path)
        let message = Array(state.utf8)
        let sent = message.withUnsafeBytes { buffer in
            withUnsafePointer(to: &socketAddress) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(descriptor, buffer.baseAddress, buffer.count, Int32(MSG_DONTWAIT | MSG_NOSIGNAL), $0, length)
                }
            }
        }
        return sent == message.count
    }
}
