// Input rules for the account forms, with the messages users see.
import HeraldDatabase
import HeraldIdentity

enum Validation {
    static func name(_ raw: String?) -> (String, String?) {
        let value = (raw ?? "").trimmed
        if value.isEmpty { return (value, "Enter your name.") }
        // Counted as PostgreSQL counts (code points): a letter with combining marks is several.
        if value.unicodeScalars.count > 100 { return (value, "Use at most 100 characters.") }
        // A name reaches mail headers and log lines: no CR, LF, tab, NUL or other control character.
        if value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return (value, "Names can't contain line breaks or control characters.")
        }
        return (value, nil)
    }

    static func email(_ raw: String?) -> (String, String?) {
        let value = (raw ?? "").trimmed
        if value.isEmpty { return (value, "Enter your email address.") }
        if value.utf8.count > 254 { return (value, "An email address has at most 254 characters.") }
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        if parts.count != 2 || parts[0].isEmpty || parts[1].isEmpty || value.contains(where: { $0.isWhitespace }) {
            return (value, "Enter an email address like name@example.com.")
        }
        return (value, nil)
    }

    static func timeZone(_ raw: String?, _ db: Connection) throws -> (String, String?) {
        try TimeZones.validate(raw, db)
    }
}

/// A local path to return to after login; anything else (other hosts, `//`, `/\`, control or
/// invisible characters, a backslash anywhere) goes to the workspaces.
func safeNextPath(_ raw: String?) -> String {
    guard let raw, raw.utf8.count < 512 else { return "/w" }
    let scalars = Array(raw.unicodeScalars)
    // One leading slash and a second character that does not make the path absolute
    // ("//host", "/\\host") or vanish in a header or a browser's URL parser (control characters:
    // "/\n/evil.example" would become "//evil.example" once the line break is stripped).
    guard scalars.first == "/", scalars.count == 1 || (scalars[1] != "/" && scalars[1] != "\\"),
        !scalars.contains(where: { $0 == "\\" || $0.properties.generalCategory == .control || $0.properties.generalCategory == .format })
    else { return "/w" }
    return raw
}
