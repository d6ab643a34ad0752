import Foundation

/// Runs one `api` action: refuses bad input before any request (exit 64), prints the result, and
/// turns failures into one stderr line and an exit code (1 for Intercom's errors, 69 when Intercom
/// cannot be reached, 75 when a write may or may not have been applied).
public struct ActionRunner: Sendable {
    /// Exit code when Intercom answers with an error.
    public static let apiErrorExitCode: Int32 = 1
    /// Exit code when Intercom cannot be reached (`EX_UNAVAILABLE`).
    public static let unavailableExitCode: Int32 = 69
    /// Exit code when a write failed after it may have reached Intercom (`EX_TEMPFAIL`): check, then retry.
    public static let outcomeUnknownExitCode: Int32 = 75

    public let context: ActionContext

    public init(client: IntercomClient, output: any ActionOutput = StandardActionOutput(), pretty: Bool = false) {
        context = ActionContext(client: client, output: output, pretty: pretty)
    }

    /// Builds the action (validation), performs it, shuts the client down and returns the exit code.
    public func run(_ build: () throws(ActionUsageError) -> any ApiAction) async -> Int32 {
        let code: Int32
        do {
            let action = try build()
            try await action.perform(in: context)
            code = 0
        } catch {
            code = report(error)
        }
        await context.client.shutdown()
        return code
    }

    private func report(_ error: any Error) -> Int32 {
        context.output.standardError("intercom-triggerd: \(Self.describe(error))")
        return Self.exitCode(for: error)
    }

    /// The exit code for a failed action.
    public static func exitCode(for error: any Error) -> Int32 {
        switch error {
        case is ActionUsageError: ActionUsageError.exitCode
        case let failure as ActionFailure: exitCode(for: failure.underlying)
        case IntercomError.invalidRequest: ActionUsageError.exitCode
        case IntercomError.timedOut, IntercomError.transport, IntercomError.shutDown: unavailableExitCode
        case IntercomError.outcomeUnknown: outcomeUnknownExitCode
        default: apiErrorExitCode
        }
    }

    /// One line for an error: Intercom's `code: message` for API errors.
    public static func describe(_ error: any Error) -> String {
        switch error {
        case IntercomError.api(let status, let code, let message, let requestID):
            "\(code ?? "http_\(status)"): \(message ?? "Intercom answered \(status)") (HTTP \(status)"
                + (requestID.map { ", request \($0))" } ?? ")")
        case IntercomError.unauthorized(let message):
            "unauthorized: \(message) (HTTP 401)"
        default:
            String(describing: error)
        }
    }
}
