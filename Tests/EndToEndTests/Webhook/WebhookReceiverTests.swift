import Foundation
import IntercomSimulator
import IntercomTriggers
import IntercomTriggersTesting
import Testing

@Suite("Webhook receiver (test and benchmark support)")
struct WebhookReceiverTests {
    static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

    /// POSTs a Standard Webhooks request for event `id`; returns the status.
    private func post(to sink: WebhookReceiver, id: String, tamper: Bool = false, path: String = "/hook")
        async throws -> Int
    {
        let body = Array(#"{"type":"notification_event","id":"\#(id)"}"#.utf8)
        let timestamp = Int(Date().timeIntervalSince1970)
        let signature = StandardWebhookVerifier(secret: Self.secret).sign(id: id, timestamp: timestamp, body: body)
        let request = HTTPRequest(
            method: .post, url: URL(string: "http://127.0.0.1:\(sink.port)\(path)")!,
            headers: [
                ("Content-Type", "application/json"), ("User-Agent", WebhookReceiver.userAgent), ("webhook-id", id),
                ("webhook-timestamp", "\(timestamp)"), ("webhook-signature", signature),
            ], body: Data(tamper ? body + [0x20] : body))
        return try await CurlTransport().send(request).status
    }

    @Test("Counts verified deliveries per event id and rejects a bad signature")
    func countsAndRejects() async throws {
        try await WebhookReceiver.withRunning(secret: Self.secret) { sink async throws in
            #expect(try await post(to: sink, id: "a") == 200)
            #expect(try await post(to: sink, id: "a") == 200)
            #expect(try await post(to: sink, id: "b") == 200)
            #expect(try await post(to: sink, id: "c", tamper: true) == 400)
            let snapshot = sink.snapshot
            #expect(snapshot.acknowledged == ["a": 2, "b": 1])
            #expect(snapshot.rejected.count == 1)
            #expect(snapshot.requestCount == 4)
        }
    }

    @Test("Counts per destination path and serves the figures at /__stats")
    func perPathFiguresAndStats() async throws {
        try await WebhookReceiver.withRunning(secret: Self.secret) { sink async throws in
            #expect(try await post(to: sink, id: "a", path: "/hook/crm") == 200)
            #expect(try await post(to: sink, id: "b", path: "/hook/crm") == 200)
            #expect(try await post(to: sink, id: "a", path: "/hook/ops") == 200)
            #expect(try await post(to: sink, id: "c", tamper: true, path: "/hook/ops") == 400)
            let paths = sink.snapshot.paths
            #expect(paths["/hook/crm"]?.acknowledged == 2)
            #expect(paths["/hook/ops"]?.acknowledged == 1)
            #expect(paths["/hook/crm"]?.firstAcknowledgedAt.keys.sorted() == ["a", "b"])
            let crm = try #require(paths["/hook/crm"])
            #expect(try #require(crm.firstAt) <= (try #require(crm.lastAt)))

            for (query, hasTimes) in [("", true), ("?times=0", false)] {
                let url = URL(string: "http://127.0.0.1:\(sink.port)/__stats\(query)")!
                let data = try await CurlTransport().send(HTTPRequest(method: .get, url: url)).body
                let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
                #expect(object["requests"] as? Int == 4)
                #expect(object["rejected"] as? Int == 1)
                let statsPaths = try #require(object["paths"] as? [String: [String: Any]])
                #expect(statsPaths["/hook/crm"]?["acknowledged"] as? Int == 2)
                #expect((statsPaths["/hook/ops"]?["first_acknowledged_at"] != nil) == hasTimes)
            }
        }
    }

    @Test("Answers 500 when told to, and acknowledges nothing")
    func failing() async throws {
        try await WebhookReceiver.withRunning(secret: Self.secret, mode: .fail(status: 500)) { sink async throws in
            #expect(try await post(to: sink, id: "a") == 500)
            #expect(sink.snapshot.acknowledged.isEmpty)
            #expect(sink.snapshot.received == ["a": 1])
        }
    }

    @Test("Holds hanging requests in flight until released")
    func hanging() async throws {
        try await WebhookReceiver.withRunning(secret: Self.secret, mode: .hang) { sink async throws in
            async let status = post(to: sink, id: "h")
            try await eventually("request in flight", timeout: .seconds(60), interval: .milliseconds(100)) {
                sink.snapshot.inFlight == 1
            }
            #expect(sink.snapshot.acknowledged.isEmpty)
            sink.setMode(.accept)
            #expect(try await status == 200)
            #expect(sink.snapshot.inFlight == 0)
            #expect(sink.snapshot.acknowledged == ["h": 1])
        }
    }

    @Test("Holds requests once a number of events is acknowledged, until the mode changes")
    func hangingAfterACount() async throws {
        try await WebhookReceiver.withRunning(secret: Self.secret, mode: .hangAfter(acknowledged: 2)) {
            sink async throws in
            #expect(try await post(to: sink, id: "a") == 200)
            #expect(try await post(to: sink, id: "b") == 200)
            async let status = post(to: sink, id: "c")
            try await eventually("request in flight", timeout: .seconds(60), interval: .milliseconds(100)) {
                sink.snapshot.inFlight == 1
            }
            #expect(sink.snapshot.acknowledged == ["a": 1, "b": 1])
            sink.setMode(.hangAfter(acknowledged: 3))
            #expect(try await status == 200)
            #expect(sink.snapshot.acknowledged == ["a": 1, "b": 1, "c": 1])
        }
    }

    @Test("A slow sink holds concurrent requests in flight together")
    func slow() async throws {
        try await WebhookReceiver.withRunning(secret: Self.secret, mode: .slow(.milliseconds(500))) {
            sink async throws in
            try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<4 { group.addTask { try await post(to: sink, id: "s\(index)") } }
                for try await status in group { #expect(status == 200) }
            }
            #expect(sink.snapshot.maxInFlight > 1)
            #expect(sink.snapshot.acknowledged.count == 4)
        }
    }
}
