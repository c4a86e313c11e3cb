// Form field helpers and flash messages: labels, inputs, hints and inline errors with their ARIA
// wiring, and option lists rendered once.

public struct Flash: Sendable {
    public enum Kind: String, Sendable { case success, error, info }
    public let kind: Kind
    public let message: String
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }
}

/// Form field helpers: label, input, hint and inline error, with the ARIA wiring.
public enum Form {
    /// `id`: the input's id, by default its name; another where a page has several forms with a field of that name.
    public static func field(
        _ name: String, label: String, type: String = "text", value: String = "",
        error: String? = nil, hint: String? = nil, autocomplete: String? = nil,
        required: Bool = true, maxLength: Int? = nil, id: String? = nil
    ) -> HTML {
        let id = id ?? name
        let errorID = "\(id)-error"
        return """
            <div class="field\(error == nil ? "" : " has-error")"><label for="\(id)">\(label)</label>\
            <input id="\(id)" name="\(name)" type="\(type)" value="\(value)"\
            \(autocomplete.map { HTML(" autocomplete=\"\($0)\"") })\(required ? HTML(" required") : HTML())\
            \(maxLength.map { HTML(" maxlength=\"\($0)\"") })\
            \(error == nil ? HTML() : HTML(" aria-invalid=\"true\" aria-describedby=\"\(errorID)\""))>\
            \(hint.map { HTML("<p class=\"hint\">\($0)</p>") })\
            \(error.map { HTML("<p class=\"error\" id=\"\(errorID)\">\($0)</p>") })</div>
            """
    }

    public static func select(_ name: String, label: String, options: [String], selected: String, error: String? = nil) -> HTML {
        select(name, label: label, options: PrerenderedOptions(options), selected: selected, error: error)
    }

    /// A select whose (long) option list was rendered once, e.g. the time zones.
    public static func select(_ name: String, label: String, options: PrerenderedOptions, selected: String, error: String? = nil) -> HTML {
        let items = options.html(selected: selected)
        return """
            <div class="field\(error == nil ? "" : " has-error")"><label for="\(name)">\(label)</label>\
            <select id="\(name)" name="\(name)">\(items)</select>\
            \(error.map { HTML("<p class=\"error\">\($0)</p>") })</div>
            """
    }
}

/// `<option>` elements rendered and escaped once; marking one selected is a single insertion.
public struct PrerenderedOptions: Sendable {
    let bytes: [UInt8]
    /// Byte offset just after `<option` for each value.
    let offsets: [String: Int]

    public init(_ options: [String]) {
        var bytes = [UInt8]()
        var offsets: [String: Int] = [:]
        for option in options {
            bytes += "<option".utf8
            offsets[option] = bytes.count
            bytes += ">".utf8
            HTML.appendEscaped(option, to: &bytes)
            bytes += "</option>".utf8
        }
        self.bytes = bytes
        self.offsets = offsets
    }

    public func html(selected: String) -> HTML {
        var out = HTML()
        guard let offset = offsets[selected] else {
            out.bytes = bytes
            return out
        }
        out.bytes.reserveCapacity(bytes.count + 9)
        out.bytes += bytes[0..<offset]
        out.bytes += " selected".utf8
        out.bytes += bytes[offset...]
        return out
    }
}
