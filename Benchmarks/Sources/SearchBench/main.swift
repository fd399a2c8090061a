// SearchBench: times FlatL2Index on a raw float32 file and prints JSON for Benchmarks/search/compare.py.
//
//   SearchBench VECTORS QUERIES N DIM [--threads 1,2] [--k 10] [--batch 64] [--repeats 50]
//
// VECTORS is [N', DIM] float32 little-endian (N' ≥ N; the first N rows are used) and QUERIES is
// [Q, DIM]; both are written once by make_data.py and mapped here, not parsed. Row r gets id r.
// For each thread count: single-query latency over `repeats` queries (after 3 warm-up queries),
// and queries/s of one `search(queries:k:)` over the first `batch` queries (best of 3).
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Tensors
import VectorIndex

struct Options {
    var vectors = "", queries = "", n = 0, dimension = 0
    var threads = [1, 2], k = 10, batch = 64, repeats = 50

    init(_ arguments: [String]) {
        var positional: [String] = []
        var i = 1
        while i < arguments.count {
            let a = arguments[i]
            if a.hasPrefix("--"), i + 1 < arguments.count {
                let v = arguments[i + 1]
                switch a {
                case "--threads": threads = v.split(separator: ",").compactMap { Int($0) }
                case "--k": k = Int(v) ?? k
                case "--batch": batch = Int(v) ?? batch
                case "--repeats": repeats = Int(v) ?? repeats
                default: fail("unknown option \(a)")
                }
                i += 2
            } else {
                positional.append(a)
                i += 1
            }
        }
        guard positional.count == 4, let n = Int(positional[2]), let d = Int(positional[3]) else {
            fail("usage: SearchBench VECTORS QUERIES N DIM [--threads 1,2] [--k 10] [--batch 64] [--repeats 50]")
        }
        (vectors, queries, self.n, dimension) = (positional[0], positional[1], n, d)
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("SearchBench: \(message)\n".utf8))
    exit(2)
}

/// Maps `path` read-only and returns its floats (the mapping lives as long as the process).
func mapFloats(_ path: String) -> UnsafeBufferPointer<Float> {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { fail("cannot open \(path)") }
    var info = stat()
    guard fstat(fd, &info) == 0, info.st_size > 0 else { fail("cannot stat \(path)") }
    let size = Int(info.st_size)
    guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else { fail("cannot map \(path)") }
    close(fd)
    return UnsafeBufferPointer(start: base.assumingMemoryBound(to: Float.self), count: size / 4)
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func percentile(_ values: [Double], _ p: Double) -> Double {
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
}

let options = Options(CommandLine.arguments)
let d = options.dimension
let allVectors = mapFloats(options.vectors)
let allQueries = mapFloats(options.queries)
guard allVectors.count >= options.n * d else { fail("\(options.vectors) holds \(allVectors.count / d) rows, asked for \(options.n)") }
let queries = (0 ..< allQueries.count / d).map { Array(allQueries[$0 * d ..< ($0 + 1) * d]) }
guard queries.count >= max(options.repeats, options.batch) + 3 else { fail("need \(max(options.repeats, options.batch) + 3) queries, found \(queries.count)") }

var index = try FlatL2Index(dimension: d)
let buildSeconds = try seconds {
    try index.add(ids: (0 ..< Int64(options.n)).map { $0 },
                  values: UnsafeBufferPointer(rebasing: allVectors[0 ..< options.n * d]))
}

var runs: [[String: Any]] = []
var singleIDs: [[Int64]] = []
for threads in options.threads {
    Threads.configure(count: threads)
    for q in queries.suffix(3) { _ = try index.search(q, k: options.k) }   // warm-up: page in, spin up
    var latencies: [Double] = []
    var ids: [[Int64]] = []
    for q in queries.prefix(options.repeats) {
        var result: [Neighbor] = []
        latencies.append(try seconds { result = try index.search(q, k: options.k) })
        ids.append(result.map(\.id))
    }
    if singleIDs.isEmpty { singleIDs = ids }
    let batch = Array(queries.prefix(options.batch))
    var batchResult: [[Neighbor]] = []
    var batchSeconds: [Double] = []
    for _ in 0..<3 { batchSeconds.append(try seconds { batchResult = try index.search(queries: batch, k: options.k) }) }
    let batchIDs = batchResult.map { $0.map(\.id) }
    runs.append([
        "threads": threads,
        "single_ms_min": latencies.min()! * 1000,
        "single_ms_median": percentile(latencies, 0.5) * 1000,
        "single_ms_p95": percentile(latencies, 0.95) * 1000,
        "batch_queries": batch.count,
        "batch_qps": Double(batch.count) / batchSeconds.min()!,
        "same_ids_as_first_thread_count": ids == singleIDs,
        "batch_same_ids_as_single": Array(batchIDs.prefix(options.repeats)) == Array(ids.prefix(batch.count)),
    ])
}

let report: [String: Any] = [
    "tool": "trove", "n": options.n, "dimension": d, "k": options.k,
    "build_s": buildSeconds, "runs": runs, "ids": singleIDs.map { $0.map { Int($0) } },
]
let json = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
print(String(decoding: json, as: UTF8.self))
