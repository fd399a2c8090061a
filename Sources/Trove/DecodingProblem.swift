import Foundation

/// A JSON decoding failure as one sentence that names the field by its JSON path
/// (`messages[1].role`): what the server answers with a 400 and what an MCP tool call reports.
public struct DecodingProblem: Error, CustomStringConvertible, Sendable {
    /// The field's JSON path; nil when the problem is the whole document.
    public let field: String?
    public let description: String

    public init(_ error: DecodingError, document: String = "the request body") {
        switch error {
        case .keyNotFound(let key, let context):
            field = Self.path(context.codingPath + [key])
            description = "missing field `\(field!)`"
        case .typeMismatch(let type, let context) where context.codingPath.isEmpty:
            field = nil
            description = "\(document) must be a JSON object, not \(Self.describe(type))"
        case .typeMismatch(let type, let context):
            field = Self.path(context.codingPath)
            description = "field `\(field!)` must be \(Self.describe(type))"
        case .valueNotFound(let type, let context):
            field = Self.path(context.codingPath)
            description = "field `\(field!)` must be \(Self.describe(type)), not null"
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            field = nil
            let detail = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            description = "\(document) is not valid JSON" + (detail.map { ": \($0)" } ?? "")
        case .dataCorrupted(let context):
            field = Self.path(context.codingPath)
            description = "field `\(field!)`: \(context.debugDescription)"
        @unknown default:
            field = nil
            description = "\(document) could not be decoded: \(error)"
        }
    }

    static func path(_ keys: [CodingKey]) -> String {
        var text = ""
        for key in keys {
            if let index = key.intValue { text += "[\(index)]" } else { text += text.isEmpty ? key.stringValue : ".\(key.stringValue)" }
        }
        return text
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type, is Int64.Type, is UInt64.Type: return "an integer"
        case is Double.Type, is Float.Type: return "a number"
        case is Bool.Type: return "true or false"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "an array" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return "of the right type"
        }
    }
}
