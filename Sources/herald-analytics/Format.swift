// Numbers as the analytics pages print them.
import HeraldSupport

/// The change from `previous` to `current`: "+12 (+25%)", "−3 (−10%)", "+5 (new)", "no change".
func change(_ current: Int, from previous: Int) -> String {
    let delta = current - previous
    if delta == 0 { return "no change" }
    let sign = delta > 0 ? "+" : ""
    guard previous > 0 else { return "\(sign)\(grouped(delta)) (none before)" }
    let percent = (Double(delta) / Double(previous) * 100).rounded()
    return "\(sign)\(grouped(delta)) (\(sign)\(grouped(Int(percent)))%)"
}
