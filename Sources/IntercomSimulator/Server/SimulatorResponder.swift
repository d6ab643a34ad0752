import Foundation
import Hummingbird

/// Adapts Hummingbird requests to the simulator pipeline and its answers back to HTTP responses.
struct SimulatorResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    /// Request bodies beyond this are refused (Intercom's own limits are far lower).
    static let maximumBodySize = 16 * 1024 * 1024

    let core: SimulatorCore

    func respond(to request: Request, context: Context) async throws -> Response {
        var request = request
        let buffer = try await request.collectBody(upTo: Self.maximumBodySize)
        var authorization: String?
        var intercomVersion: String?
        for field in request.headers {
            switch field.name.canonicalName {
            case "authorization": authorization = field.value
            case "intercom-version": intercomVersion = field.value.trimmingCharacters(in: .whitespaces)
            default: break
            }
        }
        let incoming = SimulatorCore.Incoming(
            method: request.method.rawValue,
            path: request.uri.path.removingPercentEncoding ?? request.uri.path,
            query: Self.decodeQuery(request.uri.query),
            body: buffer.readableBytes == 0 ? nil : Data(buffer.readableBytesView),
            authorization: authorization,
            intercomVersion: intercomVersion
        )
        let answer = await core.respond(to: incoming)

        var headers = HTTPFields()
        headers.append(.init(name: .contentType, value: "application/json"))
        for header in answer.headers {
            // Names come from our own code (rate limits, `Link`); an invalid one is dropped rather than crashing.
            guard let name = HTTPFields.Element.Name(header.name) else { continue }
            headers.append(.init(name: name, value: header.value))
        }
        return Response(
            status: .init(code: answer.status),
            headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body))
        )
    }

    /// Form-style decoding (`+` is a space), the last value winning for a repeated name.
    static func decodeQuery(_ query: String?) -> [String: String] {
        guard let query, !query.isEmpty else { return [:] }
        var result: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                let spaced = text.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            let name = decode(parts[0])
            guard !name.isEmpty else { continue }
            result[name] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return result
    }
}
