import Foundation
import Testing
import TroveTestSupport

/// `--encoder-precision` through the real binary: recorded by ingest, followed by search without
/// the option, refused when it would mix precisions, and offered only by the commands that embed.
@Suite("trove --encoder-precision", .serialized)
struct EncoderPrecisionOptionTests {
    let folder: TemporaryFolder
    let index: String

    init() throws {
        folder = try TemporaryFolder("trove-cli-precision")
        index = folder.url.appendingPathComponent("index.sqlite").path
        try folder.write("docs/tides.md", "# Tides\n\nThe tide rises twice a day because of the moon's gravity.\n")
        try folder.write("docs/bread.txt", "Sourdough bread rises with wild yeast and lactic acid bacteria kept in a starter.\n")
    }

    @Test("ingest --encoder-precision int8 is recorded, searched in int8, and fp32 is refused")
    func int8Index() throws {
        let docs = folder.url.appendingPathComponent("docs").path
        let ingest = try TroveBinary.run(["ingest", "--index", index, "--encoder-precision", "int8", "--json", docs])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let stats = try TroveBinary.object(try TroveBinary.run(["stats", "--index", index, "--json"]).stdout)
        #expect(stats["encoder_precision"] as? String == "int8")
        #expect((stats["encoder"] as? String ?? "").hasSuffix("@int8"))

        let search = try TroveBinary.run(["search", "--index", index, "--json", "-k", "1", "why does the tide rise"])
        #expect(search.status == 0, "\(search.stderr)")
        #expect(search.stdout.contains("tides.md"))

        let refused = try TroveBinary.run(["ingest", "--index", index, "--encoder-precision", "fp32", docs])
        #expect(refused.status == 1)
        #expect(refused.stderr.hasPrefix("error: ") && refused.stderr.contains("int8") && refused.stderr.contains(index))
    }

    @Test("embed --encoder-precision bf16 and int8 give vectors close to fp32's")
    func embedPrecisions() throws {
        var vectors: [[Double]] = []
        for precision in ["fp32", "int8", "bf16"] {
            let run = try TroveBinary.run(["embed", "--json", "--encoder-precision", precision, "a lighthouse keeper's log"])
            #expect(run.status == 0, "\(run.stderr)")
            vectors.append((try TroveBinary.object(run.stdout)["embedding"] as? [Double]) ?? [])
        }
        for v in vectors.dropFirst() {
            #expect(v.count == 384)
            #expect(zip(v, vectors[0]).reduce(0) { $0 + $1.0 * $1.1 } > 0.995)
        }
    }

    @Test("a precision that does not exist is a usage error")
    func badValue() throws {
        let run = try TroveBinary.run(["embed", "--encoder-precision", "int4", "x"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("int4"))
    }
}
