import Foundation
import Testing
import TroveTestSupport
import ModelFiles

/// A valid file with one key of every value type (nested arrays too) and tensors of every
/// supported type reads back exactly.
struct GGUFReadsMetadataAndTensorsTests {
    static let everyType: [(String, GGUFWriter.Value)] = [
        ("general.architecture", .string("llama")),
        ("t.uint8", .uint8(200)), ("t.int8", .int8(-100)),
        ("t.uint16", .uint16(60000)), ("t.int16", .int16(-30000)),
        ("t.uint32", .uint32(4_000_000_000)), ("t.int32", .int32(-2_000_000_000)),
        ("t.uint64", .uint64(UInt64.max)), ("t.int64", .int64(Int64.min)),
        ("t.float32", .float32(1e-5)), ("t.float64", .float64(-2.5)),
        ("t.bool", .bool(true)), ("t.string", .string("héllo\n<|im_end|>")),
        ("t.empty_string", .string("")),
        ("t.strings", .array(elementType: 8, [.string("a"), .string("Ġb"), .string("")])),
        ("t.int32s", .array(elementType: 5, [.int32(1), .int32(-3)])),
        ("t.empty_array", .array(elementType: 6, [])),
        ("t.nested", .array(elementType: 9, [.array(elementType: 4, [.uint32(1), .uint32(2)]), .array(elementType: 8, [.string("x")])])),
    ]

    func makeFile(alignment: UInt32? = nil) throws -> (TemporaryFolder, URL) {
        var metadata = Self.everyType
        if let alignment { metadata.append(("general.alignment", .uint32(alignment))) }
        let f16One: [UInt8] = [0x00, 0x3C, 0x00, 0xC0] // 1.0, -2.0
        let q8Block: [UInt8] = [0x00, 0x3C] + (0 ..< 32).map { UInt8($0) }
        let writer = GGUFWriter(metadata: metadata, tensors: [
            .f32("norm.weight", [3], [1, 2, 3]),
            .init(name: "half", dimensions: [2], typeID: 1, bytes: f16One),
            .init(name: "q8", dimensions: [32, 1], typeID: 8, bytes: q8Block),
            .init(name: "q41", dimensions: [32], typeID: 3, bytes: [UInt8](repeating: 7, count: 20)),
        ])
        let folder = try TemporaryFolder("gguf")
        return (folder, try writer.write(to: folder))
    }

