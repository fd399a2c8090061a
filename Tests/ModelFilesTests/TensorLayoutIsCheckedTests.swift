import Foundation
import Testing
import TroveTestSupport
import ModelFiles

/// Each tensor's bytes, computed from its type and shape, must fill exactly the space between its
/// offset and the next tensor's (give or take alignment padding in GGUF): a changed type, shape or
/// offset would otherwise read another tensor's bytes without a word.
struct TensorLayoutIsCheckedTests {
    static func q8Block() -> [UInt8] { [UInt8](repeating: 1, count: 34) }

    /// Three tensors, `a` first; `a` is described by `first` (the bytes stay those of a Q4_1 block).
    static func gguf(first: GGUFWriter.Tensor) -> GGUFWriter {
        GGUFWriter(metadata: [("general.architecture", .string("llama"))], tensors: [
            first,
            .init(name: "b", dimensions: [32], typeID: 8, bytes: q8Block()),
            .f32("c", [32], [Float](repeating: 1, count: 32)),
        ])
    }

    func openGGUF(_ writer: GGUFWriter) throws -> GGUFFile {
        let folder = try TemporaryFolder("gguf-layout")
        return try GGUFFile(url: try writer.write(to: folder))
    }

    func refusal(_ writer: GGUFWriter) throws -> String {
        let folder = try TemporaryFolder("gguf-layout")
        let url = try writer.write(to: folder)
        let error = try #require(throws: ModelFileError.self) { _ = try GGUFFile(url: url) }
        #expect(error.description.hasPrefix(url.path))
        return error.description
    }

    @Test("a well-formed GGUF (a Q4_1 block, a Q8_0 block, an F32 vector of 32) opens")
    func validOpens() throws {
        let gguf = try openGGUF(Self.gguf(first: .init(name: "a", dimensions: [32], typeID: 3, bytes: [UInt8](repeating: 2, count: 20))))
        #expect(gguf.tensorInfos.map(\.byteCount) == [20, 34, 128])
    }

    @Test("a GGUF tensor whose type was changed from Q4_1 to F32 is refused, naming it and the tensor it runs into")
    func typeChangedToLarger() throws {
        let message = try refusal(Self.gguf(first: .init(name: "a", dimensions: [32], typeID: 0, bytes: [UInt8](repeating: 2, count: 20))))
        #expect(message.contains("tensor 'a' (F32 [32], 128 bytes at data offset 0) overlaps tensor 'b'"), "\(message)")
    }

    @Test("a GGUF tensor whose type was changed to a smaller one leaves a gap, refused naming the tensors")
    func typeChangedToSmaller() throws {
        // 32 F32 values (128 bytes) declared Q4_1 (20 bytes): 96 bytes unused before 'b'.
        let writer = Self.gguf(first: .init(name: "a", dimensions: [32], typeID: 3, bytes: [UInt8](repeating: 2, count: 128)))
        let message = try refusal(writer)
        #expect(message.contains("96 unused bytes after tensor 'a' (Q4_1 [32], 20 bytes at data offset 0), before tensor 'b'"), "\(message)")
    }

    @Test("K-quant tensors: whole 256-weight blocks open; a row of 576 (not whole blocks) or a short tensor is refused")
    func kQuantSizes() throws {
        let q4k = try openGGUF(Self.gguf(first: .init(name: "a", dimensions: [512], typeID: 12, bytes: [UInt8](repeating: 0, count: 288))))
        #expect(q4k.tensorInfos.first?.byteCount == 288 && q4k.tensorInfos.first?.type.name == "Q4_K")
        #expect(try refusal(Self.gguf(first: .init(name: "a", dimensions: [576], typeID: 12, bytes: [UInt8](repeating: 0, count: 288)))).contains("whole blocks"))
        // A Q6_K tensor of 512 values needs 420 bytes; given 210 it runs into 'b' and past the file's end.
        let short = try refusal(Self.gguf(first: .init(name: "a", dimensions: [512], typeID: 14, bytes: [UInt8](repeating: 0, count: 210))))
        #expect(short.contains("data of tensor 'a' needs bytes 192..<612"), "\(short)")
    }

    @Test("a GGUF tensor whose offset points into another's data is refused")
    func offsetIntoAnother() throws {
        var writer = Self.gguf(first: .init(name: "a", dimensions: [32], typeID: 3, bytes: [UInt8](repeating: 2, count: 20)))
        writer.tensors[2].offsetOverride = 32   // 'c' placed on top of 'b'
        let message = try refusal(writer)
        #expect(message.contains("overlaps") && message.contains("'b'") && message.contains("'c'"), "\(message)")
    }

    @Test("a GGUF with bytes left after its last tensor (beyond the padding) is refused")
    func trailingBytes() throws {
        let folder = try TemporaryFolder("gguf-layout")
        let writer = Self.gguf(first: .init(name: "a", dimensions: [32], typeID: 3, bytes: [UInt8](repeating: 2, count: 20)))
        let url = try folder.write("long.gguf", Data(writer.bytes() + [UInt8](repeating: 0, count: 64)))
        let error = try #require(throws: ModelFileError.self) { _ = try GGUFFile(url: url) }
        #expect(error.description.contains("tensor 'c'") && error.description.contains("is the last tensor"), "\(error)")
    }

    // MARK: safetensors

    static func safetensors(_ header: String, dataBytes: Int) -> Data {
        var bytes = Data()
        var length = UInt64(header.utf8.count).littleEndian
        withUnsafeBytes(of: &length) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: Array(header.utf8))
        bytes.append(contentsOf: [UInt8](repeating: 0, count: dataBytes))
        return bytes
    }

    @Test("safetensors layouts that do not tile the data section are refused naming the tensors", arguments: [
        (#"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[4],"data_offsets":[8,24]}}"#, 24,
         "tensor 'b' (data_offsets [8, 24]) overlaps tensor 'a' (data_offsets [0, 16])"),
        (#"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#, 16,
         "overlaps tensor 'a'"),
        (#"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[2],"data_offsets":[24,32]}}"#, 32,
         "8 unused bytes after tensor 'a' (data_offsets [0, 16]), before tensor 'b'"),
        (#"{"a":{"dtype":"F32","shape":[4],"data_offsets":[8,24]}}"#, 24, "8 unused bytes at the start of the data section"),
        (#"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#, 20, "4 unused bytes at the end of the data section after tensor 'a'"),
    ])
    func safetensorsLayout(header: String, dataBytes: Int, mentions: String) throws {
        let folder = try TemporaryFolder("safetensors-layout")
        let url = try folder.write("model.safetensors", Self.safetensors(header, dataBytes: dataBytes))
        let error = try #require(throws: ModelFileError.self) { _ = try SafetensorsFile(url: url) }
        #expect(error.description.hasPrefix(url.path))
        #expect(error.description.contains(mentions), "\(error)")
    }

    @Test("a safetensors file whose tensors tile the data section opens, in any header order")
    func safetensorsTiled() throws {
        let folder = try TemporaryFolder("safetensors-layout")
        let header = #"{"b":{"dtype":"F16","shape":[2],"data_offsets":[16,20]},"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"e":{"dtype":"F32","shape":[0],"data_offsets":[20,20]}}"#
        let url = try folder.write("model.safetensors", Self.safetensors(header, dataBytes: 20))
        #expect(try SafetensorsFile(url: url).tensors.count == 3)
    }
}
