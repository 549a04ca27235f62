//! Invariants of the cleaner on generated input (proptest):
//!
//! - replay: applying the change log to the input gives the output, byte for byte;
//! - idempotence: cleaning the output again changes nothing and logs no edit;
//! - edits are sorted, non-overlapping and on char boundaries of the input;
//! - flags' output spans are on char boundaries of the output.
//!
//! Inputs mix the artifacts the rules repair (spaced punctuation, CJK punctuation and text, Chinese
//! dates, Unicode oddities, mojibake, CRLF, blank lines) with clean look-alikes, and arbitrary bytes.

use std::sync::LazyLock;

use proptest::prelude::*;
use textmend::text::apply;
use textmend::{Cleaned, Cleaner, Config};

/// The default cleaner, and one that forces English and opens the zh_en gate so every rule runs.
static CLEANERS: LazyLock<[Cleaner; 2]> = LazyLock::new(|| {
    let open = Config {
        lang: Some("en".into()),
        zh_en_min_score: 0.0,
        ..Config::default()
    };
    [
        Cleaner::new(Config::default()).unwrap(),
        Cleaner::new(open).unwrap(),
    ]
});

const FRAGMENTS: &[&str] = &[
    "Shanghai",
    "the",
    "company",
    "said",
    "Employees",
    "Dragging luggage",
    "Co., Ltd",
    "U.S.",
    "e.g.",
    "a.m.",
    "3.5",
    "1,200",
    "15:53:58",
    "3:1",
    ".5",
    "...",
    ". . .",
    "!!",
    "?!",
    "https://x.y/a?b=c,d",
    "ann@example.com",
    "5 month 3",
    "4 month 23 since",
    "380 Left and right",
    "23 Thousands of pieces",
    "(Reuters)",
    "( End )",
    " ",
    "  ",
    " , ",
    " . ",
    " ; ",
    " : ",
    " ! ",
    " ? ",
    ",",
    ".",
    ";",
    ":",
    "!",
    "?",
    "(",
    ")",
    "( ",
    " )",
    "“",
    "”",
    "“ ",
    " ”",
    "‘ ",
    " ’",
    "’",
    "\"",
    "'",
    "、",
    " 、 ",
    "，",
    "。",
    "：",
    "；",
    "！",
    "？",
    "（",
    "）",
    "《",
    "》",
    "【",
    "】",
    "《 Guidance 》",
    "他说",
    "好",
    "红楼梦",
    "東京は",
    "２０２２",
    "ＧＤＰ",
    "\u{A0}",
    "\u{202F}",
    "\u{3000}",
    "\u{200B}",
    "\u{200D}",
    "\u{FEFF}",
    "\u{AD}",
    "\u{0}",
    "\u{7}",
    "\u{92}",
    "\u{9D}",
    "e\u{301}",
    "\u{F900}",
    "Ã©",
    "â€™",
    "â€œ",
    "â€",
    "ÃƒÂ©",
    "Ð¿Ñ€Ð¸",
    "café",
    "Größe",
    "niño",
    "«",
    "»",
    "„Ja“",
    "\t",
    "\n",
    "\r\n",
    "\r",
    "\n\n\n",
    "\n  \n",
    " \n",
    "7",
    "2022",
    "%",
    "$",
    "-",
    "/",
    "😀",
    "👨\u{200D}👩",
];

fn artifact_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 0..40).prop_map(|v| {
        let mut s = String::new();
        for (i, f) in v.iter().enumerate() {
            // Words mostly separated by spaces, sometimes glued to their neighbours.
            if i > 0 && i % 3 != 0 && f.chars().next().is_some_and(char::is_alphanumeric) {
                s.push(' ');
            }
            s.push_str(f);
        }
        s
    })
}

fn check_invariants(c: &Cleaner, input: &[u8], out: &Cleaned) -> Result<(), TestCaseError> {
    prop_assert_eq!(
        apply(input, &out.edits),
        out.text.as_bytes().to_vec(),
        "replay failed for {:?}",
        String::from_utf8_lossy(input)
    );
    let as_str = std::str::from_utf8(input).ok();
    let mut pos = 0;
    for e in &out.edits {
        prop_assert!(
            e.span.start <= e.span.end && e.span.end <= input.len(),
            "edit out of range: {:?}",
            e
        );
        prop_assert!(
            e.span.start >= pos,
            "edits overlap or are unsorted: {:?}",
            out.edits
        );
        if let Some(s) = as_str {
            prop_assert!(
                s.is_char_boundary(e.span.start) && s.is_char_boundary(e.span.end),
                "edit not on char boundaries: {:?} in {:?}",
                e,
                s
            );
        }
        pos = e.span.end;
    }
    for f in &out.flags {
        prop_assert!(
            f.out_span.end <= out.text.len()
                && out.text.is_char_boundary(f.out_span.start)
                && out.text.is_char_boundary(f.out_span.end),
            "flag out_span not on char boundaries: {:?}",
            f
        );
    }
    let again = c.clean(&out.text);
    prop_assert_eq!(
        &again.text,
        &out.text,
        "not idempotent for {:?}",
        String::from_utf8_lossy(input)
    );
    prop_assert!(
        again.edits.is_empty(),
        "second run made edits: {:?}",
        again.edits
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn invariants_on_artifact_text(s in artifact_text()) {
        for c in CLEANERS.iter() {
            let out = c.clean(&s);
            check_invariants(c, s.as_bytes(), &out)?;
        }
    }

    #[test]
    fn invariants_on_arbitrary_bytes(b in prop::collection::vec(any::<u8>(), 0..200)) {
        for c in CLEANERS.iter() {
            let out = c.clean_bytes(&b);
            check_invariants(c, &b, &out)?;
        }
    }

    #[test]
    fn invariants_on_arbitrary_strings(s in "\\PC{0,80}") {
        for c in CLEANERS.iter() {
            let out = c.clean(&s);
            check_invariants(c, s.as_bytes(), &out)?;
        }
    }
}

/// The generator is worth its time: most generated texts need repairs.
#[test]
fn generated_texts_mostly_need_repairs() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = artifact_text();
    let (mut edited, mut total, mut passes) = (0, 0, 0);
    for _ in 0..200 {
        let s = strategy.new_tree(&mut runner).unwrap().current();
        let out = CLEANERS[1].clean(&s);
        total += 1;
        passes = passes.max(out.passes);
        if !out.edits.is_empty() {
            edited += 1;
        }
    }
    assert!(
        edited * 10 >= total * 7,
        "only {edited} of {total} generated texts were edited"
    );
    assert!(passes >= 2, "the fix loop never needed a second pass");
}
