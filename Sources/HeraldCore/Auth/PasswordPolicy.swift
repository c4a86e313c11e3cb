// Password rules (ASVS V2.1): 8 to 128 characters, any characters, no composition rules, and
// not one of the 10,000 most common passwords.

public enum PasswordPolicy {
    public static let minimumLength = 8
    public static let maximumLength = 128

    /// Built once per process from the list in CommonPasswords.swift.
    static let common: Set<Substring> = Set(commonPasswordList.split(separator: "\n"))

    /// A message for the form, or nil when the password is acceptable.
    public static func problem(with password: String, email: String = "") -> String? {
        let length = password.count
        if length < minimumLength { return "Use at least \(minimumLength) characters." }
        if length > maximumLength { return "Use at most \(maximumLength) characters." }
        let lower = password.lowercased()
        if common.contains(Substring(lower)) { return "This password is one of the most common ones and easy to guess. Choose another." }
        if !email.isEmpty, lower == email.lowercased() { return "Your password must not be your email address." }
        return nil
    }
}
