import Foundation
import Testing
import TroveTestSupport
import ModelFiles

/// Truncated, corrupt and foreign files are refused with an error naming the file and the
/// problem, never a crash and never a huge allocation.
struct GGUFRefusesCorruptFilesTests {
    static let valid = GGUFWriter(metadata: [
        ("general.architecture", .string("llama")),
        ("tokenizer.ggml.tokens", .array(elementType: 8, [.string("a"), .string("b")])),
        ("llama.block_count", .uint32(2)),
    ], tensors: [
        .f32("a", [4], [1, 2, 3, 4]),
        .init(name: "b", dimensions: [32], typeID: 8, bytes: [UInt8](repeating: 1, count: 34)),
    ])

    /// Opens `bytes` written to a file and returns the error, failing if it opened.
    func refusal(_ bytes: [UInt8], _ comment: Comment? = nil) throws -> (ModelFileError, String) {
        let folder = try TemporaryFolder("gguf-corrupt")
        let url = try folder.write("broken.gguf", Data(bytes))
        let error = try #require(throws: ModelFileError.self, comment) { _ = try GGUFFile(url: url) }
        #expect(error.description.hasPrefix(url.path), comment)
        return (error, url.path)
    }

    func refusal(_ writer: GGUFWriter) throws -> (ModelFileError, String) { try refusal(writer.bytes()) }

    @Test("the valid file opens (so the refusals below are about the corruption)")
    func validOpens() throws {
        let folder = try TemporaryFolder("gguf-corrupt")
        let gguf = try GGUFFile(url: try Self.valid.write(to: folder))
        #expect(gguf.tensorInfos.count == 2)
    }

    @Test("every truncation of a valid file is refused")
    func everyTruncation() throws {
        let bytes = Self.valid.bytes()
        for length in 0 ..< bytes.count {
            _ = try refusal(Array(bytes.prefix(length)), "truncated to \(length) of \(bytes.count) bytes")
        }
    }

    @Test("truncated header, string and tensor data name what was being read")
    func truncationMessages() throws {
        let bytes = Self.valid.bytes()
        #expect(try refusal(Array(bytes.prefix(6))).0.description.contains("GGUF version"))
        let cut = try refusal(Array(bytes.prefix(125))).0.description
        #expect(cut.contains("'tokenizer.ggml.tokens'"), "\(cut)")
        #expect(try refusal(Array(bytes.dropLast(3))).0.description.contains("data of tensor 'b'"))
    }

    @Test("a file that is not GGUF is refused for its magic")
    func badMagic() throws {
        var writer = Self.valid
        writer.magic = Array("GGML".utf8)
        let (error, path) = try refusal(writer)
        #expect(error == .badMagic(file: path, expected: "GGUF", found: "\"GGML\""))
        #expect(try refusal(Array("{\"not\": \"gguf\"}".utf8)).0.description.contains("not a GGUF file"))
    }

    @Test("versions other than 2 and 3 are refused", arguments: [1 as UInt32, 4, 0xFFFF_FFFF])
    func badVersion(version: UInt32) throws {
        var writer = Self.valid
        writer.version = version
        let (error, path) = try refusal(writer)
        #expect(error == .unsupportedVersion(file: path, found: Int(version), supported: "2, 3"))
    }

    @Test("a tensor offset past the end of the file is refused naming the tensor")
    func offsetPastEnd() throws {
        var writer = Self.valid
        writer.tensors[1].offsetOverride = 1 << 20
        let (error, _) = try refusal(writer)
        #expect(error.description.contains("'b'"))
        writer.tensors[1].offsetOverride = 33 // misaligned
        #expect(try refusal(writer).0.description.contains("alignment"))
    }

    @Test("an unknown tensor type id is refused naming the tensor and the id")
    func unknownTensorType() throws {
        var writer = Self.valid
        writer.tensors[0].typeID = 99
        let (error, path) = try refusal(writer)
        #expect(error == .corruptHeader(file: path, reason: "tensor 'a' has unknown type id 99"))
    }

    @Test("huge counts and lengths are refused before allocating")
    func hugeCounts() throws {
        var writer = Self.valid
        writer.metadata.append(("big", .rawArrayHeader(elementType: 8, count: UInt64.max / 2)))
        #expect(try refusal(writer).0.description.contains("count"))
        writer = Self.valid
        writer.metadata.append(("big", .rawArrayHeader(elementType: 0, count: 1 << 40)))
        #expect(try refusal(writer).0.description.contains("'big'"))
        writer = Self.valid
        writer.metadata.append(("long", .rawStringHeader(length: 1 << 50)))
        #expect(try refusal(writer).0.description.contains("string length"))
        var bytes = Self.valid.bytes()
        bytes.replaceSubrange(8 ..< 16, with: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]) // tensor count
        #expect(try refusal(bytes).0.description.contains("tensor count"))
        bytes = Self.valid.bytes()
        bytes.replaceSubrange(16 ..< 24, with: [0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0]) // metadata count
        #expect(try refusal(bytes).0.description.contains("metadata entry count"))
    }

    @Test("other corruptions: unknown value type, bad bool, duplicate key, bad rank, partial block")
    func otherCorruptions() throws {
        var writer = Self.valid
        writer.metadata.append(("odd", .raw(typeID: 13, bytes: [0])))
        #expect(try refusal(writer).0.description.contains("unknown value type id 13"))
        writer = Self.valid
        writer.metadata.append(("flag", .raw(typeID: 7, bytes: [2])))
        #expect(try refusal(writer).0.description.contains("bool"))
        writer = Self.valid
        writer.metadata.append(("llama.block_count", .uint32(3)))
        #expect(try refusal(writer).0.description.contains("appears twice"))
        writer = Self.valid
        writer.tensors[0].dimensions = [1, 1, 1, 1, 4]
        #expect(try refusal(writer).0.description.contains("5 dimensions"))
        writer = Self.valid
        writer.tensors[1].dimensions = [31]
        #expect(try refusal(writer).0.description.contains("whole blocks"))
        writer = Self.valid
        writer.metadata.append(("general.alignment", .uint32(24)))
        #expect(try refusal(writer).0.description.contains("power of two"))
    }

    @Test("a known but unsupported tensor type opens, and reading its data names the tensor and type")
    func unsupportedType() throws {
        var writer = Self.valid
        writer.tensors[1] = .init(name: "blk.0.ffn_down.weight", dimensions: [256], typeID: 23, bytes: [UInt8](repeating: 0, count: 136))
        let folder = try TemporaryFolder("gguf-corrupt")
        let url = try writer.write(to: folder)
        let gguf = try GGUFFile(url: url)
        #expect(throws: ModelFileError.unsupportedTensorType(file: url.path, tensor: "blk.0.ffn_down.weight", type: "IQ4_XS")) {
            _ = try gguf.tensorData("blk.0.ffn_down.weight")
        }
    }

    @Test("a missing file and a folder are refused, naming them")
    func unreadable() throws {
        let folder = try TemporaryFolder("gguf-corrupt")
        let missing = folder.url.appendingPathComponent("absent.gguf")
        #expect(try #require(throws: ModelFileError.self) { _ = try GGUFFile(url: missing) }.description.contains(missing.path))
        #expect(throws: ModelFileError.self) { _ = try GGUFFile(url: folder.url) }
    }
}
