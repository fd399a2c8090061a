import Foundation
import Testing
import TroveTestSupport
@testable import Tensors

/// Fixtures/dequantize_reference.json (made by make_dequantize_reference.py beside it): blocks of
/// Q5_0, Q5_1 and Q2_K…Q6_K and their values from gguf-py's `gguf.quants.dequantize`, which
/// mirrors ggml's dequantize_row_*. Trove must reproduce every value bit for bit.
struct DequantizeReference: Decodable {
    struct Case: Decodable, CustomTestStringConvertible {
        let type: String
        let id: UInt32
        let count: Int
        let blocks: String
        let values_f32le: String
        var testDescription: String { type }

        var blockBytes: [UInt8] { [UInt8](Data(base64Encoded: blocks) ?? Data()) }
        var values: [Float] {
            let data = Data(base64Encoded: values_f32le) ?? Data()
            return data.withUnsafeBytes { raw in
                (0 ..< raw.count / 4).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
            }
        }
    }
    let cases: [Case]

    static let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/dequantize_reference.json")
    static let cases: [Case] = (try? JSONDecoder().decode(DequantizeReference.self, from: Data(contentsOf: url)).cases) ?? []
}

@Suite("Dequantisation is bit-identical to gguf-py's", .serialized)
struct DequantizationMatchesGGUFPyTests {
    @Test("the reference covers every new type")
    func fixtureLoads() throws {
        try Fixtures.required(DequantizeReference.url)
        #expect(DequantizeReference.cases.map(\.type) == ["Q5_0", "Q5_1", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K"])
    }

    @Test("the scalar twin and every instruction-set level give gguf-py's float32 values", arguments: DequantizeReference.cases)
    func bitIdentical(_ reference: DequantizeReference.Case) throws {
        let type = try #require(QuantType(rawValue: reference.id))
        let encoding = try #require(type.encoding)
        let blocks = reference.blockBytes, expected = reference.values
        #expect(blocks.count == reference.count / encoding.blockSize * encoding.bytesPerBlock && expected.count == reference.count)
        var scalar = [Float](repeating: .nan, count: reference.count)
        blocks.withUnsafeBytes { raw in
            scalar.withUnsafeMutableBufferPointer { encoding.dequantizeScalar(raw.baseAddress!, into: $0.baseAddress!, count: reference.count) }
        }
        #expect(scalar.map(\.bitPattern) == expected.map(\.bitPattern), "scalar twin")
        ProcessWideSettings.acquire()
        defer { QuantizedKernels.force(level: 6); ProcessWideSettings.release() }
        for level in [0, 2, 5] {
            QuantizedKernels.force(level: level)
            var fast = [Float](repeating: .nan, count: reference.count)
            blocks.withUnsafeBytes { raw in fast.withUnsafeMutableBufferPointer { type.dequantizeRow(raw.baseAddress!, $0.baseAddress!, reference.count) } }
            let mismatches = (0 ..< reference.count).filter { fast[$0].bitPattern != expected[$0].bitPattern }
            #expect(mismatches.isEmpty, "level \(level): \(mismatches.count) values differ, first at \(mismatches.first.map { "\($0): \(fast[$0]) vs \(expected[$0])" } ?? "")")
        }
    }
}
