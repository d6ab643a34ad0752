extension StateStore {
    /// The `meta` value for `key` (e.g. `store_format`; a workspace's app id lives in `workspace` since v10), if set.
    public func metaValue(forKey key: String) async throws -> String? {
        try await backend.metaValue(forKey: key)
    }

    /// Sets (or, with `nil`, removes) the `meta` value for `key`.
    public func setMetaValue(_ value: String?, forKey key: String) async throws {
        try await backend.setMetaValue(value, forKey: key)
    }
}
