import ModelFiles
import Tokenizers

/// Why the encoder could not be loaded or run. Each case names the file and what was wrong;
/// errors from the model-file reader and the tokenizer are wrapped with the phase they came from.
public enum BertEncoderError: Error, CustomStringConvertible, Equatable {
    /// A file of the model folder is missing or unreadable.
    case missingFile(file: String, reason: String)
    /// A configuration file is not the JSON expected.
    case malformedConfig(file: String, reason: String)
    /// A configuration value is outside what the encoder supports.
    case config(file: String, key: String, expected: String, found: String)
    /// Reading the weights failed (missing or wrong-shaped tensor, corrupt file).
    case weights(ModelFileError)
    /// Reading the vocabulary failed.
    case vocabulary(TokenizerError)
    /// A caller-supplied token id is outside the model's vocabulary.
    case tokenID(text: Int, position: Int, id: Int32, vocabularySize: Int)

    public var description: String {
        switch self {
        case let .missingFile(file, reason):
            return "loading the encoder: \(file): \(reason)"
        case let .malformedConfig(file, reason):
            return "loading the encoder configuration: \(file): \(reason)"
        case let .config(file, key, expected, found):
            return "loading the encoder configuration: \(file): '\(key)' is \(found), expected \(expected)"
        case let .weights(error):
            return "loading the encoder weights: \(error)"
        case let .vocabulary(error):
            return "loading the encoder vocabulary: \(error)"
        case let .tokenID(text, position, id, vocabularySize):
            return "embedding: text \(text), token \(position) has id \(id), outside the vocabulary 0..<\(vocabularySize)"
        }
    }
}
