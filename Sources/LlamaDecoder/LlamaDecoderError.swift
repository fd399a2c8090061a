/// Why the decoder refused a model file or a request. Every case about a file names it, and the
/// item (metadata key, tensor) with what was expected against what was found.
public enum LlamaDecoderError: Error, CustomStringConvertible, Equatable {
    /// The file's `general.architecture` is not one of ``DecoderArchitecture``'s.
    case unsupportedArchitecture(file: String, found: String)
    /// A required metadata key is absent.
    case missingMetadata(file: String, key: String)
    /// A metadata value has the wrong type or an impossible value.
    case invalidMetadata(file: String, key: String, expected: String, found: String)
    /// A tensor the graph needs is absent.
    case missingTensor(file: String, tensor: String)
    /// The file holds a tensor the graph of its architecture does not use (llama.cpp refuses these too).
    case unusedTensor(file: String, tensor: String, architecture: String)
    /// A tensor's shape (ggml order, ne0 first) differs from what the configuration implies.
    case tensorShape(file: String, tensor: String, expected: [Int], found: [Int])
    /// A tensor is stored in an encoding the kernels do not handle.
    case unsupportedTensorType(file: String, tensor: String, type: String, supported: String)
    /// A token id outside `0..<vocabularySize` was given to the model.
    case tokenOutOfRange(token: Int32, vocabularySize: Int)
    /// The KV cache cannot hold more tokens.
    case contextFull(needed: Int, capacity: Int)

    public var description: String {
        switch self {
        case let .unsupportedArchitecture(file, found):
            return "\(file): architecture '\(found)' is not supported by the decoder (supported: \(DecoderArchitecture.supportedNames))"
        case let .missingMetadata(file, key):
            return "\(file): metadata key '\(key)' is missing"
        case let .invalidMetadata(file, key, expected, found):
            return "\(file): metadata key '\(key)' is \(found), expected \(expected)"
        case let .missingTensor(file, tensor):
            return "\(file): tensor '\(tensor)' is missing"
        case let .unusedTensor(file, tensor, architecture):
            return "\(file): tensor '\(tensor)' is not part of the \(architecture) graph Trove runs"
        case let .tensorShape(file, tensor, expected, found):
            return "\(file): tensor '\(tensor)' has shape \(found), expected \(expected)"
        case let .unsupportedTensorType(file, tensor, type, supported):
            return "\(file): tensor '\(tensor)' has type \(type), which the decoder cannot multiply (supported: \(supported))"
        case let .tokenOutOfRange(token, vocabularySize):
            return "token id \(token) is outside the vocabulary (0..<\(vocabularySize))"
        case let .contextFull(needed, capacity):
            return "the context needs \(needed) tokens but the KV cache holds \(capacity)"
        }
    }
}
