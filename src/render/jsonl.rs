//! JSON Lines: one diagnostic per line, each exactly the object of the JSON contract
//! ([`super::json::diagnostic_value`]). Streams well into `jq`, log shippers and CI.

use super::Report;

pub fn render(reports: &[Report<'_>]) -> String {
    let mut s = String::new();
    for r in reports {
        for d in r.diagnostics {
            s.push_str(&super::json::diagnostic_value(r.doc, d).to_string());
            s.push('\n');
        }
    }
    s
}
