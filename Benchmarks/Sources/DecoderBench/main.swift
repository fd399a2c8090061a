// DecoderBench: times Trove's llama decoder on a GGUF file, the workloads of llama-bench.
//
//   load   opening the GGUF and checking every tensor (median of --repeat)
//   pp512  one 512-token prompt processed as a batch (fresh KV cache), tokens/s
//   tg128  128 tokens decoded one at a time from an empty context, tokens/s
//   ttft   time to first token for a 37-token chat prompt (prefill + first argmax)
//
// on each thread count of --threads, medians of --repeat runs, then peak RSS (getrusage).
// Prints one JSON object per line (compare.py reads them).
//
//   swift run -c release DecoderBench [--model PATH] [--threads 1,2] [--repeat 3] [--pp 512] [--tg 128]
import Foundation
import LlamaDecoder
import Tensors

func option(_ name: String, _ fallback: String) -> String {
    let args = CommandLine.arguments
    if let i = args.firstIndex(of: name), i + 1 < args.count { return args[i + 1] }
    return fallback
}

let modelPath = option("--model", NSString(string: "~/.cache/trove/models/SmolLM2-135M-Instruct/SmolLM2-135M-Instruct.Q4_1.gguf").expandingTildeInPath)
let threadCounts = option("--threads", "1,2").split(separator: ",").compactMap { Int($0) }
let repeats = Int(option("--repeat", "3")) ?? 3
let promptLength = Int(option("--pp", "512")) ?? 512
let generateLength = Int(option("--tg", "128")) ?? 128

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
/// CPU seconds of the whole process (all threads): on a shared machine wall time includes
/// waiting for a core, so both are printed.
func cpuNow() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
}
func median(_ xs: [Double]) -> Double { let s = xs.sorted(); return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2 }
func argmax(_ logits: UnsafeMutableBufferPointer<Float>) -> Int32 {
    var best = 0
    for i in 1 ..< logits.count where logits[i] > logits[best] { best = i }
    return Int32(best)
}
func emit(_ fields: [String: Any]) {
    let data = try! JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}

let url = URL(fileURLWithPath: modelPath)
var loadTimes: [Double] = []
var model: LlamaModel! = nil
for _ in 0 ..< max(1, repeats) {
    let start = now()
    model = try LlamaModel(contentsOf: url)
    loadTimes.append(now() - start)
}
emit(["engine": "trove", "test": "load", "seconds": median(loadTimes)])

// A fixed pseudo-random prompt (llama-bench also uses arbitrary tokens), avoiding special ids.
var state: UInt64 = 42
let prompt: [Int32] = (0 ..< promptLength).map { _ in
    state = state &* 6364136223846793005 &+ 1442695040888963407
    return Int32(100 + Int((state >> 33) % UInt64(model.config.vocabularySize - 100)))
}
let chatPrompt: [Int32] = [1, 9690, 198, 2683, 359, 253, 5356, 5646, 11173, 3365, 3511, 308, 34519, 28, 7018, 411, 407, 19712,
                           8182, 2, 198, 1, 4093, 198, 1780, 314, 260, 3575, 282, 4649, 47, 2, 198, 1, 520, 9531, 198]

for threads in threadCounts {
    Threads.configure(count: threads)
    let cache = model.makeCache(capacity: promptLength + generateLength + 64)
    // Warm-up: page the weights in and start the workers.
    _ = try model.forward(tokens: Array(prompt.prefix(16)), cache: cache)

    var pp: [Double] = [], tg: [Double] = [], ttft: [Double] = [], ppCPU: [Double] = [], tgCPU: [Double] = []
    for _ in 0 ..< max(1, repeats) {
        cache.reset()
        var start = now(), cpu = cpuNow()
        _ = try model.forward(tokens: prompt, cache: cache)
        pp.append(Double(promptLength) / (now() - start))
        ppCPU.append(cpuNow() - cpu)

        cache.reset()
        var token: Int32 = 1
        start = now(); cpu = cpuNow()
        for _ in 0 ..< generateLength { token = argmax(try model.forward(tokens: [token], cache: cache)) }
        tg.append(Double(generateLength) / (now() - start))
        tgCPU.append(cpuNow() - cpu)

        cache.reset()
        start = now()
        _ = argmax(try model.forward(tokens: chatPrompt, cache: cache))
        ttft.append(now() - start)
    }
    emit(["engine": "trove", "test": "pp\(promptLength)", "threads": threads, "tokens_per_second": median(pp), "cpu_seconds": median(ppCPU)])
    emit(["engine": "trove", "test": "tg\(generateLength)", "threads": threads, "tokens_per_second": median(tg), "cpu_seconds": median(tgCPU)])
    emit(["engine": "trove", "test": "ttft", "threads": threads, "seconds": median(ttft)])
}

var usage = rusage()
getrusage(RUSAGE_SELF.rawValue, &usage)
emit(["engine": "trove", "test": "peak_rss", "megabytes": Double(usage.ru_maxrss) / 1024])
