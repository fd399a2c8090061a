// Times Trove's encoder on the benchmark workload (one JSON string per line, from
// ../shared/bench/workload.py) and prints one JSON line: word pieces per second, median of runs.
//
//     EncoderBench --model DIR --chunks FILE [--threads N] [--repeat N] [--limit N] [--precision fp32|int8|bf16] [--skip-model-only]
//                  [--kernels avx2]
//
// --kernels avx2 makes the encoder take its AVX2 paths (OpenBLAS sgemm, sgemm attention, 8-lane
// GELU) on an AVX-512 CPU: with OPENBLAS_CORETYPE=Haswell, how an AVX2-only CPU would run.
//
// Word pieces are the ids fed to the model ([CLS]/[SEP] included, after truncation to 256),
// the same count compare.py uses for the other tools. Tokenisation is timed with the model.
import BertEncoder
import Foundation
import Tensors

struct Options {
    var model = ""
    var chunks = ""
    var threads = 2
    var repeats = 3
    var limit = Int.max
    var precision = EncoderPrecision.fp32
    var modelOnly = true
    var avx2Only = false

    init(_ arguments: [String]) throws {
        var i = 1
        func value() throws -> String {
            i += 1
            guard i < arguments.count else { throw BenchError("\(arguments[i - 1]) needs a value") }
            return arguments[i]
        }
        while i < arguments.count {
            switch arguments[i] {
            case "--model": model = try value()
            case "--chunks": chunks = try value()
            case "--threads": threads = Int(try value()) ?? 2
            case "--repeat": repeats = Int(try value()) ?? 3
            case "--limit": limit = Int(try value()) ?? .max
            case "--skip-model-only": modelOnly = false
            case "--kernels":
                let name = try value()
                guard name == "avx2" || name == "default" else { throw BenchError("--kernels: avx2 or default, got \(name)") }
                avx2Only = name == "avx2"
            case "--precision":
                let name = try value()
                guard let p = EncoderPrecision(rawValue: name) else { throw BenchError("--precision: fp32, int8 or bf16, got \(name)") }
                precision = p
            default: throw BenchError("unknown argument \(arguments[i])")
            }
            i += 1
        }
        guard !model.isEmpty, !chunks.isEmpty else { throw BenchError("usage: EncoderBench --model DIR --chunks FILE [--threads N] [--repeat N] [--limit N] [--precision fp32|int8|bf16] [--skip-model-only] [--kernels avx2]") }
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

func readChunks(_ path: String, limit: Int) throws -> [String] {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    return try text.split(separator: "\n").prefix(limit).map { line in
        guard let chunk = try JSONSerialization.jsonObject(with: Data(line.utf8), options: [.fragmentsAllowed]) as? String else {
            throw BenchError("\(path): a line is not a JSON string")
        }
        return chunk
    }
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

/// CPU seconds used by the whole process (all threads): on a shared machine, throughput per
/// CPU-second says how efficient the code is even when wall-clock time is inflated by others.
func processCPUTime() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

do {
    let options = try Options(CommandLine.arguments)
    Threads.configure(count: options.threads)
    if options.avx2Only { F32Kernels.disableAVX512() }
    let chunks = try readChunks(options.chunks, limit: options.limit)
    let loadStart = now()
    let embedder = try TextEmbedder(modelFolder: URL(fileURLWithPath: options.model), precision: options.precision)
    let loadSeconds = now() - loadStart
    let pieces = chunks.reduce(0) { $0 + embedder.tokenize($1).count }

    let tokenizeStart = now()
    let tokenized = chunks.map(embedder.tokenize)
    let tokenizeSeconds = now() - tokenizeStart

    _ = try embedder.embed(Array(chunks.prefix(16)))            // warm-up: page in weights, start threads
    var seconds: [Double] = [], cpuSeconds: [Double] = []
    for _ in 0..<options.repeats {
        let start = now(), cpuStart = processCPUTime()
        let vectors = try embedder.embed(chunks)
        seconds.append(now() - start)
        cpuSeconds.append(processCPUTime() - cpuStart)
        precondition(vectors.count == chunks.count)
    }
    let modelStart = now()
    if options.modelOnly { _ = try embedder.embed(tokenized: tokenized) }
    let modelSeconds = options.modelOnly ? now() - modelStart : 0

    let m = median(seconds)
    let report: [String: Any] = [
        "tool": "trove", "threads": options.threads, "chunks": chunks.count, "wordpieces": pieces,
        "seconds": seconds, "median_seconds": m, "cpu_seconds": cpuSeconds,
        "wordpieces_per_cpu_second": Double(pieces) / median(cpuSeconds), "wordpieces_per_second": Double(pieces) / m,
        "load_seconds": loadSeconds, "tokenize_seconds_1thread": tokenizeSeconds, "model_only_seconds": modelSeconds,
        "openblas_coretype": ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] ?? "",
        "openblas_core": openBLASCoreName, "precision": options.precision.rawValue,
        "kernels": options.precision.kernelDescription,
    ]
    let json = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
    print(String(decoding: json, as: UTF8.self))
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
