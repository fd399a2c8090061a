import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How many threads numeric work may use, fixed once per process.
///
/// The count is decided the first time it is read: ``configure(count:)`` if the program called
/// it, else `TROVE_THREADS`, else the cores this process may run on (its CPU affinity mask,
/// capped by a cgroup CPU quota, as a container sets it). Hot loops read ``count`` on every call,
/// so it must cost no more than a load: the environment and the system are asked once, never
/// per layer or per token (a large environment made every decode step slower).
public enum Threads {
    nonisolated(unsafe) private static var configured: Int? = nil

    /// What the process was given at start-up (environment, affinity, quota), read once.
    public static let detected: (count: Int, source: String) = detect()

    /// The thread count in force.
    @inline(__always)
    public static var count: Int { configured ?? detected.count }

    /// Where ``count`` comes from: "configured", "TROVE_THREADS", "affinity" or "cgroup quota".
    public static var source: String { configured == nil ? detected.source : "configured" }

    /// Fixes the thread count for this process (hand-written kernels and OpenBLAS).
    public static func configure(count: Int) {
        configured = max(1, count)
        SingleThreadedBLASScope.threadCountChanged()
    }

    private static func detect() -> (count: Int, source: String) {
        if let text = getenv("TROVE_THREADS").map({ String(cString: $0) }), let n = Int(text), n > 0 {
            return (n, "TROVE_THREADS")
        }
        let cores = affinityCount() ?? max(1, ProcessInfo.processInfo.activeProcessorCount)
        if let quota = cgroupQuota(), quota < cores { return (quota, "cgroup quota") }
        return (cores, "affinity")
    }

    /// CPUs in this process's affinity mask (`taskset`, `docker --cpuset-cpus`): the bits of
    /// `Cpus_allowed` in /proc/self/status (Swift's Glibc does not export `sched_getaffinity`).
    static func affinityCount(status file: String = "/proc/self/status") -> Int? {
        // A probe of the system, not user data: without the file, the processor count stands.
        guard let status = try? String(contentsOfFile: file, encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed:") }) else { return nil }
        let count = line.dropFirst("Cpus_allowed:".count).reduce(0) { total, character in
            total + (character.hexDigitValue?.nonzeroBitCount ?? 0)
        }
        return count > 0 ? count : nil
    }

    /// CPUs a cgroup v2 quota allows (`cpu.max` "quota period", rounded up), nil without a quota.
    static func cgroupQuota(_ file: String = "/sys/fs/cgroup/cpu.max") -> Int? {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard fields.count >= 2, let quota = Double(fields[0]), let period = Double(fields[1]), period > 0 else { return nil }
        return max(1, Int((quota / period).rounded(.up)))
    }
}
