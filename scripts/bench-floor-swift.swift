// The floor of scripts/bench-floor.c, from Swift (scripts/bench-workspaces --floor): the same two searches on one
// kept-alive connection every interval, but woken by Swift concurrency (`Task.sleep` from the main actor: dispatch's
// timer thread, then the main thread; its worker threads and their pool monitor run as in any Swift process) and
// each answer kept in a `Data`. No parsing, no store, no telemetry: what a Swift async process that polls this way
// pays before any code of ours. Compiled with bench-floor-run.swift; the same arguments and output as bench-floor.c.
import CCurl
import Foundation

/// The answer's bytes, appended by libcurl's write callback.
final class Sink {
    var body = Data()
}

private let write: ccurl_data_callback = { data, size, count, context in
    guard let data, let context else { return 0 }
    Unmanaged<Sink>.fromOpaque(context).takeUnretainedValue().body.append(
        UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: size * count)
    return size * count
}

@main
struct BenchFloorSwift {
    static func main() async throws {
        let run = FloorRun()
        let urls = ["\(run.baseURL)/contacts/search", "\(run.baseURL)/conversations/search"]
        curl_global_init(Int(CURL_GLOBAL_ALL))
        guard let easy = curl_easy_init() else { exit(1) }
        var headers: UnsafeMutablePointer<curl_slist>?
        for header in [
            "Authorization: Bearer \(run.token)", "Content-Type: application/json", "Accept: application/json",
            "Intercom-Version: 2.11",
        ] {
            headers = header.withCString { curl_slist_append(headers, $0) }
        }
        let line = try await run.measure(
            sleep: { try await Task.sleep(for: $0) },
            send: { index in
                let sink = Sink()
                urls[index].withCString { _ = ccurl_easy_setopt_string(easy, CURLOPT_URL, $0) }
                _ = ccurl_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, headers)
                run.bodies[index].withCString { _ = ccurl_easy_setopt_string(easy, CURLOPT_COPYPOSTFIELDS, $0) }
                _ = ccurl_easy_setopt_callback(easy, CURLOPT_WRITEFUNCTION, write)
                _ = ccurl_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, Unmanaged.passUnretained(sink).toOpaque())
                let code = curl_easy_perform(easy)
                guard code == CURLE_OK else {
                    FileHandle.standardError.write(
                        Data("request failed: \(String(cString: curl_easy_strerror(code)))\n".utf8))
                    exit(1)
                }
                return withExtendedLifetime(sink) { sink.body.count }
            })
        print(line)
    }
}
