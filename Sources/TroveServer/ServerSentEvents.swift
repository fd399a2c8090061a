import Foundation
import HTTPTypes
import Hummingbird

/// Frames for `text/event-stream` (https://html.spec.whatwg.org/multipage/server-sent-events.html):
/// an optional `event:` line, one `data:` line per line of the payload, and a blank line.
enum ServerSentEvents {
    /// Response headers of a stream: no caching, no proxy buffering.
    static let headers: HTTPFields = [
        .contentType: "text/event-stream; charset=utf-8",
        .cacheControl: "no-cache",
        HTTPField.Name("X-Accel-Buffering")!: "no",
    ]

    /// One event carrying `data` (JSON, or `[DONE]`).
    static func frame(event: String? = nil, data: String) -> ByteBuffer {
        var text = ""
        if let event { text += "event: \(event)\n" }
        for line in data.split(separator: "\n", omittingEmptySubsequences: false) { text += "data: \(line)\n" }
        text += "\n"
        return ByteBuffer(string: text)
    }

    /// A comment line, which clients ignore (keeps the connection alive and tests that it is).
    static func comment(_ text: String) -> ByteBuffer {
        ByteBuffer(string: ": \(text)\n\n")
    }

    /// One event whose data is `value` as JSON.
    static func frame(event: String? = nil, json value: some Encodable) throws -> ByteBuffer {
        frame(event: event, data: String(decoding: try JSONCoding.encoder.encode(value), as: UTF8.self))
    }
}
