// trove-fuzz TARGET [libFuzzer options] [corpus folders…]: one fuzz target (Fuzz/Targets) run by
// libFuzzer. Built only by Benchmarks/fuzz/run.sh (TROVE_FUZZ=1, AddressSanitizer, coverage), which
// links libFuzzer's driver without its `main` (libclang_rt.fuzzer_no_main): this `main` picks the
// target and hands the remaining arguments to `LLVMFuzzerRunDriver`, so one binary serves all targets.
import Foundation
import FuzzTargets

/// libFuzzer's entry point for programs with their own `main` (compiler-rt FuzzerInterface.h).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                         _ testOneInput: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

let arguments = CommandLine.arguments
guard arguments.count >= 2, let target = FuzzTarget.named(arguments[1]) else {
    let names = FuzzTarget.all.map { "  \($0.name.padding(toLength: 16, withPad: " ", startingAt: 0)) \($0.summary)" }
    FileHandle.standardError.write(Data("usage: trove-fuzz TARGET [libFuzzer options] [corpus folders]\ntargets:\n\(names.joined(separator: "\n"))\n".utf8))
    exit(2)
}

/// The target libFuzzer's callback runs (a C function pointer cannot capture it).
nonisolated(unsafe) var selected = target

// libFuzzer sees the program name and everything after the target's name.
var cArguments: [UnsafeMutablePointer<CChar>?] = ([arguments[0]] + arguments.dropFirst(2)).map { strdup($0) } + [nil]
var argc = Int32(cArguments.count - 1)
let status = cArguments.withUnsafeMutableBufferPointer { buffer -> Int32 in
    var argv = buffer.baseAddress!
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in
        let input = data.map { Data(bytes: $0, count: size) } ?? Data()
        do {
            try selected.run(input)
        } catch {
            FileHandle.standardError.write(Data("trove-fuzz: cannot run target \(selected.name): \(error)\n".utf8))
            exit(3)
        }
        return 0
    }
}
exit(status)
