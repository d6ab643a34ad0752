/// What a ``TLSTerminator`` serves: how it forwards, which certificate it presents, whom it asks for a
/// client certificate, which TLS versions it speaks; and the nginx configuration that says so.
public struct TLSTerminatorConfiguration: Sendable {
    /// How the terminator hands connections to the backend.
    public enum Mode: Sendable, Hashable {
        /// nginx's stream module: TLS off, then the bytes both ways unchanged, one backend connection per
        /// client connection. The backend's exact HTTP/1.1 (chunked, close-delimited, 1xx, stalls) reaches the
        /// client, and the backend's connection count is the client's.
        case stream
        /// nginx's http module: HTTP/2 (or HTTP/1.1) to the client by ALPN, HTTP/1.1 with kept-alive connections
        /// to the backend, unbuffered. Its access log names the client connection of every request.
        case http2
    }

    public var mode: Mode
    /// The backend on 127.0.0.1.
    public var backendPort: Int
    /// The certificate presented to clients.
    public var certificate: TestCertificate
    /// When set, clients must present a certificate signed by this CA (`ssl_verify_client on`).
    public var clientCAFile: String?
    /// nginx `ssl_protocols` names: `TLSv1.2`, `TLSv1.3`.
    public var protocols: [String]

    public init(
        mode: Mode, backendPort: Int, certificate: TestCertificate, clientCAFile: String? = nil,
        protocols: [String] = ["TLSv1.2", "TLSv1.3"]
    ) {
        self.mode = mode
        self.backendPort = backendPort
        self.certificate = certificate
        self.clientCAFile = clientCAFile
        self.protocols = protocols
    }

    /// The access log's line format (http2 mode): the client connection's serial number, the request's number
    /// on it, the protocol, the status and the URI.
    public static let accessLogFormat = "$connection $connection_requests $server_protocol $status $request_uri"

    /// A complete nginx configuration listening on 127.0.0.1:`port`, every file it writes inside `directory`.
    /// One process, no daemon, no master (so stopping it is one signal), its log on stderr at `info` (where
    /// nginx reports failed handshakes); `user` is set only when running as
    /// root (nginx refuses it otherwise), to the caller's own user and group.
    public func nginxConfiguration(port: Int, directory: String, runAsRoot user: (name: String, group: String)?)
        -> String
    {
        var directives = [
            "ssl_certificate \(certificate.certificateFile);",
            "ssl_certificate_key \(certificate.keyFile);",
            "ssl_protocols \(protocols.joined(separator: " "));",
        ]
        if let clientCAFile {
            directives += ["ssl_verify_client on;", "ssl_client_certificate \(clientCAFile);"]
        }
        // Inside `server {`: eight spaces.
        let tls = directives.joined(separator: "\n        ")
        let header = """
            # intercom-triggerd test TLS terminator (\(mode == .stream ? "stream" : "http2") mode)
            \(mode == .stream ? "load_module /usr/lib/nginx/modules/ngx_stream_module.so;\n" : "")\
            \(user.map { "user \($0.name) \($0.group);\n" } ?? "")\
            daemon off;
            master_process off;
            worker_processes 1;
            pid \(directory)/nginx.pid;
            error_log stderr info;

            events {
                worker_connections 4096;
            }

            """
        switch mode {
        case .stream:
            return header + """
                stream {
                    server {
                        listen 127.0.0.1:\(port) ssl;
                        \(tls)
                        proxy_pass 127.0.0.1:\(backendPort);
                    }
                }

                """
        case .http2:
            return header + """
                http {
                    client_body_temp_path \(directory)/client-body;
                    proxy_temp_path \(directory)/proxy;
                    fastcgi_temp_path \(directory)/fastcgi;
                    uwsgi_temp_path \(directory)/uwsgi;
                    scgi_temp_path \(directory)/scgi;
                    log_format requests '\(Self.accessLogFormat)';
                    access_log \(directory)/access.log requests;

                    upstream backend {
                        server 127.0.0.1:\(backendPort);
                        keepalive 64;
                    }

                    server {
                        listen 127.0.0.1:\(port) ssl http2;
                        \(tls)
                        location / {
                            proxy_pass http://backend;
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                            proxy_buffering off;
                            proxy_request_buffering off;
                        }
                    }
                }

                """
        }
    }
}
