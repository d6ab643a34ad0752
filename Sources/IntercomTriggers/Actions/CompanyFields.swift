import Foundation

/// The fields of `api companies upsert`; nil fields are left out of the request.
public struct CompanyFields: Sendable, Equatable {
    /// Your id for the company, the upsert key (required).
    public var companyID: String?
    public var name: String?
    public var website: String?
    public var plan: String?
    public var size: Int?
    public var industry: String?
    /// Sent truncated to an integer, as Intercom stores it.
    public var monthlySpend: Double?
    /// A JSON object, checked before sending.
    public var customAttributes: String?
    /// Unix seconds.
    public var remoteCreatedAt: Int?

    public init(
        companyID: String? = nil, name: String? = nil, website: String? = nil, plan: String? = nil,
        size: Int? = nil, industry: String? = nil, monthlySpend: Double? = nil, customAttributes: String? = nil,
        remoteCreatedAt: Int? = nil
    ) {
        self.companyID = companyID
        self.name = name
        self.website = website
        self.plan = plan
        self.size = size
        self.industry = industry
        self.monthlySpend = monthlySpend
        self.customAttributes = customAttributes
        self.remoteCreatedAt = remoteCreatedAt
    }

    /// The `POST /companies` body; refuses a missing `--company-id` or bad custom attributes.
    public func body() throws(ActionUsageError) -> Data {
        var body = JSONBodyBuilder()
        body.string("company_id", try ActionInput.required(companyID, "--company-id"))
        body.string("name", name)
        body.string("website", website)
        body.string("plan", plan)
        body.int("size", size)
        body.string("industry", industry)
        if let monthlySpend {
            guard monthlySpend.isFinite else { throw ActionUsageError("--monthly-spend must be a number") }
            body.int("monthly_spend", Int(monthlySpend.rounded(.towardZero)))
        }
        body.int("remote_created_at", remoteCreatedAt)
        if let customAttributes {
            body.raw("custom_attributes", try ActionInput.json(customAttributes, "--custom-attributes"))
        }
        return body.data
    }
}
