/// The one open company scroll of a workspace.
struct CompanyScroll: Sendable {
    var param: String
    var offset: Int
    var lastUsed: Double
}
