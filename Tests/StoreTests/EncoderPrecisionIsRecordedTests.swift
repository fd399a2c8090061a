import Foundation
import Testing
@testable import Store
import GRDB

/// `--encoder-precision`: the precision of an index's vectors is recorded with its encoder
/// (`metadata.encoder_precision`), an index without the key reads as fp32, and another precision
/// is refused naming the file, the stored and the given precision.
@Suite("Encoder precision")
struct EncoderPrecisionIsRecordedTests {
    @Test("the first encoder's precision is recorded and read back", arguments: IndexKind.allCases, ["fp32", "int8", "bf16"])
    func recorded(kind: IndexKind, precision: String) throws {
        let index = try TestIndex(kind, dimension: nil)
        try index.database.ensureEncoder(identity: "all-MiniLM-L6-v2/abc@\(precision)", dimension: 384, precision: precision)
        #expect(try index.database.recordedEncoderPrecision() == precision)
        #expect(try index.database.metadata()["encoder_precision"] == precision)
        try index.database.ensureEncoder(identity: "all-MiniLM-L6-v2/abc@\(precision)", dimension: 384, precision: precision)
    }

    @Test("an index without the key (built before precisions) is fp32 and accepts fp32 only", arguments: IndexKind.allCases)
    func oldIndexIsFP32(kind: IndexKind) throws {
        let index = try TestIndex(kind, identity: "all-MiniLM-L6-v2/abc", dimension: 384)
        try index.database.write { db in try db.execute(sql: "DELETE FROM metadata WHERE key = 'encoder_precision'") }
        #expect(try index.database.recordedEncoderPrecision() == "fp32")
        try index.database.ensureEncoder(identity: "all-MiniLM-L6-v2/abc", dimension: 384)
        #expect(throws: StoreError.encoderPrecisionMismatch(file: index.database.location, stored: "fp32", given: "int8")) {
            try index.database.ensureEncoder(identity: "all-MiniLM-L6-v2/abc@int8", dimension: 384, precision: "int8")
        }
    }

    @Test("another precision is refused naming the file, stored and given", arguments: IndexKind.allCases)
    func otherPrecisionRefused(kind: IndexKind) throws {
        let index = try TestIndex(kind, dimension: nil)
        try index.database.ensureEncoder(identity: "m/abc@int8", dimension: 384, precision: "int8")
        let expected = StoreError.encoderPrecisionMismatch(file: index.database.location, stored: "int8", given: "fp32")
        #expect(throws: expected) { try index.database.ensureEncoder(identity: "m/abc", dimension: 384) }
        #expect(expected.description.contains(index.database.location) && expected.description.contains("int8")
            && expected.description.contains("fp32") && expected.description.contains("encoder_precision"))
        #expect(try index.database.recordedEncoderPrecision() == "int8")
    }
}
