import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// File names that are not valid UTF-8 (a Linux name is any bytes but "/" and NUL), kept
/// reversibly in Trove's `String` paths.
///
/// A name read from a folder is decoded as UTF-8; each byte that is not part of a valid sequence
/// becomes the four characters `\xNN` (two upper-case hex digits, 80–FF), so `caf<E9>.txt` (Latin-1)
/// is stored and shown as `caf\xE9.txt`. Before a system call the escapes are turned back into
/// their bytes (``withFileSystemPath(_:_:)``). Without this, `String(cString:)` replaced the byte
/// with U+FFFD, and the file could then never be opened ("No such file or directory").
///
/// A real name that holds a backslash, `x` and two hex digits of 80–FF would be read as an escape:
/// ``exists(_:)`` and the system calls try the path as written first, so such a name still works
/// unless a file with the escaped bytes sits beside it.
public enum FileName {
    /// `bytes` (no NUL) as a path component or path, invalid UTF-8 bytes escaped as `\xNN`.
    public static func decode<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let array = Array(bytes)
        if let valid = String(validating: array, as: UTF8.self) { return valid }
        var result = ""
        var index = 0
        while index < array.count {
            let length = validSequenceLength(array, at: index)
            if length > 0 {
                result += String(decoding: array[index ..< index + length], as: UTF8.self)
                index += length
            } else {
                result += "\\x" + String(array[index], radix: 16, uppercase: true)
                index += 1
            }
        }
        return result
    }

    /// The bytes a path stands for: `\xNN` escapes (NN in 80–FF) turned back into bytes.
    public static func bytes(_ path: String) -> [UInt8] {
        let utf8 = Array(path.utf8)
        guard path.contains("\\x") else { return utf8 }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count)
        var i = 0
        while i < utf8.count {
            if utf8[i] == UInt8(ascii: "\\"), i + 3 < utf8.count, utf8[i + 1] == UInt8(ascii: "x"),
               let high = hexValue(utf8[i + 2]), let low = hexValue(utf8[i + 3]), high >= 8 {
                out.append(high << 4 | low)
                i += 4
            } else {
                out.append(utf8[i])
                i += 1
            }
        }
        return out
    }

    /// Runs `body` with the NUL-terminated bytes to give the system for `path`: the path as
    /// written if it names a file (or holds no escape), else its escapes turned back into bytes.
    public static func withFileSystemPath<T>(_ path: String, _ body: (UnsafePointer<CChar>) throws -> T) rethrows -> T {
        var raw = bytes(path)
        if raw.count == path.utf8.count || access(path, F_OK) == 0 { return try body(path) }
        raw.append(0)
        return try raw.withUnsafeBufferPointer { buffer in
            try buffer.withMemoryRebound(to: CChar.self) { try body($0.baseAddress!) }
        }
    }

    /// Whether something exists at `path` (links followed), escapes understood.
    public static func exists(_ path: String) -> Bool {
        withFileSystemPath(path) { access($0, F_OK) == 0 }
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0") ... UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "A") ... UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a") ... UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        default: return nil
        }
    }

    /// The length of the valid UTF-8 sequence starting at `i`, or 0 if none does (RFC 3629:
    /// no overlong forms, no surrogates, nothing above U+10FFFF).
    private static func validSequenceLength(_ b: [UInt8], at i: Int) -> Int {
        let lead = b[i]
        if lead < 0x80 { return 1 }
        let (length, low, high): (Int, UInt8, UInt8)
        switch lead {
        case 0xC2 ... 0xDF: (length, low, high) = (2, 0x80, 0xBF)
        case 0xE0: (length, low, high) = (3, 0xA0, 0xBF)
        case 0xE1 ... 0xEC, 0xEE ... 0xEF: (length, low, high) = (3, 0x80, 0xBF)
        case 0xED: (length, low, high) = (3, 0x80, 0x9F)
        case 0xF0: (length, low, high) = (4, 0x90, 0xBF)
        case 0xF1 ... 0xF3: (length, low, high) = (4, 0x80, 0xBF)
        case 0xF4: (length, low, high) = (4, 0x80, 0x8F)
        default: return 0
        }
        guard i + length <= b.count, (low ... high).contains(b[i + 1]) else { return 0 }
        for k in 2 ..< length where !(0x80 ... 0xBF).contains(b[i + k]) { return 0 }
        return length
    }
}
