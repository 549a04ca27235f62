//! The HTML review page in a real browser: writes a page for fixtures/seeds, opens it in headless
//! Chromium, checks the document list and the inline changes, applies filters through the URL
//! fragment, saves a screenshot (target/review/review.png), and times a 1,000-document page.
//!
//! Needs `chromium` (Debian package `chromium`; or set TEXTMEND_CHROMIUM to a Chrome/Chromium
//! binary). Without one the test says so and passes, unless TEXTMEND_REQUIRE_BROWSER is set (CI
//! sets it), in which case a missing browser fails the test.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use textmend::review::html::{rule_descriptions, ReviewPage};
use textmend::review::DocRef;
use textmend::{Cleaned, Cleaner, Config};

fn find_browser() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("TEXTMEND_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in [
            "chromium",
            "chromium-browser",
            "google-chrome",
            "google-chrome-stable",
        ] {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

fn out_dir() -> PathBuf {
    // CARGO_TARGET_TMPDIR is <target>/tmp; the artifacts go to <target>/review.
    let d = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .join("review");
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Runs headless Chromium with `args` plus the usual isolation flags; returns stdout and the wall
/// time.
fn chromium(browser: &Path, args: &[String]) -> (String, Duration) {
    let profile = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(browser);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
    ])
    .arg(format!("--user-data-dir={}", profile.path().display()))
    .args(args)
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let t = Instant::now();
    let child = cmd.spawn().expect("starting chromium");
    let id = child.id();
    // A watchdog: a hung browser fails the test instead of hanging it.
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    let guard = std::thread::spawn(move || {
        if rx.recv_timeout(Duration::from_secs(120)).is_err() {
            let _ = Command::new("kill").arg("-9").arg(id.to_string()).status();
        }
    });
    let out = child.wait_with_output().expect("running chromium");
    let _ = tx.send(());
    guard.join().unwrap();
    let wall = t.elapsed();
    assert!(
        out.status.success(),
        "chromium failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    (String::from_utf8_lossy(&out.stdout).into_owned(), wall)
}

fn dump_dom(browser: &Path, url: &str) -> (String, Duration) {
    chromium(
        browser,
        &[
            "--virtual-time-budget=2000".into(),
            "--dump-dom".into(),
            url.into(),
        ],
    )
}

fn file_url(p: &Path) -> String {
    format!("file://{}", p.canonicalize().unwrap().display())
}

/// The value of `data-NAME` on the body element of a dumped DOM.
fn body_data(dom: &str, name: &str) -> String {
    let body = &dom[dom.find("<body").expect("a body")..];
    let body = &body[..body.find('>').unwrap()];
    let key = format!("data-{name}=\"");
    let at = body
        .find(&key)
        .unwrap_or_else(|| panic!("no data-{name} on body: {body}"))
        + key.len();
    body[at..at + body[at..].find('"').unwrap()].to_string()
}

fn seeds() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/seeds");
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

fn page(cleaner: &Cleaner, docs: &[(String, &[u8], &Cleaned)]) -> String {
    let mut page =
        ReviewPage::new("textmend review: seeds").with_descriptions(rule_descriptions(cleaner));
    for (id, input, c) in docs {
        page.add(&DocRef {
            id,
            input,
            cleaned: c,
        });
    }
    page.render()
}

#[test]
fn review_page_in_a_browser() {
    let Some(browser) = find_browser() else {
        if std::env::var_os("TEXTMEND_REQUIRE_BROWSER").is_some() {
            panic!("TEXTMEND_REQUIRE_BROWSER is set but no chromium was found (apt-get install -y chromium, or set TEXTMEND_CHROMIUM)");
        }
        eprintln!("SKIPPED review_page_in_a_browser: no chromium on PATH (apt-get install -y chromium; set TEXTMEND_REQUIRE_BROWSER=1 to make this a failure)");
        return;
    };
    let cleaner = Cleaner::new(Config::default()).unwrap();
    let seeds = seeds();
    let cleaned: Vec<Cleaned> = seeds.iter().map(|(_, b)| cleaner.clean_bytes(b)).collect();
    let docs: Vec<(String, &[u8], &Cleaned)> = seeds
        .iter()
        .zip(&cleaned)
        .map(|((id, b), c)| (id.clone(), b.as_slice(), c))
        .collect();
    let dir = out_dir();
    let path = dir.join("review.html");
    std::fs::write(&path, page(&cleaner, &docs)).unwrap();
    let url = file_url(&path);

    // Unfiltered: every document listed and shown, changes inline.
    let (dom, wall) = dump_dom(&browser, &url);
    let n = seeds.len();
    let total_edits: usize = cleaned.iter().map(|c| c.edits.len()).sum();
    let total_flags: usize = cleaned.iter().map(|c| c.flags.len()).sum();
    assert!(
        total_edits > 0,
        "the seeds need edits for this test to mean anything"
    );
    assert_eq!(body_data(&dom, "shown"), n.to_string());
    assert_eq!(body_data(&dom, "changes"), total_edits.to_string());
    assert_eq!(body_data(&dom, "flags"), total_flags.to_string());
    assert!(
        dom.contains(&format!("{n} of {n} documents · {total_edits} changes")),
        "visible count"
    );
    assert_eq!(dom.matches("<tr data-d=").count(), n, "document list");
    for (id, _) in &seeds {
        assert!(dom.contains(&format!(">{id}</a></td>")), "{id} listed");
    }
    assert!(
        dom.contains("<del>") && dom.contains("</span>"),
        "inline changes"
    );
    assert!(
        !dom.contains("class=\"doc hidden\""),
        "nothing hidden unfiltered"
    );
    eprintln!(
        "seeds page: {} bytes, dump-dom {:.2?}, script {} ms",
        std::fs::metadata(&path).unwrap().len(),
        wall,
        body_data(&dom, "ready-ms")
    );

    // A rule filter from the fragment: only documents with that rule's edits stay, the count says so.
    let rule = cleaned[0]
        .edits
        .first()
        .or_else(|| cleaned.iter().flat_map(|c| &c.edits).next())
        .unwrap()
        .rule
        .clone();
    let has = |c: &Cleaned| {
        c.edits
            .iter()
            .filter(|e| e.rule == rule || e.also.contains(&rule))
            .count()
    };
    let want_docs = cleaned
        .iter()
        .filter(|c| has(c) > 0 || c.flags.iter().any(|f| f.rule == rule))
        .count();
    let want_changes: usize = cleaned.iter().map(has).sum();
    let (dom, _) = dump_dom(&browser, &format!("{url}#rule={rule}"));
    assert_eq!(body_data(&dom, "shown"), want_docs.to_string());
    assert_eq!(body_data(&dom, "changes"), want_changes.to_string());
    assert!(dom.contains(&format!(
        "{want_docs} of {n} documents · {want_changes} changes"
    )));
    assert!(
        dom.contains("class=\"doc hidden\"") == (want_docs < n),
        "documents without the rule are hidden"
    );

    // A pack filter: every rule of the pack.
    let pk = rule.split('/').next().unwrap().to_string();
    let in_pack = |r: &str| r.split('/').next() == Some(pk.as_str());
    let pack_changes: usize = cleaned
        .iter()
        .flat_map(|c| &c.edits)
        .filter(|e| in_pack(&e.rule) || e.also.iter().any(|r| in_pack(r)))
        .count();
    let (dom, _) = dump_dom(&browser, &format!("{url}#rule=pack:{pk}"));
    assert_eq!(body_data(&dom, "changes"), pack_changes.to_string());

    // A filter nothing matches hides every document and says 0.
    let (dom, _) = dump_dom(
        &browser,
        &format!("{url}#rule=zh_en/no-such-rule&kind=date"),
    );
    assert_eq!(body_data(&dom, "shown"), "0");
    assert_eq!(dom.matches("class=\"doc hidden\"").count(), n);
    assert!(dom.contains(&format!("0 of {n} documents · 0 changes · 0 flags")));

    // Edits switched off: the text reads as clean, nothing is highlighted by the filter style.
    let (dom, _) = dump_dom(&browser, &format!("{url}#edits=0"));
    assert_eq!(body_data(&dom, "changes"), "0");
    assert!(
        dom.contains(".chg del{display:none}"),
        "edits hidden by the injected style"
    );

    // A screenshot for people to look at: the same page with the busiest documents first (headless
    // screenshots do not follow a scroll to an anchor), filtered to one rule.
    let mut by_edits = docs.clone();
    by_edits.sort_by_key(|d| std::cmp::Reverse(d.2.edits.len()));
    let shot_path = dir.join("review-shot.html");
    std::fs::write(&shot_path, page(&cleaner, &by_edits)).unwrap();
    let png = dir.join("review.png");
    let _ = std::fs::remove_file(&png);
    chromium(
        &browser,
        &[
            format!("--screenshot={}", png.display()),
            "--window-size=1280,900".into(),
            "--virtual-time-budget=2000".into(),
            format!("{}#rule={rule}", file_url(&shot_path)),
        ],
    );
    let bytes = std::fs::read(&png).expect("screenshot written");
    assert!(
        bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.len() > 10_000,
        "a real screenshot"
    );
    eprintln!("screenshot: {}", png.display());

    // 1,000 documents: the seeds repeated under new ids.
    let mut big: Vec<(String, &[u8], &Cleaned)> = Vec::with_capacity(1000);
    for i in 0..1000 {
        let (id, b, c) = &docs[i % n];
        big.push((format!("{i:04}-{id}"), *b, *c));
    }
    let html = page(&cleaner, &big);
    let big_path = dir.join("review-1000.html");
    std::fs::write(&big_path, &html).unwrap();
    let big_url = file_url(&big_path);
    let big_edits: usize = big.iter().map(|d| d.2.edits.len()).sum();
    let (dom, wall) = dump_dom(&browser, &big_url);
    assert_eq!(body_data(&dom, "shown"), "1000");
    assert_eq!(body_data(&dom, "changes"), big_edits.to_string());
    let ready: u64 = body_data(&dom, "ready-ms").parse().unwrap();
    let load: u64 = body_data(&dom, "load-ms").parse().unwrap();
    let (dom, wall_f) = dump_dom(&browser, &format!("{big_url}#rule={rule}"));
    let big_want: usize = big
        .iter()
        .filter(|d| has(d.2) > 0 || d.2.flags.iter().any(|f| f.rule == rule))
        .count();
    assert_eq!(body_data(&dom, "shown"), big_want.to_string());
    let ready_f: u64 = body_data(&dom, "ready-ms").parse().unwrap();
    eprintln!(
        "1000-document page: {:.1} MB, {} edits; chromium start+load+dump {:.2?} (load event at {} ms, page script {} ms), filtered {:.2?} (script {} ms)",
        html.len() as f64 / 1e6,
        big_edits,
        wall,
        load,
        ready,
        wall_f,
        ready_f
    );
    // Generous bounds (a shared CI machine): the page script must not be what makes it slow.
    assert!(
        ready < 5_000 && ready_f < 5_000,
        "page script took {ready} / {ready_f} ms"
    );
}
