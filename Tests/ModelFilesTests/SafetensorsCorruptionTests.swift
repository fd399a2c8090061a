import Foundation
import Testing
import TroveTestSupport
@testable import ModelFiles

/// Handcrafted safetensors files, each broken in one way; every one must be refused with a
/// message that names the file and the problem.
@Suite("Safetensors: corrupt files are refused") struct SafetensorsCorruptionTests {
    /// `[u64 header length][header][data]`, with the length overridable to lie.
    static func file(header: String, data: [UInt8] = [], claimedLength: UInt64? = nil) -> Data {
        var bytes = Data()
        var length = (claimedLength ?? UInt64(header.utf8.count)).littleEndian
        withUnsafeBytes(of: &length) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: Array(header.utf8))
        bytes.append(contentsOf: data)
        return bytes
    }

    static let goodHeader = #"{"__metadata__":{"format":"pt"},"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}"#

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let bytes: Data
        let mentions: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "truncated before the header length", bytes: Data([1, 0, 0]), mentions: "8-byte header length"),
        Case(name: "header length past the end", bytes: file(header: goodHeader, data: Array(repeating: 0, count: 16), claimedLength: 4000), mentions: "JSON header"),
        Case(name: "header is not JSON", bytes: file(header: "{not json", data: []), mentions: "not valid JSON"),
        Case(name: "header is a JSON list", bytes: file(header: "[1,2]", data: []), mentions: "not a JSON object"),
        Case(name: "offsets past the data section", bytes: file(header: goodHeader, data: Array(repeating: 0, count: 8)), mentions: "past the data section"),
        Case(name: "size does not match the shape", bytes: file(header: #"{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,16]}}"#, data: Array(repeating: 0, count: 16)), mentions: "needs 3 × 4 bytes"),
        Case(name: "unknown dtype", bytes: file(header: #"{"w":{"dtype":"Q7","shape":[4],"data_offsets":[0,4]}}"#, data: Array(repeating: 0, count: 4)), mentions: "type Q7"),
        Case(name: "negative dimension", bytes: file(header: #"{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, data: Array(repeating: 0, count: 4)), mentions: "negative"),
        Case(name: "offsets out of order", bytes: file(header: #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[8,4]}}"#, data: Array(repeating: 0, count: 8)), mentions: "not ordered"),
    ]

    @Test("a corrupt file is refused naming the file and the problem", arguments: cases)
    func refused(_ item: Case) throws {
        let folder = try TemporaryFolder("safetensors")
        let url = try folder.write("broken.safetensors", item.bytes)
        do {
            _ = try SafetensorsFile(url: url)
            Issue.record("\(item.name): accepted")
        } catch let error as ModelFileError {
            let message = error.description
            #expect(message.contains(url.path), "\(message)")
            #expect(message.contains(item.mentions), "\(message)")
        }
    }

    @Test("a well-formed file reads back its values, F16 and BF16 widened")
    func wellFormedReads() throws {
        let header = #"{"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"h":{"dtype":"F16","shape":[2],"data_offsets":[8,12]},"b":{"dtype":"BF16","shape":[1],"data_offsets":[12,14]}}"#
        var data: [UInt8] = []
        for value in [Float(1.5), -2] { withUnsafeBytes(of: value.bitPattern.littleEndian) { data += $0 } }
        data += [0x00, 0x3C, 0x00, 0xC0]                  // F16 1.0, -2.0
        data += [0x80, 0x3F]                               // BF16 1.0
        let folder = try TemporaryFolder("safetensors")
        let file = try SafetensorsFile(url: folder.write("ok.safetensors", Self.file(header: header, data: data)))
        #expect(file.metadata["format"] == "pt")
        #expect(try file.floats("a", shape: [2]) == [1.5, -2])
        #expect(try file.floats("h", shape: [2]) == [1, -2])
        #expect(try file.floats("b", shape: [1]) == [1])
        #expect(throws: ModelFileError.tensorShape(file: file.path, tensor: "a", expected: [3], found: [2])) {
            try file.floats("a", shape: [3])
        }
        #expect(throws: ModelFileError.missingTensor(file: file.path, tensor: "zzz")) { try file.floats("zzz", shape: [1]) }
    }
}
