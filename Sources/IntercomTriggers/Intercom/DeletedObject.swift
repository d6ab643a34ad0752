import Foundation

/// The answer to a delete, e.g. `{"type":"contact","id":"…","external_id":"…","deleted":true}`.
public struct DeletedObject: IntercomRecord, Decodable, Equatable {
    public var id: String
    public var type: String?
    public var externalID: String?
    public var deleted: Bool?
    /// The item's bytes as received.
    public internal(set) var raw: Data = Data()

    public init(raw: Data) throws {
        self = try JSONDecoder().decode(DeletedObject.self, from: raw)
        self.raw = raw
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        id = try container.requiredID("id")
        type = container.lenientString("type")
        externalID = container.lenientString("external_id")
        deleted = container.lenientBool("deleted")
    }
}
