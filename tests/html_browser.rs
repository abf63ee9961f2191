//! The HTML report in a real browser: Debian's headless Chromium loads report.html (written for
//! the fixture archive), a small harness appended to a copy of the page exercises the filters,
//! the row expansion and the tabs, and reports what it saw together with any script error.
//! Needs `chromium` (`.ci/run` installs it); the browser plumbing is in `common::browser`.

mod common;

const HARNESS: &str = r#"
<script>
(function () {
  function run() {
    var out = { errors: window.__errors.slice() };
    try {
      var groups = document.querySelectorAll('tbody.session-group');
      out.sessions = groups.length;
      var visible = function () { return Array.prototype.filter.call(groups, function (g) { return !g.hidden; }).length; };
      var st = document.getElementById('f-status');
      st.value = 'incomplete'; st.dispatchEvent(new Event('change'));
      out.incomplete_shown = visible();
      out.incomplete_rows_ok = Array.prototype.every.call(groups, function (g) { return g.hidden || g.dataset.status === 'incomplete'; });
      st.value = 'complete'; st.dispatchEvent(new Event('change'));
      out.complete_shown = visible();
      st.value = ''; st.dispatchEvent(new Event('change'));
      var mi = document.getElementById('f-missing');
      if (mi.options.length > 1) {
        mi.value = mi.options[1].value; mi.dispatchEvent(new Event('change'));
        out.missing_filter = mi.value;
        out.missing_shown = visible();
        out.missing_rows_ok = Array.prototype.every.call(groups, function (g) { return g.hidden || (' ' + g.dataset.missing + ' ').indexOf(' ' + mi.value + ' ') >= 0; });
        mi.value = ''; mi.dispatchEvent(new Event('change'));
      }
      out.all_shown = visible();
      var first = document.querySelector('tr.session');
      first.click();
      out.expanded = !first.nextElementSibling.hidden;
      out.checklist_items = first.nextElementSibling.querySelectorAll('ul.check li').length;
      var tab = document.querySelector('nav button[data-tab=documents]');
      tab.click();
      out.documents_tab_visible = !document.getElementById('documents').hidden && document.getElementById('sessions').hidden;
      out.document_rows = document.querySelectorAll('#doc-table tbody tr').length;
    } catch (e) { out.errors.push('harness: ' + e.message); }
    out.errors = out.errors.concat(window.__errors.filter(function (e) { return out.errors.indexOf(e) < 0; }));
    var pre = document.createElement('pre'); pre.id = 'harness-result';
    pre.textContent = JSON.stringify(out);
    document.body.appendChild(pre);
  }
  if (document.readyState === 'complete') run(); else window.addEventListener('load', run);
})();
</script>
"#;

#[test]
fn report_html_filters_expands_and_has_no_script_error_in_chromium() {
    let dir = tempfile::tempdir().unwrap();
    let report = common::report();
    let rules = preuves::rules::RuleSet::default_set();
    let html = preuves::report::html::render(
        report,
        &rules,
        &preuves::report::html::HtmlOptions {
            lang: preuves::report::Lang::Fr,
            link_base: Some("../archive/".into()),
        },
    );
    let r = common::browser::run(dir.path(), "report.html", &html, HARNESS);
    println!("{r}");
    assert_eq!(
        r["errors"].as_array().map(|a| a.len()),
        Some(0),
        "script errors: {}",
        r["errors"]
    );
    let sessions = report.sessions.len() as u64;
    assert!(sessions > 0);
    assert_eq!(r["sessions"], sessions);
    assert_eq!(r["incomplete_shown"], report.summary.incomplete as u64);
    assert_eq!(r["incomplete_rows_ok"], true);
    assert_eq!(r["complete_shown"], report.summary.complete as u64);
    assert_eq!(r["all_shown"], sessions);
    if r.get("missing_filter").is_some() {
        assert_eq!(r["missing_rows_ok"], true);
        assert!(r["missing_shown"].as_u64().unwrap() >= 1);
    }
    assert_eq!(r["expanded"], true);
    assert!(r["checklist_items"].as_u64().unwrap() >= 8);
    assert_eq!(r["documents_tab_visible"], true);
    assert_eq!(r["document_rows"], report.documents.len() as u64);
}
