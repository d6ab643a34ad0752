import Foundation

/// Ready-made ``ScriptedHTTPServer/Answer/raw(_:thenClose:)`` answers: the HTTP/1.1 framings a client must read.
extension ScriptedHTTPServer.Answer {
    /// A `200` whose body is sent in `chunks` with `Transfer-Encoding: chunked` (and no `Content-Length`).
    public static func chunked(_ chunks: [String], headers: [(String, String)] = []) -> Self {
        var text = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n" + headerLines(headers) + "\r\n"
        for chunk in chunks where !chunk.isEmpty {
            text += String(chunk.utf8.count, radix: 16) + "\r\n" + chunk + "\r\n"
        }
        text += "0\r\n\r\n"
        return .raw(Data(text.utf8))
    }

    /// A `200` with neither `Content-Length` nor chunking: the body ends where the server closes the
    /// connection.
    public static func closeDelimited(_ body: String, headers: [(String, String)] = []) -> Self {
        .raw(
            Data(("HTTP/1.1 200 OK\r\nConnection: close\r\n" + headerLines(headers) + "\r\n" + body).utf8),
            thenClose: true)
    }

    /// Interim responses (e.g. `100 Continue`, `103 Early Hints` with a `Link` header), then the final answer
    /// `status` with `headers` and `body`.
    public static func informational(
        _ interim: [(status: String, headers: [(String, String)])], status: Int = 200,
        headers: [(String, String)] = [], body: String = ""
    ) -> Self {
        var text = ""
        for (line, fields) in interim { text += "HTTP/1.1 \(line)\r\n" + headerLines(fields) + "\r\n" }
        text += "HTTP/1.1 \(status) Final\r\nContent-Length: \(body.utf8.count)\r\n" + headerLines(headers) + "\r\n"
        text += body
        return .raw(Data(text.utf8))
    }

    /// A `200` head announcing `Content-Length: 1000` and `bodyPrefix`, then nothing more: the connection stays
    /// open and silent.
    public static func headersThenStall(bodyPrefix: String = "") -> Self {
        .raw(Data(("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + bodyPrefix).utf8))
    }

    private static func headerLines(_ headers: [(String, String)]) -> String {
        headers.map { "\($0.0): \($0.1)\r\n" }.joined()
    }
}
