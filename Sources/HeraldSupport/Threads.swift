// POSIX threads for the programs' fixed pools (FastCGI workers, the queue worker's senders).
public import Glibc

/// Blocks SIGTERM, SIGINT and SIGHUP in the calling thread and every thread it starts afterwards,
/// and ignores SIGPIPE; returns the set for `sigwait`, so that one thread takes the signals.
public func blockStopSignals() -> sigset_t {
    var signals = sigset_t()
    sigemptyset(&signals)
    sigaddset(&signals, SIGTERM)
    sigaddset(&signals, SIGINT)
    sigaddset(&signals, SIGHUP)
    pthread_sigmask(SIG_BLOCK, &signals, nil)
    signal(SIGPIPE, SIG_IGN)
    return signals
}

private final class ThreadBody {
    let run: @Sendable () -> Void
    init(_ run: @escaping @Sendable () -> Void) { self.run = run }
}

/// Starts a detached POSIX thread running `body`, with SIGTERM, SIGINT and SIGHUP blocked in it even
/// when started before `blockStopSignals`: a stop signal must reach the thread in `sigwait`, never be
/// taken by another one (where libfcgi's SIGTERM handler would swallow it and the program never stop).
/// False when the thread could not be started (the body does not run).
@discardableResult
public func startThread(_ body: @escaping @Sendable () -> Void) -> Bool {
    var stopSignals = sigset_t()
    var previous = sigset_t()
    sigemptyset(&stopSignals)
    for stop in [SIGTERM, SIGINT, SIGHUP] { sigaddset(&stopSignals, stop) }
    pthread_sigmask(SIG_BLOCK, &stopSignals, &previous)
    defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
    let context = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
    var thread = pthread_t()
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
    pthread_attr_setstacksize(&attributes, 1 << 20)
    let rc = pthread_create(
        &thread, &attributes,
        { raw in
            let box = Unmanaged<ThreadBody>.fromOpaque(raw!).takeRetainedValue()
            box.run()
            return nil
        }, context)
    pthread_attr_destroy(&attributes)
    if rc != 0 {
        Unmanaged<ThreadBody>.fromOpaque(context).release()
        Log.error("cannot start thread", ["errno": String(rc)])
    }
    return rc == 0
}
