import Foundation
import Testing
import TroveTestSupport
@testable import Trove

/// An index built with `--encoder-precision int8` records it; later searches and ingests use it
/// without being told, and asking for another precision is refused instead of mixing vectors.
struct EncoderPrecisionFollowsTheIndexTests {
    static let text = "The lighthouse keeper wrote the weather into the log every night at nine."

    func folderWithOneFile() throws -> TemporaryFolder {
        let folder = try TemporaryFolder("trove-precision")
        let documents = folder.url.appendingPathComponent("docs")
        try FileManager.default.createDirectory(at: documents, withIntermediateDirectories: true)
        try Self.text.write(to: documents.appendingPathComponent("log.txt"), atomically: true, encoding: .utf8)
        return folder
    }

    func models(_ precision: EncoderPrecision?) -> ModelLocation {
        var models = ModelLocation(folder: Fixtures.modelsFolder)
        models.encoderPrecision = precision
        return models
    }

    @Test("an int8 index is searched in int8 without being told; fp32 asked for is refused")
    func int8IndexIsSearchedInInt8() throws {
        let folder = try folderWithOneFile()
        let file = folder.url.appendingPathComponent("index.sqlite")
        _ = try TroveIndex(indexFile: file, models: models(.int8)).ingest([folder.url.appendingPathComponent("docs")])

        let plain = TroveIndex(indexFile: file, models: models(nil))
        #expect(try plain.encoderPrecision() == .int8)
        #expect(try plain.stats().encoderPrecision == "int8")
        let best = try #require(try plain.search(Self.text, k: 1, mode: .dense).first)
        #expect((best.cosine ?? 0) > 0.9999, "the same text embedded the same way: cosine \(String(describing: best.cosine))")

        let error = try #require(throws: TroveError.self) {
            _ = try TroveIndex(indexFile: file, models: models(.fp32)).search(Self.text, k: 1)
        }
        #expect("\(error)".contains("int8") && "\(error)".contains("--encoder-precision fp32") && "\(error)".contains(file.path))
        let ingestError = try #require(throws: TroveError.self) {
            _ = try TroveIndex(indexFile: file, models: models(.fp32)).ingest([folder.url.appendingPathComponent("docs")])
        }
        #expect("\(ingestError)".contains("int8"))
    }

    @Test("without the option an index is fp32, recorded as such")
    func defaultIsFP32() throws {
        let folder = try folderWithOneFile()
        let file = folder.url.appendingPathComponent("index.sqlite")
        let trove = TroveIndex(indexFile: file, models: models(nil))
        _ = try trove.ingest([folder.url.appendingPathComponent("docs")])
        #expect(try trove.encoderPrecision() == .fp32)
        #expect(try trove.stats().encoderPrecision == "fp32")
        #expect(throws: TroveError.self) { _ = try TroveIndex(indexFile: file, models: models(.int8)).search(Self.text, k: 1) }
    }
}
