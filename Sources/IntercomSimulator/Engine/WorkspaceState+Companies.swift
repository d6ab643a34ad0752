import Foundation

/// Company endpoints: create-or-update, page-numbered lists with the 10,000-record cap, and the scroll.
extension WorkspaceState {
    /// `/companies` and `/companies/list` refuse any page reaching past this many records.
    static var companyListCap: Int { 10_000 }
    /// A scroll left unused this long is gone.
    static var scrollIdleSeconds: Double { 60 }
    static var scrollPageSize: Int { 50 }

    /// `POST /companies`: upserts on `company_id` (which never changes once set).
    mutating func upsertCompany(_ body: JSONValue, now: Double) throws(APIError) -> CompanyRecord {
        let nowSeconds = Int(now.rounded(.down))
        let name = body["name"]?.stringValue
        guard let companyID = body["company_id"]?.stringValue ?? name.map({ _ in UUID().uuidString.lowercased() })
        else {
            throw APIError(code: "parameter_not_found", message: "company_id or name is required", field: "company_id")
        }
        if let existingID = companyByCompanyID[companyID], var company = companies[existingID] {
            apply(body, to: &company)
            company.updatedAt = nowSeconds
            if body["update_last_request_at"]?.boolValue == true { company.lastRequestAt = nowSeconds }
            companies[existingID] = company
            return company
        }
        var company = CompanyRecord(
            id: objectID(at: nowSeconds), companyID: companyID, name: name ?? companyID, plan: nil, size: 0,
            website: "",
            industry: "", monthlySpend: 0, remoteCreatedAt: nowSeconds, createdAt: nowSeconds, updatedAt: nowSeconds,
            lastRequestAt: nowSeconds)
        apply(body, to: &company)
        insertCompany(company)
        return company
    }

    mutating func insertCompany(_ company: CompanyRecord) {
        companies[company.id] = company
        companyOrder.append(company.id)
        companyByCompanyID[company.companyID] = company.id
    }

    private func apply(_ body: JSONValue, to company: inout CompanyRecord) {
        if let name = body["name"]?.stringValue { company.name = name }
        if let plan = body["plan"]?.stringValue { company.plan = plan }
        if let size = body["size"]?.intValue { company.size = size }
        if let website = body["website"]?.stringValue { company.website = website }
        if let industry = body["industry"]?.stringValue { company.industry = industry }
        if let remote = body["remote_created_at"]?.intValue { company.remoteCreatedAt = remote }
        // monthly_spend is truncated to an integer.
        if case .double(let spend)? = body["monthly_spend"] { company.monthlySpend = Int(spend) }
        if let spend = body["monthly_spend"]?.intValue { company.monthlySpend = spend }
        if let attributes = body["custom_attributes"]?.objectValue {
            for (key, value) in attributes.pairs {
                company.customAttributes[key] = value.stringValue ?? value.jsonString
            }
        }
    }

    /// A page of companies by page number, most recently active first; `order` `asc` reverses it.
    /// `POST /companies/list` leaves out companies with no users, as the spec says Intercom does.
    func companyPage(_ parameters: [String: String], onlyWithUsers: Bool = false) throws(APIError) -> JSONValue {
        let page = Int(parameters["page"] ?? "") ?? 1
        let perPage = min(max(Int(parameters["per_page"] ?? "") ?? 15, 1), 60)
        guard page >= 1 else {
            throw APIError(code: "parameter_invalid", message: "page must be 1 or more", field: "page")
        }
        if page * perPage > Self.companyListCap {
            throw APIError(code: "bad_request", message: "page limit reached, please use scroll API")
        }
        let ascending = parameters["order"] == "asc"
        let listed = onlyWithUsers ? companies.values.filter { $0.userCount > 0 } : Array(companies.values)
        let sorted = listed.sorted { lhs, rhs in
            let ordered =
                lhs.lastRequestAt != rhs.lastRequestAt ? lhs.lastRequestAt > rhs.lastRequestAt : lhs.id < rhs.id
            return ascending ? !ordered : ordered
        }
        let start = min((page - 1) * perPage, sorted.count)
        let slice = sorted[start..<min(start + perPage, sorted.count)]
        return listEnvelope(Array(slice), page: page, perPage: perPage, total: sorted.count)
    }

