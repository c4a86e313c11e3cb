// Method + path pattern → handler. One table per executable (its Routes.swift).

/// A path pattern like `/w/{slug}/posts/{id}`; `{name}` matches one non-empty segment.
public struct Router<Handler: Sendable>: Sendable {
    /// One entry of the table: `GET /w/{slug}/posts`.
    public struct Route: Sendable {
        public let method: String
        public let pattern: String
        let segments: [Segment]
        let handler: Handler
    }

    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
    }

    private var routes: [Route] = []

    /// Every route, in the order added.
    public var table: [Route] { routes }

    public init() {}

    public mutating func add(_ method: String, _ pattern: String, _ handler: Handler) {
        let segments = Router.split(pattern).map { part -> Segment in
            if part.hasPrefix("{") && part.hasSuffix("}") { return .parameter(String(part.dropFirst().dropLast())) }
            return .literal(part)
        }
        routes.append(Route(method: method, pattern: pattern, segments: segments, handler: handler))
    }

    public mutating func get(_ pattern: String, _ handler: Handler) { add("GET", pattern, handler) }
    public mutating func post(_ pattern: String, _ handler: Handler) { add("POST", pattern, handler) }

    public enum Match {
        case found(Handler, [String: String])
        /// The path exists for other methods only.
        case methodNotAllowed
        case notFound
    }

    public func match(method: String, path: String) -> Match {
        let parts = Router.split(path)
        // A trailing slash matters only for the root of a section: `/account/` is `/account`.
        var pathExists = false
        for route in routes where route.segments.count == parts.count {
            var params: [String: String] = [:]
            var ok = true
            for (segment, part) in zip(route.segments, parts) {
                switch segment {
                case .literal(let text): if text != part { ok = false }
                case .parameter(let name): params[name] = part
                }
                if !ok { break }
            }
            guard ok else { continue }
            pathExists = true
            if route.method == method || (method == "HEAD" && route.method == "GET") { return .found(route.handler, params) }
        }
        return pathExists ? .methodNotAllowed : .notFound
    }

    static func split(_ path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }
}
