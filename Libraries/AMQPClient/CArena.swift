import CRabbitMQ
import Foundation

/// Owns C memory handed to librabbitmq for one call (strings, tables); frees it on deinit.
/// Never pass a Swift String to `amqp_cstring_bytes`: the C string Swift makes for the call is
/// freed when that call returns, long before librabbitmq reads it. Used only on the connection's thread.
final class CArena {
    private var allocations: [UnsafeMutableRawPointer] = []

    deinit {
        for pointer in allocations { free(pointer) }
    }

    func bytes(_ string: String) -> amqp_bytes_t {
        var utf8 = Array(string.utf8)
        if utf8.isEmpty { return amqp_empty_bytes }
        let pointer = malloc(utf8.count)!
        allocations.append(pointer)
        utf8.withUnsafeMutableBytes { pointer.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        return amqp_bytes_t(len: utf8.count, bytes: pointer)
    }

    func table(_ entries: [(String, Topology.ArgumentValue)]) -> amqp_table_t {
        if entries.isEmpty { return amqp_empty_table }
        let raw = malloc(MemoryLayout<amqp_table_entry_t>.stride * entries.count)!
        allocations.append(raw)
        let table = raw.bindMemory(to: amqp_table_entry_t.self, capacity: entries.count)
        for (index, (key, value)) in entries.enumerated() {
            var entry = amqp_table_entry_t()
            entry.key = bytes(key)
            switch value {
            case .string(let text):
                entry.value.kind = UInt8(AMQP_FIELD_KIND_UTF8.rawValue)
                entry.value.value.bytes = bytes(text)
            case .int(let number):
                entry.value.kind = UInt8(AMQP_FIELD_KIND_I64.rawValue)
                entry.value.value.i64 = number
            }
            (table + index).initialize(to: entry)
        }
        return amqp_table_t(num_entries: Int32(entries.count), entries: table)
    }

    func properties(_ properties: AMQPProperties) -> amqp_basic_properties_t {
        var p = amqp_basic_properties_t()
        var flags: amqp_flags_t = 0
        func set(_ value: String?, _ flag: amqp_flags_t, _ field: WritableKeyPath<amqp_basic_properties_t, amqp_bytes_t>) {
            guard let value else { return }
            p[keyPath: field] = bytes(value)
            flags |= flag
        }
        set(properties.contentType, IOFFICE_FLAG_CONTENT_TYPE, \.content_type)
        set(properties.contentEncoding, IOFFICE_FLAG_CONTENT_ENCODING, \.content_encoding)
        set(properties.correlationID, IOFFICE_FLAG_CORRELATION_ID, \.correlation_id)
        set(properties.replyTo, IOFFICE_FLAG_REPLY_TO, \.reply_to)
        set(properties.expiration, IOFFICE_FLAG_EXPIRATION, \.expiration)
        set(properties.messageID, IOFFICE_FLAG_MESSAGE_ID, \.message_id)
        set(properties.type, IOFFICE_FLAG_TYPE, \.type)
        set(properties.userID, IOFFICE_FLAG_USER_ID, \.user_id)
        set(properties.appID, IOFFICE_FLAG_APP_ID, \.app_id)
        p.delivery_mode = properties.persistent ? 2 : 1
        flags |= IOFFICE_FLAG_DELIVERY_MODE
        if let priority = properties.priority {
            p.priority = priority
            flags |= IOFFICE_FLAG_PRIORITY
        }
        if let timestamp = properties.timestamp {
            p.timestamp = UInt64(max(0, timestamp.timeIntervalSince1970))
            flags |= IOFFICE_FLAG_TIMESTAMP
        }
        if !properties.headers.isEmpty {
            p.headers = table(properties.headers.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })
            flags |= IOFFICE_FLAG_HEADERS
        }
        p._flags = flags
        return p
    }
}

extension amqp_bytes_t {
    /// A Swift copy of the bytes (librabbitmq reuses its buffers).
    var string: String {
        guard len > 0, let bytes else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: bytes, count: len), as: UTF8.self)
    }
}

extension AMQPProperties {
    /// Copies decoded properties out of librabbitmq's frame memory.
    init(_ p: amqp_basic_properties_t) {
        let flags = p._flags
        func get(_ flag: amqp_flags_t, _ value: amqp_bytes_t) -> String? {
            flags & flag != 0 ? value.string : nil
        }
        self.init(
            messageID: get(IOFFICE_FLAG_MESSAGE_ID, p.message_id),
            type: get(IOFFICE_FLAG_TYPE, p.type),
            contentType: get(IOFFICE_FLAG_CONTENT_TYPE, p.content_type),
            contentEncoding: get(IOFFICE_FLAG_CONTENT_ENCODING, p.content_encoding),
            timestamp: flags & IOFFICE_FLAG_TIMESTAMP != 0
                ? Date(timeIntervalSince1970: TimeInterval(p.timestamp)) : nil,
            appID: get(IOFFICE_FLAG_APP_ID, p.app_id),
            userID: get(IOFFICE_FLAG_USER_ID, p.user_id),
            correlationID: get(IOFFICE_FLAG_CORRELATION_ID, p.correlation_id),
            replyTo: get(IOFFICE_FLAG_REPLY_TO, p.reply_to),
            expiration: get(IOFFICE_FLAG_EXPIRATION, p.expiration),
            priority: flags & IOFFICE_FLAG_PRIORITY != 0 ? p.priority : nil,
            persistent: flags & IOFFICE_FLAG_DELIVERY_MODE != 0 ? p.delivery_mode == 2 : false,
            headers: flags & IOFFICE_FLAG_HEADERS != 0 ? Self.headers(p.headers) : [:]
        )
    }

    private static func headers(_ table: amqp_table_t) -> [String: String] {
        var result: [String: String] = [:]
        guard table.num_entries > 0, let entries = table.entries else { return result }
        for index in 0..<Int(table.num_entries) {
            let entry = entries[index]
            result[entry.key.string] = render(entry.value)
        }
        return result
    }

    private static func render(_ value: amqp_field_value_t) -> String {
        switch UInt32(value.kind) {
        case AMQP_FIELD_KIND_UTF8.rawValue, AMQP_FIELD_KIND_BYTES.rawValue: value.value.bytes.string
        case AMQP_FIELD_KIND_BOOLEAN.rawValue: value.value.boolean != 0 ? "true" : "false"
        case AMQP_FIELD_KIND_I8.rawValue: String(value.value.i8)
        case AMQP_FIELD_KIND_U8.rawValue: String(value.value.u8)
        case AMQP_FIELD_KIND_I16.rawValue: String(value.value.i16)
        case AMQP_FIELD_KIND_U16.rawValue: String(value.value.u16)
        case AMQP_FIELD_KIND_I32.rawValue: String(value.value.i32)
        case AMQP_FIELD_KIND_U32.rawValue: String(value.value.u32)
        case AMQP_FIELD_KIND_I64.rawValue, AMQP_FIELD_KIND_TIMESTAMP.rawValue: String(value.value.i64)
        case AMQP_FIELD_KIND_U64.rawValue: String(value.value.u64)
        default: "<\(Character(UnicodeScalar(value.kind)))>"
        }
    }
}
