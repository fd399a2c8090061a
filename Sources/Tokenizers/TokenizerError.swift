/// Why a tokenizer could not be built from its files. Every case names the file.
public enum TokenizerError: Error, CustomStringConvertible, Equatable {
    case unreadable(file: String, reason: String)
    case malformedVocabulary(file: String, line: Int, reason: String)
    case missingToken(file: String, token: String)
    case malformedMerges(file: String, index: Int, reason: String)
    case unsupportedPreTokenizer(file: String, found: String, supported: String)
    case unsupportedModel(file: String, found: String, supported: String)

    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "\(file): cannot read the tokenizer: \(reason)"
        case let .malformedVocabulary(file, line, reason):
            return "\(file): vocabulary entry \(line): \(reason)"
        case let .missingToken(file, token):
            return "\(file): the vocabulary has no '\(token)' token"
        case let .malformedMerges(file, index, reason):
            return "\(file): merge rule \(index): \(reason)"
        case let .unsupportedPreTokenizer(file, found, supported):
            return "\(file): pre-tokenizer '\(found)' is not supported (supported: \(supported))"
        case let .unsupportedModel(file, found, supported):
            return "\(file): tokenizer model '\(found)' is not supported (supported: \(supported))"
        }
    }
}