    /// The `company_list` envelope around one page of companies.
    private func listEnvelope(_ slice: [CompanyRecord], page: Int, perPage: Int, total: Int) -> JSONValue {
        let totalPages = (total + perPage - 1) / perPage
        var pages = JSONObject()
        pages["type"] = "pages"
        if page < totalPages {
            pages["next"] = ["page": .int(page + 1), "per_page": .int(perPage), "starting_after": nil]
        }
        pages["page"] = .int(page)
        pages["per_page"] = .int(perPage)
        pages["total_pages"] = .int(totalPages)
        var object = JSONObject()
        object["type"] = "list"
        object["data"] = .array(slice.map { $0.json(workspaceID: settings.workspaceID) })
        object["pages"] = .object(pages)
        object["total_count"] = .int(total)
        return .object(object)
    }

    /// `GET /companies/scroll`: one open scroll per workspace, gone after 60 s unused, ended by empty `data`.
    mutating func scrollCompanies(param: String?, now: Double) throws(APIError) -> JSONValue {
        if let open = scroll, now - open.lastUsed > Self.scrollIdleSeconds { scroll = nil }
        var current: CompanyScroll
        if let param, !param.isEmpty {
            guard let open = scroll, open.param == param else {
                throw APIError.notFound("scroll parameter not found")
            }
            current = open
        } else {
            if scroll != nil {
                throw APIError(code: "scroll_exists", message: "scroll already exists for this workspace")
            }
            current = CompanyScroll(param: UUID().uuidString.lowercased(), offset: 0, lastUsed: now)
        }
        let end = min(current.offset + Self.scrollPageSize, companyOrder.count)
        let ids = current.offset < end ? companyOrder[current.offset..<end] : []
        current.offset = end
        current.lastUsed = now
        // The page with empty data ends the scroll; a new one may start after it.
        scroll = ids.isEmpty ? nil : current
        var object = JSONObject()
        object["type"] = "list"
        object["data"] = .array(ids.compactMap { companies[$0]?.json(workspaceID: settings.workspaceID) })
        object["pages"] = .null
        object["total_count"] = .null
        object["scroll_param"] = .string(current.param)
        return .object(object)
    }

    // MARK: HTTP

    mutating func handleCompanies(_ request: SimRequest, _ parts: [String], now: Double) throws(APIError) -> JSONValue {
        switch (request.method, parts.count) {
        case ("POST", 1):
            return try upsertCompany(try Self.object(request.body), now: now).json(workspaceID: settings.workspaceID)
        case ("GET", 1):
            // Filtered by company_id or name the answer is a `company_list` of the match, as the spec's schema says.
            if let companyID = request.query["company_id"] {
                guard let id = companyByCompanyID[companyID], let company = companies[id] else {
                    throw APIError.notFound("Company Not Found", code: "company_not_found")
                }
                return listEnvelope([company], page: 1, perPage: 15, total: 1)
            }
            if let name = request.query["name"] {
                let matches = companies.values.filter { $0.name == name }.sorted { $0.id < $1.id }
                guard !matches.isEmpty else {
                    throw APIError.notFound("Company Not Found", code: "company_not_found")
                }
                return listEnvelope(matches, page: 1, perPage: max(matches.count, 15), total: matches.count)
            }
            return try companyPage(request.query)
        case ("POST", 2) where parts[1] == "list":
            return try companyPage(request.query, onlyWithUsers: true)
        case ("GET", 2) where parts[1] == "scroll":
            return try scrollCompanies(param: request.query["scroll_param"], now: now)
        case ("GET", 2):
            guard let company = companies[parts[1]] else {
                throw APIError.notFound("Company Not Found", code: "company_not_found")
            }
            return company.json(workspaceID: settings.workspaceID)
        default:
            throw APIError.notFound("Resource Not Found")
        }
    }
}
