//! Headless Chromium for the HTML tests: a page gets an error trap in its head and a harness
//! script before `</body>`; the harness writes a JSON result into `<pre id="harness-result">`,
//! read back from the dumped DOM. Needs `chromium` (`.ci/run` installs it).

use serde_json::Value;
use std::path::Path;
use std::process::Command;

pub fn chromium() -> &'static str {
    for c in ["chromium", "chromium-browser", "google-chrome"] {
        if Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
        {
            return c;
        }
    }
    panic!("headless Chromium is needed for this test (apt-get install chromium)");
}

/// Collects script errors and console errors into `window.__errors`.
pub const ERROR_TRAP: &str = r#"<script>window.__errors = [];
window.addEventListener('error', function (e) { window.__errors.push(String(e.message)); });
var __ce = console.error; console.error = function () { window.__errors.push(Array.prototype.join.call(arguments, ' ')); __ce.apply(console, arguments); };
</script>"#;

/// The common Chromium arguments (no network, no profile left behind).
fn base(dir: &Path) -> Command {
    let mut c = Command::new(chromium());
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--virtual-time-budget=5000",
    ])
    .arg(format!("--user-data-dir={}", dir.join("profile").display()));
    c
}

/// Loads `html` with the error trap and `harness` (a `<script>` that fills
/// `<pre id="harness-result">`) in Chromium, from a file in `dir`; returns the harness's JSON.
pub fn run(dir: &Path, name: &str, html: &str, harness: &str) -> Value {
    let page = html
        .replacen("<head>", &format!("<head>{ERROR_TRAP}"), 1)
        .replacen("</body>", &format!("{harness}</body>"), 1);
    let file = dir.join(name);
    std::fs::write(&file, page).unwrap();
    let out = base(dir)
        .arg("--dump-dom")
        .arg(format!("file://{}", file.display()))
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&out.stdout);
    let start = dom.find("<pre id=\"harness-result\">").unwrap_or_else(|| {
        panic!(
            "harness did not run; stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let json = &dom[start + "<pre id=\"harness-result\">".len()..];
    let json = &json[..json.find("</pre>").unwrap()];
    let json = json
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">");
    serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"))
}

/// Prints `html` (as saved in `dir/name`) to PDF with Chromium; returns the PDF's page count.
pub fn print_pages(dir: &Path, name: &str, html: &str) -> usize {
    let file = dir.join(name);
    std::fs::write(&file, html).unwrap();
    let pdf = dir.join(format!("{name}.pdf"));
    let out = base(dir)
        .arg("--no-pdf-header-footer")
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", file.display()))
        .output()
        .expect("chromium runs");
    let doc = lopdf::Document::load(&pdf).unwrap_or_else(|e| {
        panic!(
            "no PDF printed ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    doc.get_pages().len()
}