    @Test("every metadata value type reads back with its type and value, in file order")
    func everyValueType() throws {
        let (folder, url) = try makeFile()
        _ = folder
        let gguf = try GGUFFile(url: url)
        #expect(gguf.version == 3)
        #expect(gguf.metadataKeys == Self.everyType.map(\.0))
        #expect(gguf.metadata["t.uint8"] == .uint8(200))
        #expect(gguf.metadata["t.int8"] == .int8(-100))
        #expect(gguf.metadata["t.uint16"] == .uint16(60000))
        #expect(gguf.metadata["t.int16"] == .int16(-30000))
        #expect(gguf.metadata["t.uint32"] == .uint32(4_000_000_000))
        #expect(gguf.metadata["t.int32"] == .int32(-2_000_000_000))
        #expect(gguf.metadata["t.uint64"] == .uint64(.max))
        #expect(gguf.metadata["t.int64"] == .int64(.min))
        #expect(gguf.metadata["t.float32"] == .float32(1e-5))
        #expect(gguf.metadata["t.float64"] == .float64(-2.5))
        #expect(gguf.metadata["t.bool"] == .bool(true))
        #expect(try gguf.string("t.string") == "héllo\n<|im_end|>")
        #expect(try gguf.string("t.empty_string") == "")
        #expect(try gguf.stringArray("t.strings") == ["a", "Ġb", ""])
        #expect(try gguf.int32Array("t.int32s") == [1, -3])
        #expect(gguf.metadata["t.empty_array"] == .array(elementType: .float32, values: []))
        #expect(gguf.metadata["t.nested"] == .array(elementType: .array, values: [
            .array(elementType: .uint32, values: [.uint32(1), .uint32(2)]),
            .array(elementType: .string, values: [.string("x")]),
        ]))
        #expect(try gguf.architecture == "llama")
        #expect(try gguf.integer("t.int16") == -30000)
        #expect(try gguf.float("t.float32") == 1e-5)
        #expect(try gguf.bool("t.bool"))
    }

    @Test("typed accessors name the key when it is missing or of another type")
    func accessorErrors() throws {
        let (folder, url) = try makeFile()
        _ = folder
        let gguf = try GGUFFile(url: url)
        #expect(throws: ModelFileError.missingKey(file: url.path, key: "llama.block_count")) { try gguf.integer("llama.block_count") }
        #expect(throws: ModelFileError.wrongValueType(file: url.path, key: "t.string", expected: "an integer", found: "string")) { try gguf.integer("t.string") }
        #expect(throws: ModelFileError.wrongValueType(file: url.path, key: "t.int32s", expected: "array of string", found: "array of int32")) { try gguf.stringArray("t.int32s") }
        #expect(throws: ModelFileError.wrongValueType(file: url.path, key: "t.uint64", expected: "float32", found: "uint64")) { try gguf.float("t.uint64") }
        let error = try #require(throws: ModelFileError.self) { try gguf.bool("t.float64") }
        #expect(error.description.contains("t.float64") && error.description.contains(url.path))
    }

    @Test("tensors are found by name with ggml-order dimensions, aligned data and exact bytes", arguments: [nil, 64 as UInt32])
    func tensors(alignment: UInt32?) throws {
        let (folder, url) = try makeFile(alignment: alignment)
        _ = folder
        let gguf = try GGUFFile(url: url)
        #expect(gguf.alignment == Int(alignment ?? 32))
        #expect(gguf.dataOffset % gguf.alignment == 0)
        #expect(gguf.tensorInfos.map(\.name) == ["norm.weight", "half", "q8", "q41"])
        let norm = try gguf.tensorInfo("norm.weight")
        #expect(norm.dimensions == [3] && norm.type == .f32 && norm.byteCount == 12 && norm.offset == 0)
        let data = try gguf.tensorData("norm.weight")
        #expect(Array(data.bindMemory(to: Float.self)) == [1, 2, 3])
        let q8 = try gguf.tensorInfo("q8")
        #expect(q8.dimensions == [32, 1] && q8.type == .q8_0 && q8.byteCount == 34 && q8.offset % gguf.alignment == 0)
        #expect(Array(try gguf.tensorData("q8")) == [0x00, 0x3C] + (0 ..< 32).map { UInt8($0) })
        #expect(try gguf.tensorInfo("q41").byteCount == 20)
        #expect(throws: ModelFileError.missingTensor(file: url.path, tensor: "output.weight")) { try gguf.tensorInfo("output.weight") }
    }

    @Test("the ggml type table has ggml's block layouts")
    func typeTable() {
        #expect(GGUFTensorType.withID(3) == .q4_1)
        #expect(GGUFTensorType.q4_1.blockSize == 32 && GGUFTensorType.q4_1.bytesPerBlock == 20)
        #expect(GGUFTensorType.q4_0.bytesPerBlock == 18 && GGUFTensorType.q8_0.bytesPerBlock == 34)
        #expect(GGUFTensorType.bf16.id == 30 && GGUFTensorType.bf16.bytesPerBlock == 2)
        #expect(GGUFTensorType.withID(12)?.name == "Q4_K" && GGUFTensorType.withID(12)?.isSupported == true)
        #expect(GGUFTensorType.withID(23)?.name == "IQ4_XS" && GGUFTensorType.withID(23)?.isSupported == false)
        let kQuants = [10, 11, 12, 13, 14].compactMap { GGUFTensorType.withID(UInt32($0)) }
        #expect(kQuants.map(\.bytesPerBlock) == [84, 110, 144, 176, 210] && kQuants.allSatisfy { $0.blockSize == 256 && $0.isSupported })
        #expect(GGUFTensorType.withID(6)?.bytesPerBlock == 22 && GGUFTensorType.withID(7)?.bytesPerBlock == 24)
        #expect(GGUFTensorType.withID(99) == nil)
        #expect(GGUFTensorType.q4_1.byteCount(elements: 576 * 1536) == 576 * 1536 / 32 * 20)
        #expect(GGUFTensorType.q4_1.byteCount(elements: 33) == nil)
    }
}
