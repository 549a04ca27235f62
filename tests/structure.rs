//! The `structure` pack on the seed articles: the chrome that the references drop is gone, every
//! reference paragraph is still there (up to the in-line repairs of the other packs), and the
//! page's metadata is kept.

use std::collections::BTreeMap;
use std::path::Path;

use textmend::{Cleaned, Cleaner, Config};

fn seeds() -> Vec<(String, String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut v: Vec<_> = std::fs::read_dir(root.join("seeds"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    v.sort();
    v.into_iter()
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            let raw = std::fs::read_to_string(&p).unwrap();
            let exp =
                std::fs::read_to_string(root.join("seeds-expected").join(p.file_name().unwrap()))
                    .unwrap();
            (name, raw, exp)
        })
        .collect()
}

fn structure_only() -> Cleaner {
    Cleaner::new(Config {
        only: vec!["structure".into()],
        ..Config::default()
    })
    .unwrap()
}

/// Letters and digits only, lower case: compares paragraphs modulo spacing, case and punctuation.
fn skeleton(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Words (skeletons) of a paragraph.
fn words(s: &str) -> Vec<String> {
    s.split_whitespace()
        .map(skeleton)
        .filter(|w| !w.is_empty())
        .collect()
}

/// Share of the reference paragraph's words found in the output paragraph (multiset overlap).
fn overlap(reference: &str, out: &str) -> f64 {
    let mut bag: BTreeMap<String, i32> = BTreeMap::new();
    for w in words(out) {
        *bag.entry(w).or_default() += 1;
    }
    let r = words(reference);
    let mut hit = 0;
    for w in &r {
        if let Some(n) = bag.get_mut(w) {
            if *n > 0 {
                *n -= 1;
                hit += 1;
            }
        }
    }
    hit as f64 / r.len().max(1) as f64
}

fn paragraphs(s: &str) -> Vec<&str> {
    s.split('\n')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect()
}

fn clean_all() -> Vec<(String, String, String, Cleaned)> {
    let c = structure_only();
    seeds()
        .into_iter()
        .map(|(n, raw, exp)| {
            let out = c.clean(&raw);
            assert_eq!(
                textmend::text::apply_str(&raw, &out.edits),
                out.text,
                "{n}: replay"
            );
            assert_eq!(c.clean(&out.text).text, out.text, "{n}: idempotence");
            assert!(
                out.flags.iter().all(|f| f.rule != "engine/fix-loop"),
                "{n}: fix loop did not settle"
            );
            (n, raw, exp, out)
        })
        .collect()
}

#[test]
fn seeds_keep_every_reference_paragraph_in_order() {
    for (n, _, exp, out) in clean_all() {
        let got = paragraphs(&out.text);
        let want = paragraphs(&exp);
        assert_eq!(got.len(), want.len(), "{n}: paragraph count\n{}", out.text);
        for (g, w) in got.iter().zip(&want) {
            let o = overlap(w, g);
            assert!(
                o >= 0.6,
                "{n}: paragraph differs ({o:.2}):\n got: {g}\nwant: {w}"
            );
        }
        // Title on the first line.
        assert_eq!(skeleton(got[0]), skeleton(want[0]), "{n}: title");
    }
}

#[test]
fn seeds_lose_exactly_the_chrome_lines() {
    for (n, raw, exp, out) in clean_all() {
        let kept: Vec<String> = paragraphs(&out.text).iter().map(|p| skeleton(p)).collect();
        let want: Vec<String> = paragraphs(&exp).iter().map(|p| skeleton(p)).collect();
        for line in paragraphs(&raw) {
            let in_out = kept.iter().any(|k| *k == skeleton(line));
            let in_ref = paragraphs(&exp)
                .iter()
                .any(|w| overlap(w, line) >= 0.6 && overlap(line, w) >= 0.6);
            if !in_ref {
                assert!(!in_out, "{n}: chrome line kept: {line}");
            }
        }
        assert_eq!(kept.len(), want.len(), "{n}");
    }
}

#[test]
fn seed_metadata() {
    let all = clean_all();
    let meta = |prefix: &str| {
        all.iter()
            .find(|x| x.0.starts_with(prefix))
            .unwrap()
            .3
            .metadata
            .clone()
    };
    let m1 = meta("001");
    assert_eq!(m1["date"], "2022-05-07T15:53:58");
    assert_eq!(m1["author"], "Moon shadow dune");
    assert_eq!(m1["source"], "Xinhua News Agency");
    assert_eq!(m1["title"], "As the machine turns and the service runs, Shanghai Songjiang accelerates the resumption of work and production");
    assert_eq!(m1["reporter"], "Yao Yujie, Gong Wen, Sun Qing");
    assert_eq!(m1["dateline"], "Shanghai");
    let m0 = meta("000");
    assert_eq!(m0["reporter"], "She Xiaochen");
    assert_eq!(m0["image_source"], "Figure Worm Creative");
    let m4 = meta("004");
    assert_eq!(m4["reporter"], "Zheng Yingying");
    assert_eq!(m4["dateline"], "Shanghai");
}

#[test]
fn seed_edits_are_chrome_or_labels() {
    for (n, _, _, out) in clean_all() {
        for e in &out.edits {
            assert!(e.rule.starts_with("structure/"), "{n}: {:?}", e);
        }
    }
}

/// Clean articles in several languages: not one edit.
#[test]
fn clean_text_is_untouched() {
    let c = structure_only();
    for doc in [
        "Factories reopen across the region\n\nOutput rose 5% in May, the statistics office said on Tuesday.\n\nReaders can leave a comment on the ministry's website, officials said.\n\nThe court ruled on the copyright notice last week.\n",
        "Exports rise in May\n\nExports rose in May as factories reopened, the customs office said.\n\nImage sources vary, and each credit is checked by the editors.\n\nSource: Jiemian News\n",
        "上海工厂全面复工\n\n记者从市经信委获悉，截至目前，全市规模以上工业企业复工率已超过九成。\n\n读者可以在网站上发表评论。\n",
        "Las fábricas reabren en la región\n\nLa producción subió un 5% en mayo, dijo la oficina de estadística.\n\nLos lectores pueden dejar un comentario en la web.\n",
        "Die Fabriken öffnen wieder\n\nDie Produktion stieg im Mai um 5 Prozent, teilte das Amt mit.\n",
        "Les usines rouvrent\n\nLa production a augmenté de 5 % en mai, selon l'office.\n",
        "Заводы возобновили работу\n\nПроизводство выросло на 5% в мае, сообщило ведомство.\n",
        "工場が再開\n\n5月の生産は5%増加したと当局が発表した。\n",
    ] {
        let out = c.clean(doc);
        assert_eq!(out.text, doc);
        assert!(out.edits.is_empty(), "{:?}", out.edits);
    }
}

/// Every structure rule at once: chrome lines placed inside an article go, look-alike article
/// sentences stay (several languages).
#[test]
fn whole_pack_table() {
    let c = structure_only();
    let chrome = [
        "current position:Home>Markets",
        "Home > News Center > Domestic",
        "您的位置：首页 > 新闻中心 > 正文",
        "2022-05-07 15:53:58Moon shadow dune",
        "Visit the original URL",
        "Image source: Figure Worm Creative",
        "Leave a Reply",
        "Required fields are marked *",
        "copyright notice",
        "This article is reprinted from:",
        "Random recommended",
        "The post Markets rally appeared first on Daily Wire.",
        "发表评论",
        "版权声明：本文为原创文章。",
        "Deja una respuesta",
        "Laisser un commentaire",
        "Schreibe einen Kommentar",
        "Оставить комментарий",
        "コメントを残す",
        "Factories reopen across Songjiang district 、 work resumes",
    ];
    let title = "Factories reopen across Songjiang district as work resumes";
    for line in chrome {
        let doc = format!("{title}\n\nOutput rose 5% in May, the office said.\n\n{line}\n\nThe plant will expand next year.\n");
        let out = c.clean(&doc);
        assert_eq!(
            out.text,
            format!("{title}\n\nOutput rose 5% in May, the office said.\n\nThe plant will expand next year.\n"),
            "{line}"
        );
        assert!(out
            .edits
            .iter()
            .all(|e| e.kind == textmend::ArtifactKind::Chrome));
    }
    let article = [
        "The court ruled on the copyright notice last week.",
        "Readers can leave a comment on the ministry's website.",
        "Read on to find out how the plan will work.",
        "The post office reopened on Monday.",
        "Home prices rose 3% in May, the bureau said.",
        "In 2022, 15 factories reopened in the district.",
        "2022-05-07 15:53 The market opened higher, traders said.",
        "Factories in the district reopened in May after work resumed, officials said on Monday.",
        "The source of the leak was found, police said.",
        "Media coverage of the strike has been intense.",
        "Related events in Beijing drew large crowds.",
        "He said the reprint was approved by the original author.",
        "读者可以在网站上发表评论。",
        "这篇文章的版权声明引发了争议。",
        "Los lectores pueden dejar un comentario en la web.",
        "Les lecteurs peuvent laisser un commentaire sur le site.",
        "Der Minister will einen Kommentar schreiben.",
        "Читатели могут оставить комментарий на сайте.",
        "関連記事によると、工場は再開した。",
        "The band played New York New York at the end.",
    ];
    for line in article {
        let doc = format!(
            "{title}\n\nOutput rose 5% in May.\n\n{line}\n\nThe plant will expand next year.\n"
        );
        let out = c.clean(&doc);
        assert_eq!(out.text, doc, "{line}");
        assert!(out.edits.is_empty(), "{line}: {:?}", out.edits);
    }
}
