//! Language identification and routing, end to end on fixtures/lang (see its README).

use std::path::{Path, PathBuf};

use textmend::lang::{detect, script, Candidates};
use textmend::{ArtifactKind, Cleaner, Config, Profile};

fn dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

/// (expected language, file name, text) for every fixture.
fn fixtures() -> Vec<(String, String, String)> {
    let mut v: Vec<_> = std::fs::read_dir(dir("lang"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            let lang = name.split("__").next().unwrap().to_string();
            (lang, name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    v.sort_by(|a, b| a.1.cmp(&b.1));
    v
}

fn seeds() -> Vec<String> {
    let mut v: Vec<_> = std::fs::read_dir(dir("seeds"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    v.iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

/// Every stretch of CJK text, in order.
fn cjk_stretches(text: &str) -> Vec<String> {
    script::scan(text)
        .cjk_zones
        .iter()
        .map(|z| text[z.start..z.end].to_string())
        .collect()
}

const DIRTY: &[&str] = &["en__mt_with_quote.txt"];

#[test]
fn at_least_ten_languages() {
    let mut langs: Vec<String> = fixtures().into_iter().map(|f| f.0).collect();
    langs.sort();
    langs.dedup();
    assert!(langs.len() >= 10, "{langs:?}");
}

#[test]
fn each_fixture_is_identified() {
    let c = Config::default();
    for (lang, name, text) in fixtures() {
        let p = Profile::compute(&text, &c);
        assert_eq!(p.lang, lang, "{name}: {p:?}");
        assert!(p.lang_confidence >= 0.5, "{name}: {}", p.lang_confidence);
    }
}

#[test]
fn clean_fixtures_come_back_untouched() {
    let cleaner = Cleaner::new(Config::default()).unwrap();
    for (lang, name, text) in fixtures() {
        if DIRTY.contains(&name.as_str()) {
            continue;
        }
        let out = cleaner.clean(&text);
        assert_eq!(out.text, text, "{name} changed");
        assert!(out.edits.is_empty(), "{name}: {:?}", out.edits);
        assert_eq!(out.profile.lang, lang, "{name}");
        // Only English documents can hold untranslated text.
        if lang != "en" {
            assert!(
                out.flags
                    .iter()
                    .all(|f| f.kind != ArtifactKind::Untranslated),
                "{name}: {:?}",
                out.flags
            );
        }
    }
}

#[test]
fn cjk_text_is_kept_byte_for_byte_and_cleaning_is_idempotent() {
    let cleaner = Cleaner::new(Config::default()).unwrap();
    for (_, name, text) in fixtures() {
        let out = cleaner.clean(&text);
        assert_eq!(cjk_stretches(&out.text), cjk_stretches(&text), "{name}");
        assert_eq!(
            textmend::text::apply_str(&text, &out.edits),
            out.text,
            "{name}: replay"
        );
        assert_eq!(
            cleaner.clean(&out.text).text,
            out.text,
            "{name}: not idempotent"
        );
    }
}

#[test]
fn english_with_a_chinese_quote() {
    let text = std::fs::read_to_string(dir("lang").join("en__chinese_quote.txt")).unwrap();
    let out = Cleaner::new(Config::default()).unwrap().clean(&text);
    assert_eq!(out.text, text);
    let flagged: Vec<&str> = out
        .flags
        .iter()
        .filter(|f| f.kind == ArtifactKind::Untranslated)
        .map(|f| f.text.as_str())
        .collect();
    assert_eq!(
        flagged,
        vec!["今年的春茶基本上没有了，只能等夏茶。", "农业农村局"]
    );
    let f = out
        .flags
        .iter()
        .find(|f| f.kind == ArtifactKind::Untranslated)
        .unwrap();
    assert!(f.message.contains("Chinese"), "{}", f.message);
    assert_eq!(&text[f.span.start..f.span.end], f.text);
    assert!(out
        .flags
        .iter()
        .all(|f| f.kind != ArtifactKind::MixedLanguage));
}

#[test]
fn machine_translated_english_around_a_chinese_quote() {
    let text = std::fs::read_to_string(dir("lang").join("en__mt_with_quote.txt")).unwrap();
    let out = Cleaner::new(Config::default()).unwrap().clean(&text);
    assert!(!out.edits.is_empty());
    assert!(out.text.contains("this week, trying"), "{}", out.text);
    assert!(
        out.text.contains("before the rains arrive.\n"),
        "{}",
        out.text
    );
    assert!(out.text.contains("宁可早三天，不可晚一时。"));
    assert!(out
        .flags
        .iter()
        .any(|f| f.kind == ArtifactKind::Untranslated && f.text == "宁可早三天，不可晚一时。"));
}

#[test]
fn bilingual_notice_is_mixed() {
    let text = std::fs::read_to_string(dir("lang").join("en__bilingual.txt")).unwrap();
    let out = Cleaner::new(Config::default()).unwrap().clean(&text);
    let mixed: Vec<_> = out
        .flags
        .iter()
        .filter(|f| f.kind == ArtifactKind::MixedLanguage)
        .collect();
    assert_eq!(mixed.len(), 1, "{:?}", out.flags);
    assert!(
        mixed[0].message.contains("Han") && mixed[0].message.contains("Latin"),
        "{}",
        mixed[0].message
    );
    assert_eq!(mixed[0].text, "关于暂停部分公交线路的通知");
    // A Chinese article with an English abstract is Chinese, not mixed.
    let text = std::fs::read_to_string(dir("lang").join("zh__english_abstract.txt")).unwrap();
    let out = Cleaner::new(Config::default()).unwrap().clean(&text);
    assert!(
        out.flags
            .iter()
            .all(|f| f.kind != ArtifactKind::MixedLanguage),
        "{:?}",
        out.flags
    );
}

#[test]
fn french_spacing_is_french() {
    let text = std::fs::read_to_string(dir("lang").join("fr__festival.txt")).unwrap();
    let cleaner = Cleaner::new(Config::default()).unwrap();
    assert_eq!(cleaner.clean(&text).text, text);
    // The same text, wrongly forced to English, would lose its French spacing: routing matters.
    let forced = Cleaner::new(Config {
        lang: Some("en".into()),
        ..Config::default()
    })
    .unwrap();
    assert!(forced.clean(&text).text.contains("souvent: les"));
}

#[test]
fn function_word_fast_path_agrees_with_lingua() {
    // The function-word test decides every English text alone, and never wrongly.
    let c = Config::default();
    for text in seeds() {
        let p = Profile::compute(&text, &c);
        assert_eq!(
            (p.lang.as_str(), p.lang_method.as_str()),
            ("en", "stopwords")
        );
    }
    for (lang, name, text) in fixtures() {
        let p = Profile::compute(&text, &c);
        let sample = detect::sample(&text, detect::SAMPLE_BYTES);
        if !p.is_latin() {
            continue; // decided by script; the stopword test never runs
        }
        // The function-word test, where it decides, agrees with lingua on the same sample.
        let all = Candidates::from_codes(&[]);
        let fast = detect::by_function_words(&sample, all);
        let slow = lingua::LanguageDetectorBuilder::from_all_languages()
            .build()
            .detect_language_of(sample.as_str())
            .map(|l| l.iso_code_639_1().to_string());
        if script::ScriptCensus::of(&sample).cjk() == 0 {
            assert_eq!(slow.as_deref(), Some(lang.as_str()), "{name}: lingua");
        }
        if let Some((fast, _)) = fast {
            assert_eq!(fast, lang, "{name}: function words");
        }
        if lang == "en" {
            assert!(fast.is_some(), "{name}: English is decided without lingua");
        }
        eprintln!("{name}: {}", p.lang_method);
    }
}

#[test]
fn zh_en_pack_routing() {
    let c = Config::default();
    // The pack opens on English text whose artifact score reaches the threshold, and only there.
    let mut opened = 0;
    for text in seeds() {
        let p = Profile::compute(&text, &c);
        assert_eq!(p.zh_en, p.artifact_score >= c.zh_en_min_score);
        opened += p.zh_en as usize;
    }
    assert!(opened >= 1, "{opened} of 5 seeds open the zh_en pack");
    for (lang, name, text) in fixtures() {
        let p = Profile::compute(&text, &c);
        assert_eq!(
            p.zh_en,
            name == "en__mt_with_quote.txt",
            "{name}: score {}",
            p.artifact_score
        );
        if lang != "en" {
            assert_eq!(p.artifact_score, 0.0, "{name}");
        }
    }
}

#[test]
fn candidate_languages() {
    let fixtures = fixtures();
    let de = &fixtures.iter().find(|f| f.1 == "de__bakery.txt").unwrap().2;
    let zh = &fixtures.iter().find(|f| f.1 == "zh__rail.txt").unwrap().2;
    let c = Config {
        langs: vec!["en".into(), "de".into()],
        ..Config::default()
    };
    assert_eq!(Profile::compute(de, &c).lang, "de");
    let c = Config {
        langs: vec!["en".into(), "fr".into()],
        ..Config::default()
    };
    assert!(["en", "fr"].contains(&Profile::compute(de, &c).lang.as_str()));
    assert_eq!(Profile::compute(zh, &c).lang, "und");
    let err = Cleaner::new(Config {
        langs: vec!["en".into(), "klingon".into()],
        ..Config::default()
    })
    .err()
    .expect("unknown code refused")
    .to_string();
    assert!(
        err.contains("klingon") && err.contains("ISO 639-1"),
        "{err}"
    );
}

#[test]
fn profile_serializes_language() {
    let text = "The company said on Tuesday that its profits had risen by more than a third over the year, and that it would hire more staff.";
    let p = Profile::compute(text, &Config::default());
    let v = serde_json::to_value(&p).unwrap();
    assert_eq!(v["lang"], "en");
    assert_eq!(v["lang_method"], "stopwords");
    assert!(v["lang_confidence"].as_f64().unwrap() > 0.5);
    assert!(v.get("paragraphs").is_none() && v.get("cjk_zones").is_none());
}
