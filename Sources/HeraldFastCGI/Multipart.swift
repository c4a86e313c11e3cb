// multipart/form-data bodies (RFC 7578): fields and uploaded files, for forms that send a file.

/// An uploaded file from a multipart form.
public struct UploadedFile: Sendable {
    public let fieldName: String
    public let fileName: String
    public let contentType: String
    public let bytes: [UInt8]
}

public struct MultipartForm: Sendable {
    public let fields: FormData
    public let files: [UploadedFile]

    public func file(_ name: String) -> UploadedFile? { files.first { $0.fieldName == name } }

    /// Parses a body sent with `Content-Type: multipart/form-data; boundary=…`. Malformed
    /// bodies, non-UTF-8 field values and control characters in names, values and file names
    /// (as in urlencoded forms) are 400.
    public init(body: [UInt8], contentType: String) throws {
        guard let boundaryStart = contentType.firstRange(of: "boundary=") else {
            throw HTTPError.badRequest("The form upload has no boundary.")
        }
        var boundary = String(contentType[boundaryStart.upperBound...].prefix { $0 != ";" })
        if boundary.hasPrefix("\""), boundary.hasSuffix("\""), boundary.count >= 2 { boundary = String(boundary.dropFirst().dropLast()) }
        guard !boundary.isEmpty, boundary.utf8.count <= 70 else { throw HTTPError.badRequest("The form upload's boundary is not valid.") }
        let delimiter = Array(("--" + boundary).utf8)
        var fields = FormData()
        var files: [UploadedFile] = []
        var position = MultipartForm.find(delimiter, in: body, from: 0)
        guard var start = position else { throw HTTPError.badRequest("The form upload is empty or malformed.") }
        while true {
            start += delimiter.count
            // "--" after a delimiter ends the body.
            if start + 1 < body.count, body[start] == UInt8(ascii: "-"), body[start + 1] == UInt8(ascii: "-") { break }
            guard start + 1 < body.count, body[start] == 13, body[start + 1] == 10 else {
                throw HTTPError.badRequest("The form upload is malformed.")
            }
            start += 2
            guard let next = MultipartForm.find([13, 10] + delimiter, in: body, from: start) else {
                throw HTTPError.badRequest("The form upload ended early.")
            }
            let part = Array(body[start..<next])
            guard let headerEnd = MultipartForm.find([13, 10, 13, 10], in: part, from: 0) else {
                throw HTTPError.badRequest("A part of the form upload has no headers.")
            }
            guard let headers = String(validating: part[0..<headerEnd], as: UTF8.self) else {
                throw HTTPError.badRequest("The form upload's headers are not valid UTF-8.")
            }
            let content = Array(part[(headerEnd + 4)...])
            var name: String?
            var fileName: String?
            var type = "application/octet-stream"
            for line in headers.split(separator: "\r\n") {
                let lower = line.lowercased()
                if lower.hasPrefix("content-disposition:") {
                    name = MultipartForm.parameter("name", in: String(line))
                    fileName = MultipartForm.parameter("filename", in: String(line))
                } else if lower.hasPrefix("content-type:") {
                    type = String(line.dropFirst("content-type:".count)).trimmed
                }
            }
            guard let name else { throw HTTPError.badRequest("A part of the form upload has no name.") }
            if let fileName {
                files.append(
                    UploadedFile(fieldName: try FormData.checked(name), fileName: try FormData.checked(fileName), contentType: type, bytes: content))
            } else {
                guard let value = String(validating: content, as: UTF8.self) else { throw HTTPError.badRequest("The form is not valid UTF-8 text.") }
                fields.append(try FormData.checked(name), try FormData.checked(value))
            }
            position = next + 2
            start = next + 2
        }
        self.fields = fields
        self.files = files
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard needle.count <= haystack.count, from <= haystack.count - needle.count else { return nil }
        var i = from
        let first = needle[0]
        while i <= haystack.count - needle.count {
            if haystack[i] == first && Array(haystack[i..<(i + needle.count)]) == needle { return i }
            i += 1
        }
        return nil
    }

    /// `name="value"` from a header line.
    static func parameter(_ key: String, in line: String) -> String? {
        for piece in line.split(separator: ";") {
            let trimmed = piece.trimmingSpaces()
            guard trimmed.lowercased().hasPrefix(key + "=") else { continue }
            var value = String(trimmed.dropFirst(key.count + 1))
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return nil
    }
}
