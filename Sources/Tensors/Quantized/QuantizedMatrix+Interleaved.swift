#if canImport(Glibc)
import Glibc
#endif
import CKernels

/// A copy of a Q4_K or Q6_K matrix with 16 rows interleaved per group (CKernels
/// `KQuantRepacked.c`), read by the integer products with Q8_K activations on CPUs with AVX-512
/// VNNI: one vector then holds the same four elements of 16 rows, so the kernel does a mask and a
/// `vpdpbusd` per 64 weights where the row-major one shuffles each group's scales into place, and
/// the weights are read as one sequential stream, which the hardware prefetcher follows. Decoding
/// a 1B-class Q4_K_M file goes from compute-bound (~16 GB/s of weights per core) to the memory's
/// speed (~26 GB/s). llama.cpp repacks its Q4_K tensors likewise at load.
///
/// Every row's value is the row-major product's (portable path) bit for bit, and the prefill and
/// the decode step read the same copy, so they agree, on any thread count.
public final class InterleavedRows: @unchecked Sendable {
    /// The first byte of the repacked groups (2 MiB aligned).
    public let base: UnsafeRawPointer
    let byteCount: Int

    /// The copy asks for transparent huge pages (madvise): decoding the 1B-shaped file measured
    /// 27-29 ms of CPU per token from them and 35-38 ms from 4 KiB pages, at the same moment (the
    /// hardware prefetcher and the TLB cross fewer page boundaries). The price is load time when the
    /// kernel must compact memory to find 2 MiB pages: ~1 s usually, up to ~5 s.
    init?(_ m: QuantizedMatrix) {
        let bytes = trove_repacked_q8_K_bytes(Int32(m.type.rawValue), Int32(m.rows), Int32(m.columns))
        guard bytes > 0 else { return nil }
        let hugePage = 2 << 20, rounded = (bytes + hugePage - 1) / hugePage * hugePage
        let storage = UnsafeMutableRawPointer.allocate(byteCount: rounded, alignment: hugePage)
        _ = madvise(storage, rounded, Int32(MADV_HUGEPAGE))
        SpinningWorkers.shared.parallelFor(m.rows / 16, minimumPerThread: 64) { groups in
            _ = trove_repack_q8_K(Int32(m.type.rawValue), m.base, m.rowBytes, Int32(m.columns), storage,
                                  Int32(groups.lowerBound), Int32(groups.upperBound))
        }
        base = UnsafeRawPointer(storage)
        byteCount = bytes
        Self.releaseResidentPages(of: m)
    }

    /// The row-major bytes are read once more only for what the copy does not serve (an embedding
    /// row, a lower kernel level): the kernel may take back their resident pages now, so that the
    /// model's memory is the copy, not the copy and the file (~800 MB less for a 1B Q4_K_M file).
    /// MADV_PAGEOUT drops a mapped file's clean pages (read again from the file if touched) and
    /// never loses data (anonymous memory would be swapped, not zeroed); whole pages inside the
    /// matrix only, and an older kernel's refusal changes nothing.
    static func releaseResidentPages(of m: QuantizedMatrix) {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = (Int(bitPattern: m.base) + page - 1) / page * page
        let end = (Int(bitPattern: m.base) + m.rows * m.rowBytes) / page * page
        guard page > 0, end > start, let first = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(first, end - start, 21)    // MADV_PAGEOUT (Linux 5.4)
    }

    deinit { UnsafeMutableRawPointer(mutating: base).deallocate() }
}

extension QuantizedMatrix {
    /// This matrix with an interleaved copy for the integer products, when this CPU runs them
    /// (AVX-512 VNNI) and the type has them (Q4_K, Q6_K; rows a multiple of 16, columns of 256);
    /// otherwise the matrix as it is. The row-major rows stay in use for everything else
    /// (embedding lookups, float32 activations, a lower kernel level forced by a test).
    public func withInterleavedRows() -> QuantizedMatrix {
        guard interleaved == nil, trove_has_repacked_q8_K_kernels() != 0, let packed = InterleavedRows(self) else { return self }
        var copy = self
        copy.interleaved = packed
        return copy
    }
}
