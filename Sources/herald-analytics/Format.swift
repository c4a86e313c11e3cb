// Numbers as the analytics pages print them.

/// 1234567 → "1,234,567".
func grouped(_ value: Int) -> String {
    let digits = String(value.magnitude)
    var out = ""
    for (index, digit) in digits.enumerated() {
        if index > 0 && (digits.count - index) % 3 == 0 { out += "," }
        out.append(digit)
    }
    return (value < 0 ? "−" : "") + out
}

/// The change from `previous` to `current`: "+12 (+25%)", "−3 (−10%)", "+5 (new)", "no change".
func change(_ current: Int, from previous: Int) -> String {
    let delta = current - previous
    if delta == 0 { return "no change" }
    let sign = delta > 0 ? "+" : ""
    guard previous > 0 else { return "\(sign)\(grouped(delta)) (none before)" }
    let percent = (Double(delta) / Double(previous) * 100).rounded()
    return "\(sign)\(grouped(delta)) (\(sign)\(grouped(Int(percent)))%)"
}
