// The campaign form, for a new campaign on the list page and for editing one on its page.
import HeraldHTML

enum CampaignFormView {
    static func html(_ action: String, _ v: CampaignForm.Values, _ errors: [String: String], csrf: HTML, label: StaticString) -> HTML {
        """
        <form class="form" method="post" action="\(action)" novalidate>\(csrf)
        \(Form.field("name", label: "Name", value: v.name, error: errors["name"], maxLength: 100))
        \(Form.field("description", label: "Description (optional)", value: v.description, error: errors["description"], required: false))
        \(Form.select("status", label: "Status", options: CampaignForm.statuses, selected: v.status, error: errors["status"]))
        <div class="inline-fields">\(Form.field("starts_on", label: "Starts", type: "date", value: v.startsOn, error: errors["starts_on"], required: false))\
        \(Form.field("ends_on", label: "Ends", type: "date", value: v.endsOn, error: errors["ends_on"], required: false))</div>
        <div class="actions"><button class="button primary">\(HTML(stringLiteral: label))</button></div></form>
        """
    }
}
