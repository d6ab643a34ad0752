import CZlib
import Foundation

/// How a contact's snapshot is stored (`item_role.snapshot_item`, #14): the item deflated (raw DEFLATE, zlib) with
/// a preset dictionary shaped like an Intercom contact, behind one format byte.
///
/// A contact is ~2 KB of JSON, most of it the same keys and boilerplate in every contact (`"type":"list",
/// "data":[],"url":"/contacts/…`, dozens of `null`s): the dictionary lets even the first bytes of each
/// snapshot refer back to that text, so a snapshot takes ~200 bytes where plain deflate leaves ~700. The
/// dictionary (``SnapshotDictionary``) is part of the format: changing it means a new format byte, and stored
/// snapshots keep theirs. Rows without the format byte (plain JSON, the first schema-7 builds) read as they are.
final class SnapshotCodec {
    /// The format byte of a deflated snapshot with ``SnapshotDictionary/contactV1``.
    static let deflatedV1: UInt8 = 0x01
    /// Deflate's level: 3 compresses within ~5 % of the default 6 at ~20 % less CPU on contacts.
    static let level: Int32 = 3
    /// 8 KB of window: the dictionary and a whole typical contact fit, and each stream needs little memory.
    static let windowBits: Int32 = 13
    /// The most a snapshot may inflate to: the largest item the daemon accepts from Intercom (32 MiB).
    static let inflatedLimit = 32 << 20

    private var deflateStream: UnsafeMutablePointer<z_stream>?
    private var inflateStream: UnsafeMutablePointer<z_stream>?
    private let dictionary: [UInt8] = SnapshotDictionary.contactV1

    /// A codec whose zlib streams are made on first use and then serve every snapshot it handles: a page commit
    /// that meets no deflated snapshot allocates none.
    init() {}

    deinit {
        if let deflateStream {
            deflateEnd(deflateStream)
            deflateStream.deallocate()
        }
        if let inflateStream {
            inflateEnd(inflateStream)
            inflateStream.deallocate()
        }
    }

    private func makeDeflater() -> UnsafeMutablePointer<z_stream> {
        if let deflateStream { return deflateStream }
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = czlib_deflate_init_raw(stream, Self.level, Self.windowBits, 8)
        precondition(status == Z_OK, "zlib deflateInit2 failed: \(status)")  // only on out-of-memory
        deflateStream = stream
        return stream
    }

    /// The inflate stream, or nil when zlib cannot make one (out of memory): the snapshot then reads as unreadable.
    private func makeInflater() -> UnsafeMutablePointer<z_stream>? {
        if let inflateStream { return inflateStream }
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        guard czlib_inflate_init_raw(stream, 15) == Z_OK else {
            stream.deallocate()
            return nil
        }
        inflateStream = stream
        return stream
    }

    /// The stored form of `item`: the format byte and the deflated bytes.
    func encode(_ item: Data) -> Data {
        let deflater = makeDeflater()
        deflateReset(deflater)
        dictionary.withUnsafeBufferPointer { _ = deflateSetDictionary(deflater, $0.baseAddress, UInt32($0.count)) }
        let bound = Int(deflateBound(deflater, UInt(item.count)))
        var out = [UInt8](repeating: 0, count: bound + 1)
        out[0] = Self.deflatedV1
        let written = item.withUnsafeBytes { input -> Int in
            out.withUnsafeMutableBufferPointer { output -> Int in
                deflater.pointee.next_in = UnsafeMutablePointer(
                    mutating: input.bindMemory(to: UInt8.self).baseAddress ?? UnsafePointer(output.baseAddress!))
                deflater.pointee.avail_in = UInt32(input.count)
                deflater.pointee.next_out = output.baseAddress! + 1
                deflater.pointee.avail_out = UInt32(bound)
                // deflateBound guarantees the room: one call finishes the stream.
                let status = deflate(deflater, Z_FINISH)
                precondition(status == Z_STREAM_END, "zlib deflate did not finish: \(status)")
                return bound - Int(deflater.pointee.avail_out)
            }
        }
        return Data(out[0..<(written + 1)])
    }

    /// The item a stored snapshot holds, or nil when it cannot be read (an unknown format, corrupt bytes, or
    /// more than ``inflatedLimit``): the update then says its changes are unavailable, nothing fails.
    func decode(_ stored: Data) -> Data? {
        guard let format = stored.first else { return nil }
        if format == UInt8(ascii: "{") { return stored }  // a plain JSON snapshot from before compaction
        guard format == Self.deflatedV1, let inflater = makeInflater() else { return nil }
        guard inflateReset(inflater) == Z_OK,
            dictionary.withUnsafeBufferPointer({ inflateSetDictionary(inflater, $0.baseAddress, UInt32($0.count)) })
                == Z_OK
        else { return nil }
        return stored.withUnsafeBytes { raw -> Data? in
            let input = raw.bindMemory(to: UInt8.self)
            inflater.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress! + 1)
            inflater.pointee.avail_in = UInt32(input.count - 1)
            var out = [UInt8](repeating: 0, count: max(4096, stored.count * 12))
            var produced = 0
            while true {
                let status = out.withUnsafeMutableBufferPointer { output -> Int32 in
                    inflater.pointee.next_out = output.baseAddress! + produced
                    inflater.pointee.avail_out = UInt32(output.count - produced)
                    let status = inflate(inflater, Z_NO_FLUSH)
                    produced = output.count - Int(inflater.pointee.avail_out)
                    return status
                }
                switch status {
                case Z_STREAM_END:
                    return Data(out[0..<produced])
                case Z_OK, Z_BUF_ERROR:
                    // Room left but no end: the input stopped short (truncated).
                    guard inflater.pointee.avail_out == 0, out.count < Self.inflatedLimit else { return nil }
                    out += [UInt8](repeating: 0, count: min(out.count, Self.inflatedLimit - out.count))
                default:
                    return nil  // truncated or corrupt
                }
            }
        }
    }
}
