use textmend::{Cleaner, Config};
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let c = Cleaner::new(Config::default()).unwrap();
    std::fs::create_dir_all(&a[2]).unwrap();
    let mut es: Vec<_> = std::fs::read_dir(&a[1]).unwrap().flatten().collect();
    es.sort_by_key(|e| e.path());
    for e in es {
        let t = std::fs::read_to_string(e.path()).unwrap();
        let out = c.clean(&t);
        std::fs::write(std::path::Path::new(&a[2]).join(e.file_name()), &out.text).unwrap();
        eprintln!("{:?} score={:.1} zh_en={} edits={} flags={}", e.file_name(), out.profile.artifact_score, out.profile.zh_en, out.edits.len(), out.flags.len());
        for ed in &out.edits { if ed.rule.starts_with("zh_en") { eprintln!("  {} {:?} -> {:?}", ed.rule, &t[ed.span.start..ed.span.end], ed.replacement); } }
        for f in &out.flags { if f.rule.starts_with("zh_en") { eprintln!("  FLAG {} {:?} {}", f.rule, f.text, f.message); } }
    }
}
