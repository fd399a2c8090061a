import Foundation

/// OpenBLAS reads `OPENBLAS_CORETYPE` once, when the library is loaded, before `main` runs.
/// Debian's build does not pick its AVX-512 (SkylakeX) kernels on AMD Zen 4/5, although they
/// double sgemm throughput there; so on a CPU with AVX-512 the tool re-executes itself once with
/// the variable set. A value the user set is respected; `TROVE_NO_REEXEC=1` turns this off.
enum OpenBLASCoreType {
    static func reexecWithAVX512KernelsIfUseful() {
        let environment = ProcessInfo.processInfo.environment
        guard environment["OPENBLAS_CORETYPE"] == nil, environment["TROVE_NO_REEXEC"] == nil,
              cpuHasAVX512() else { return }
        setenv("OPENBLAS_CORETYPE", "SkylakeX", 1)
        setenv("TROVE_NO_REEXEC", "1", 1)
        // The raw argv, not CommandLine.arguments: those replace bytes that are not UTF-8 (a
        // file name in Latin-1) with U+FFFD, and the re-executed tool could not find the file.
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        // execv only returns on failure: carry on with the default kernels.
        unsetenv("OPENBLAS_CORETYPE")
    }

    /// True when /proc/cpuinfo lists the AVX-512 foundation, byte/word and vector-length extensions.
    static func cpuHasAVX512() -> Bool {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let flags = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return false }
        let set = Set(flags.split(separator: " "))
        return set.contains("avx512f") && set.contains("avx512bw") && set.contains("avx512vl")
    }
}
