//! Cleans fixtures/seeds/*.txt with the default config into a directory (argument, default
//! `target/zh_en_seeds`) and prints each document's artifact score, passes and flags, so the
//! result can be scored with the project's evaluation script.
use std::path::PathBuf;

use textmend::{Cleaner, Config};

fn main() {
    let out = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "target/zh_en_seeds".into()),
    );
    std::fs::create_dir_all(&out).unwrap();
    let c = Cleaner::new(Config::default()).unwrap();
    let mut files: Vec<_> = std::fs::read_dir("fixtures/seeds")
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    for p in files {
        let input = std::fs::read(&p).unwrap();
        let cleaned = c.clean_bytes(&input);
        std::fs::write(out.join(p.file_name().unwrap()), &cleaned.text).unwrap();
        println!(
            "{}: score {:.2} zh_en {} passes {} edits {} flags {}",
            p.file_name().unwrap().to_string_lossy(),
            cleaned.profile.artifact_score,
            cleaned.profile.zh_en,
            cleaned.passes,
            cleaned.edits.len(),
            cleaned.flags.len()
        );
        println!(
            "    output score {:.2}",
            textmend::rules::score::artifact_score(&cleaned.text)
        );
        for f in &cleaned.flags {
            println!("    flag {} {:?}: {}", f.rule, f.text, f.message);
        }
    }
}
