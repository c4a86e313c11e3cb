// Reading and writing the keyring file: owner-only permissions enforced, atomic replacement,
// changes serialised by a lock on the directory.
import Glibc
import HeraldSupport

/// What identifies one version of the keyring file, so a reload happens only when it changed.
struct FileStamp: Equatable {
    var device: UInt64, inode: UInt64, size: Int64, mtimeSeconds: Int, mtimeNanos: Int, ctimeSeconds: Int, ctimeNanos: Int

    init(_ st: stat) {
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
        size = Int64(st.st_size)
        mtimeSeconds = st.st_mtim.tv_sec
        mtimeNanos = st.st_mtim.tv_nsec
        ctimeSeconds = st.st_ctim.tv_sec
        ctimeNanos = st.st_ctim.tv_nsec
    }

    /// The stamp of the file at `path` now, or nil if it cannot be examined.
    static func of(_ path: String) -> FileStamp? {
        var st = stat()
        return stat(path, &st) == 0 ? FileStamp(st) : nil
    }
}

extension Keyring {
    /// Loads the keyring file. Refuses a file that its group or others may read or write.
    public static func load(path: String) throws -> Keyring { try loadWithStamp(path: path).0 }

    static func loadWithStamp(path: String) throws -> (Keyring, FileStamp) {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT {
                throw KeyringError("keyring file \(path) does not exist: create it with `heraldctl keys init` (HERALD_KEYRING_FILE names it)")
            }
            throw KeyringError("cannot open keyring file \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw KeyringError("cannot examine keyring file \(path): \(String(cString: strerror(errno)))") }
        try checkPermissions(st, path: path)
        guard st.st_size <= 1 << 20 else { throw KeyringError("keyring file \(path) is larger than 1 MB: not a keyring") }
        // Read into locked memory that is wiped when `buffer` goes.
        let buffer = SecretBytes(count: Int(st.st_size), locked: true)
        let got = buffer.initialize { out -> Int in
            var offset = 0
            while offset < out.count {
                let n = read(fd, out.baseAddress! + offset, out.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                offset += n
            }
            return offset
        }
        guard got == buffer.count else { throw KeyringError("cannot read keyring file \(path): it changed while being read") }
        let keyring = try buffer.withUnsafeBytes { try parse($0, path: path) }
        return (keyring, FileStamp(st))
    }

    /// Only its owner may read or write the keyring (mode 0600 or 0400).
    static func checkPermissions(_ st: stat, path: String) throws {
        guard st.st_mode & 0o170000 == 0o100000 else { throw KeyringError("keyring file \(path) is not a regular file") }
        let mode = st.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw KeyringError(
                "keyring file \(path) has mode \(octal(mode)): its group or others may read or write it. "
                    + "Only its owner may: run `chmod 600 \(path)` (and consider every key in it exposed)")
        }
    }

    /// Creates the keyring file with one primary key; refuses to replace an existing file.
    public static func create(path: String) throws -> Keyring {
        try withDirectoryLock(path) {
            guard !FileIO.exists(path) else { throw KeyringError("keyring file \(path) already exists; it was left as it is") }
            let keyring = Keyring.generate()
            try keyring.write(path: path)
            return keyring
        }
    }

    /// Loads, changes and rewrites the keyring file under the directory lock, so two changes at
    /// once cannot lose one. Returns the new keyring and whatever `change` returned beside it.
    public static func update<T>(path: String, _ change: (Keyring) throws -> (Keyring, T)) throws -> (Keyring, T) {
        try withDirectoryLock(path) {
            let (changed, extra) = try change(try load(path: path))
            try changed.write(path: path)
            return (changed, extra)
        }
    }

    /// Writes atomically (temporary file, fsync, rename, fsync of the directory) with mode 0600:
    /// after a crash the file is either the old or the new keyring, never a mix and never lost.
    func write(path: String) throws {
        var bytes = serialized()
        defer { Sodium.wipe(&bytes) }
        try FileIO.writeAtomically(path, bytes, mode: 0o600)
        let dir = Glibc.open(directory(of: path), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dir >= 0 {
            fsync(dir)
            close(dir)
        }
    }

    private static func withDirectoryLock<T>(_ path: String, _ body: () throws -> T) throws -> T {
        let dirPath = directory(of: path)
        let dir = Glibc.open(dirPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard dir >= 0 else { throw KeyringError("cannot open the keyring's directory \(dirPath): \(String(cString: strerror(errno)))") }
        defer { close(dir) }
        while flock(dir, LOCK_EX) != 0 {
            guard errno == EINTR else { throw KeyringError("cannot lock \(dirPath): \(String(cString: strerror(errno)))") }
        }
        defer { flock(dir, LOCK_UN) }
        return try body()
    }

    private static func octal(_ mode: mode_t) -> String {
        let digits = String(mode, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}

private func directory(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return slash == path.startIndex ? "/" : String(path[..<slash])
}
