//! Embeds every dictionary under dictionaries/ into the binary, so the tool runs with no files.
use std::{env, fs, path::Path};

fn walk(dir: &Path, root: &Path, out: &mut Vec<(String, String)>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .map(|r| r.flatten().collect())
        .unwrap_or_default();
    entries.sort_by_key(|e| e.path());
    for e in entries {
        let p = e.path();
        if p.is_dir() {
            walk(&p, root, out);
        } else if p.extension().is_some_and(|x| x == "tsv") {
            let rel = p.strip_prefix(root).unwrap().with_extension("");
            let name = rel.to_string_lossy().replace('\\', "/");
            out.push((name, p.to_string_lossy().into_owned()));
        }
    }
}

fn main() {
    let root = Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap()).join("dictionaries");
    println!("cargo:rerun-if-changed=dictionaries");
    let mut found = Vec::new();
    walk(&root, &root, &mut found);
    for (_, path) in &found {
        println!("cargo:rerun-if-changed={path}");
    }
    let mut src = String::from("/// (table name, TSV text) for every file under dictionaries/.\npub static EMBEDDED: &[(&str, &str)] = &[\n");
    for (name, path) in &found {
        src.push_str(&format!("    ({name:?}, include_str!({path:?})),\n"));
    }
    src.push_str("];\n");
    fs::write(
        Path::new(&env::var("OUT_DIR").unwrap()).join("embedded_dicts.rs"),
        src,
    )
    .unwrap();
}
