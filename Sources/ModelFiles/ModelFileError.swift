/// Why a model file (safetensors or GGUF) was refused. Every case names the file; most name the
/// item (key, tensor) and what was expected against what was found.
public enum ModelFileError: Error, CustomStringConvertible, Equatable {
    case unreadable(file: String, reason: String)
    case badMagic(file: String, expected: String, found: String)
    case unsupportedVersion(file: String, found: Int, supported: String)
    case corruptHeader(file: String, reason: String)
    case outOfBounds(file: String, item: String, offset: Int, length: Int, fileSize: Int)
    case missingKey(file: String, key: String)
    case wrongValueType(file: String, key: String, expected: String, found: String)
    case missingTensor(file: String, tensor: String)
    case unsupportedTensorType(file: String, tensor: String, type: String)
    case tensorShape(file: String, tensor: String, expected: [Int], found: [Int])
    case unsupportedArchitecture(file: String, found: String, supported: String)

    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "\(file): cannot read: \(reason)"
        case let .badMagic(file, expected, found):
            return "\(file): not a \(expected) file (starts with \(found))"
        case let .unsupportedVersion(file, found, supported):
            return "\(file): format version \(found) is not supported (supported: \(supported))"
        case let .corruptHeader(file, reason):
            return "\(file): corrupt header: \(reason)"
        case let .outOfBounds(file, item, offset, length, fileSize):
            return "\(file): \(item) needs bytes \(offset)..<\(offset + length) but the file has \(fileSize) bytes (truncated or corrupt)"
        case let .missingKey(file, key):
            return "\(file): metadata key '\(key)' is missing"
        case let .wrongValueType(file, key, expected, found):
            return "\(file): metadata key '\(key)' is \(found), expected \(expected)"
        case let .missingTensor(file, tensor):
            return "\(file): tensor '\(tensor)' is missing"
        case let .unsupportedTensorType(file, tensor, type):
            return "\(file): tensor '\(tensor)' has type \(type), which is not supported"
        case let .tensorShape(file, tensor, expected, found):
            return "\(file): tensor '\(tensor)' has shape \(found), expected \(expected)"
        case let .unsupportedArchitecture(file, found, supported):
            return "\(file): architecture '\(found)' is not supported (supported: \(supported))"
        }
    }
}
