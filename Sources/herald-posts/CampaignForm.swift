// The campaign form's values (the seeds' "projects"), read and checked for creating and editing a
// campaign. CampaignFormView draws it.
import HeraldContent
import HeraldFastCGI
import HeraldSupport

enum CampaignForm {
    static let statuses = ["planned", "active", "completed", "archived"]

    struct Values {
        var name = "", description = "", status = "planned", startsOn = "", endsOn = ""
    }

    static func parse(_ form: FormData) -> (Values, [String: String]) {
        var v = Values(
            name: (form["name"] ?? "").trimmed, description: (form["description"] ?? "").trimmed, status: form["status"] ?? "planned",
            startsOn: (form["starts_on"] ?? "").trimmed, endsOn: (form["ends_on"] ?? "").trimmed)
        var errors: [String: String] = [:]
        if v.name.isEmpty {
            errors["name"] = "Give the campaign a name."
        } else if v.name.count > 100 {
            errors["name"] = "Use at most 100 characters."
        }
        if v.description.count > 5000 { errors["description"] = "Use at most 5,000 characters." }
        if !statuses.contains(v.status) {
            v.status = "planned"
            errors["status"] = "Choose a status from the list."
        }
        if !v.startsOn.isEmpty && !LocalTime.isDate(v.startsOn) { errors["starts_on"] = "Enter a date like 2026-03-01." }
        if !v.endsOn.isEmpty && !LocalTime.isDate(v.endsOn) { errors["ends_on"] = "Enter a date like 2026-03-31." }
        if errors["starts_on"] == nil, errors["ends_on"] == nil, !v.startsOn.isEmpty, !v.endsOn.isEmpty, v.endsOn < v.startsOn {
            errors["ends_on"] = "The end must not be before the start."
        }
        return (v, errors)
    }
}
