//! Language identification: the script decides where it can; Latin-script text goes through a
//! function-word vote ([`by_function_words`]) and, when that is not decisive, lingua on a bounded
//! sample.
//!
//! Both look at a sample drawn from the beginning, middle and end of the document
//! ([`SAMPLE_BYTES`]); lingua, which scores n-grams at well under 1 MB/s here, sees at most
//! [`LINGUA_SAMPLE_BYTES`] of it. Its models are process-wide statics loaded on first use (tens of
//! milliseconds for the seven Latin-script candidates, so they are not preloaded); the detectors
//! (one per distinct candidate set) are built once and shared.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, RwLock};

use lingua::{Language, LanguageDetector, LanguageDetectorBuilder};

use super::script::{Script, ScriptCensus};

/// Languages textmend identifies (ISO 639-1), sorted.
pub const SUPPORTED: &[&str] = &[
    "ar", "de", "en", "es", "fr", "it", "ja", "ko", "pt", "ru", "vi", "zh",
];

/// Latin-script languages among [`SUPPORTED`]: the ones lingua decides between.
const LATIN: &[&str] = &["de", "en", "es", "fr", "it", "pt", "vi"];

/// Bytes of a document the function-word test sees at most (about 130 words).
pub const SAMPLE_BYTES: usize = 768;
/// Bytes of that sample lingua sees at most (lingua costs about 5 us per byte on this project's
/// machines; all seven Latin-script candidates are told apart from 256 bytes of news text).
pub const LINGUA_SAMPLE_BYTES: usize = 512;

/// How the language was decided.
pub mod method {
    pub const FORCED: &str = "forced";
    pub const SCRIPT: &str = "script";
    pub const STOPWORDS: &str = "stopwords";
    pub const LINGUA: &str = "lingua";
    pub const ONLY_CANDIDATE: &str = "only-candidate";
    pub const NONE: &str = "none";
}

/// An unknown language code, with the list of known ones.
pub fn check_code(code: &str) -> Result<(), String> {
    if SUPPORTED.contains(&code) {
        Ok(())
    } else {
        Err(format!(
            "unknown language code {code:?}: expected an ISO 639-1 code among {}",
            SUPPORTED.join(", ")
        ))
    }
}

fn language_of(code: &str) -> Option<Language> {
    Some(match code {
        "ar" => Language::Arabic,
        "de" => Language::German,
        "en" => Language::English,
        "es" => Language::Spanish,
        "fr" => Language::French,
        "it" => Language::Italian,
        "ja" => Language::Japanese,
        "ko" => Language::Korean,
        "pt" => Language::Portuguese,
        "ru" => Language::Russian,
        "vi" => Language::Vietnamese,
        "zh" => Language::Chinese,
        _ => return None,
    })
}

fn code_of(l: Language) -> &'static str {
    SUPPORTED
        .iter()
        .copied()
        .find(|c| language_of(c) == Some(l))
        .unwrap_or("und")
}

/// The candidate languages, as a bit set over [`SUPPORTED`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Candidates(u16);

impl Candidates {
    /// From a config's `langs` (empty = every supported language); unknown codes are ignored here
    /// (`Config::validate` refuses them).
    pub fn from_codes(codes: &[String]) -> Candidates {
        if codes.is_empty() {
            return Candidates((1 << SUPPORTED.len()) - 1);
        }
        let mut m = 0u16;
        for c in codes {
            if let Some(i) = SUPPORTED.iter().position(|s| s == c) {
                m |= 1 << i;
            }
        }
        Candidates(m)
    }

    pub fn has(&self, code: &str) -> bool {
        SUPPORTED
            .iter()
            .position(|s| *s == code)
            .is_some_and(|i| self.0 & (1 << i) != 0)
    }

    fn latin(&self) -> impl Iterator<Item = &'static str> + '_ {
        LATIN.iter().copied().filter(|c| self.has(c))
    }
}

/// The identified language.
#[derive(Debug, Clone, PartialEq)]
pub struct Identified {
    /// ISO 639-1 code or "und".
    pub lang: &'static str,
    pub confidence: f64,
    /// One of [`method`].
    pub method: &'static str,
}

impl Identified {
    fn new(lang: &'static str, confidence: f64, method: &'static str) -> Self {
        Identified {
            lang,
            confidence,
            method,
        }
    }
    fn unknown() -> Self {
        Identified::new("und", 0.0, method::NONE)
    }
}

/// Identifies the language of `text`, whose census is `census`, among `cands`.
pub fn identify(text: &str, census: &ScriptCensus, cands: Candidates) -> Identified {
    let by_script = |code: &'static str, conf: f64| {
        if cands.has(code) {
            Identified::new(code, conf, method::SCRIPT)
        } else {
            Identified::unknown()
        }
    };
    match census.main() {
        Script::Han | Script::Kana => {
            // Japanese mixes kanji and kana; Chinese has no kana (a stray の in a Chinese headline
            // stays well under a tenth).
            if census.kana * 10 >= census.han + census.kana {
                by_script("ja", 0.95)
            } else {
                by_script("zh", 0.95)
            }
        }
        Script::Hangul => by_script("ko", 0.95),
        // The only Cyrillic and Arabic-script candidates; other languages of those scripts exist,
        // hence the lower confidence.
        Script::Cyrillic => by_script("ru", 0.8),
        Script::Arabic => by_script("ar", 0.8),
        Script::Latin => latin(text, cands),
        Script::None | Script::Other => Identified::unknown(),
    }
}

fn latin(text: &str, cands: Candidates) -> Identified {
    let sample = sample(text, SAMPLE_BYTES);
    if let Some((lang, conf)) = by_function_words(&sample, cands) {
        return Identified::new(lang, conf, method::STOPWORDS);
    }
    let sample = self::sample(&sample, LINGUA_SAMPLE_BYTES);
    let latin: Vec<&'static str> = cands.latin().collect();
    match latin.len() {
        0 => Identified::unknown(),
        1 => Identified::new(latin[0], 0.5, method::ONLY_CANDIDATE),
        _ => {
            let det = detector(cands);
            let values = det.compute_language_confidence_values(sample.as_str());
            match values.first() {
                Some((l, c)) if *c > 0.0 => Identified::new(code_of(*l), *c, method::LINGUA),
                _ => Identified::unknown(),
            }
        }
    }
}

static DEFAULT_DETECTOR: LazyLock<Arc<LanguageDetector>> =
    LazyLock::new(|| Arc::new(build_detector(Candidates::from_codes(&[]))));
static DETECTORS: LazyLock<RwLock<HashMap<Candidates, Arc<LanguageDetector>>>> =
    LazyLock::new(|| RwLock::new(HashMap::new()));

fn build_detector(cands: Candidates) -> LanguageDetector {
    let langs: Vec<Language> = cands.latin().filter_map(language_of).collect();
    LanguageDetectorBuilder::from_languages(&langs).build()
}

/// The shared detector for the Latin-script languages among `cands` (built once per set).
fn detector(cands: Candidates) -> Arc<LanguageDetector> {
    if cands == Candidates::from_codes(&[]) {
        return Arc::clone(&DEFAULT_DETECTOR);
    }
    if let Some(d) = DETECTORS
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .get(&cands)
    {
        return Arc::clone(d);
    }
    let mut w = DETECTORS.write().unwrap_or_else(|e| e.into_inner());
    Arc::clone(
        w.entry(cands)
            .or_insert_with(|| Arc::new(build_detector(cands))),
    )
}

/// Loads lingua's models for the default candidate set now rather than on the first document
/// that needs them (useful before timing, or before a parallel run).
pub fn warm_up() {
    let d = detector(Candidates::from_codes(&[]));
    for s in [
        "the house is red",
        "das Haus ist rot",
        "la maison est rouge",
        "la casa es roja",
        "a casa é vermelha",
        "la casa è rossa",
        "ngôi nhà màu đỏ",
    ] {
        let _ = d.compute_language_confidence_values(s);
    }
}

/// Up to `budget` bytes of `text`: all of it when short, otherwise three windows (beginning,
/// middle, end), each cut on char boundaries and, where one is near, on whitespace.
pub fn sample(text: &str, budget: usize) -> String {
    if text.len() <= budget {
        return text.to_string();
    }
    let w = budget / 3;
    let mut out = String::with_capacity(budget + 2);
    for start in [0, text.len() / 2 - w / 2, text.len() - w] {
        let (s, e) = window(text, start, start + w);
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&text[s..e]);
    }
    out
}

/// `start..end` moved onto char boundaries, then inward to whitespace when some lies within 32
/// bytes (so no word is cut in half).
fn window(text: &str, mut start: usize, mut end: usize) -> (usize, usize) {
    end = end.min(text.len());
    while !text.is_char_boundary(start) {
        start += 1;
    }
    while end > start && !text.is_char_boundary(end) {
        end -= 1;
    }
    if start > 0 {
        if let Some(i) = text[start..end]
            .char_indices()
            .take(32)
            .find(|(_, c)| c.is_whitespace())
        {
            start += i.0;
        }
    }
    if end < text.len() {
        if let Some((i, _)) = text[start..end]
            .char_indices()
            .rev()
            .take(32)
            .find(|(_, c)| c.is_whitespace())
        {
            end = start + i;
        }
    }
    (start, end)
}

/// Function words of each Latin-script candidate, frequent in news and (as far as this list
/// goes) used by no other candidate: words shared between candidates ("de", "la", "que", "a",
/// "in", "per", "com", "do", "das") are left out, so each word is a vote for one language.
const FUNCTION_WORDS: &[(&str, &[&str])] = &[
    (
        "en",
        &[
            "the", "of", "and", "to", "is", "for", "that", "with", "by", "are", "was", "it", "at",
            "from", "be", "has", "have", "this", "will", "an", "its", "which", "were", "been",
            "had", "said", "they", "their", "he", "she", "we", "would", "more", "than", "also",
            "after", "about", "not", "but", "or", "his", "her", "who",
        ],
    ),
    (
        "de",
        &[
            "der", "die", "und", "ist", "nicht", "ein", "eine", "mit", "von", "den", "dem", "zu",
            "auf", "für", "sich", "im", "auch", "wird", "werden", "nach", "bei", "aus", "hat",
            "sie",
        ],
    ),
    (
        "fr",
        &[
            "le", "les", "des", "et", "est", "une", "du", "qui", "pour", "dans", "pas", "sur",
            "au", "aux", "été", "ont", "sont", "avec", "ce", "cette", "ne", "leur", "selon",
        ],
    ),
    (
        "es",
        &[
            "el", "los", "las", "y", "por", "más", "pero", "sus", "fue", "según", "su", "muy",
            "entre", "sobre", "también", "han", "hay", "ya", "tras", "hasta", "aunque", "mientras",
            "cuando", "otra", "otros",
        ],
    ),
    (
        "pt",
        &[
            "os", "um", "em", "não", "nas", "ao", "pelo", "pela", "mais", "foi", "é", "são", "seu",
            "sua", "ainda", "uma", "às", "até", "seus", "suas", "depois", "então", "isso", "essa",
            "esse", "pode", "já", "muito", "ela", "ele", "eles",
        ],
    ),
    (
        "it",
        &[
            "il", "gli", "della", "di", "è", "che", "sono", "nel", "nella", "alla", "dei", "delle",
            "anche", "più", "ha", "degli", "sul",
        ],
    ),
    (
        "vi",
        &[
            "và", "của", "là", "có", "không", "những", "được", "trong", "cho", "người", "các",
            "một", "này", "đã", "với", "ở", "khi", "để", "sẽ", "cũng", "từ", "nhưng", "theo",
            "hơn", "sau", "đến", "rất", "lại", "bị", "mà",
        ],
    ),
];

/// FNV-1a: function words are a few bytes long, where SipHash's setup dominates.
#[derive(Default, Clone, Copy)]
struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type FnvMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;

/// Word -> index into [`FUNCTION_WORDS`]; a word listed twice by mistake keeps its first language.
static FUNCTION_WORD_INDEX: LazyLock<FnvMap<&'static str, usize>> = LazyLock::new(|| {
    let mut m = FnvMap::default();
    for (i, (_, words)) in FUNCTION_WORDS.iter().enumerate() {
        for w in *words {
            m.entry(*w).or_insert(i);
        }
    }
    m
});

/// Decides a Latin-script language alone when its function words make it clear: at least 20
/// words, at least [`MIN_FUNCTION_SHARE`] of them (and at least 6) function words of one candidate, and four times
/// as many as those of any other candidate. Returns (code, confidence), or `None` to defer to
/// lingua.
pub fn by_function_words(sample: &str, cands: Candidates) -> Option<(&'static str, f64)> {
    let index = &*FUNCTION_WORD_INDEX;
    let mut votes = [0usize; 7];
    let mut words = 0usize;
    let mut buf = [0u8; 12];
    for w in sample
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
    {
        words += 1;
        let hit = if w.len() > buf.len() {
            None
        } else if w.is_ascii() {
            // Lower-case into a stack buffer: no allocation for the common case.
            let b = &mut buf[..w.len()];
            b.copy_from_slice(w.as_bytes());
            b.make_ascii_lowercase();
            std::str::from_utf8(b)
                .ok()
                .and_then(|k| index.get(k).copied())
        } else {
            index.get(w.to_lowercase().as_str()).copied()
        };
        if let Some(i) = hit {
            votes[i] += 1;
        }
    }
    if words < 20 {
        return None;
    }
    let mut ranked: Vec<(usize, usize)> = votes
        .iter()
        .copied()
        .enumerate()
        .filter(|(i, _)| cands.has(FUNCTION_WORDS[*i].0))
        .collect();
    ranked.sort_by_key(|r| std::cmp::Reverse(r.1));
    let (best, n) = *ranked.first()?;
    let runner_up = ranked.get(1).map_or(0, |r| r.1);
    let share = n as f64 / words as f64;
    (share >= MIN_FUNCTION_SHARE && n >= 6 && n >= 4 * runner_up)
        .then(|| (FUNCTION_WORDS[best].0, (0.6 + share).min(0.99)))
}

/// Share of words that must be function words of the winning language.
pub const MIN_FUNCTION_SHARE: f64 = 0.1;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        assert!(check_code("fr").is_ok());
        let e = check_code("xx").unwrap_err();
        assert!(e.contains("\"xx\"") && e.contains("en, es"), "{e}");
        assert!(check_code("EN").is_err());
        for c in SUPPORTED {
            assert_eq!(code_of(language_of(c).unwrap()), *c);
        }
    }

    #[test]
    fn candidates() {
        let all = Candidates::from_codes(&[]);
        assert!(SUPPORTED.iter().all(|c| all.has(c)));
        let some = Candidates::from_codes(&["en".into(), "zh".into()]);
        assert!(some.has("en") && some.has("zh") && !some.has("fr"));
        assert_eq!(some.latin().collect::<Vec<_>>(), vec!["en"]);
    }

    #[test]
    fn sample_is_bounded_and_on_boundaries() {
        let text = "Ünïcödé wörds ".repeat(500) + &"中文".repeat(300);
        let s = sample(&text, SAMPLE_BYTES);
        assert!(s.len() <= SAMPLE_BYTES + 2, "{}", s.len());
        assert!(s.starts_with("Ünïcödé"));
        assert!(s.contains('中'));
        assert_eq!(sample("short", SAMPLE_BYTES), "short");
    }

    #[test]
    fn function_words_decide_clear_cases() {
        let all = Candidates::from_codes(&[]);
        let en = "The company said on Tuesday that its profits had risen by more than a third, \
                  and that it would open two new plants in the north of the country next year.";
        assert_eq!(by_function_words(en, all).map(|r| r.0), Some("en"));
        let fr = "Le gouvernement a annoncé mardi que les prix de l'énergie seront gelés pour \
                  les ménages et les petites entreprises jusqu'à la fin de l'année prochaine.";
        assert_eq!(by_function_words(fr, all).map(|r| r.0), Some("fr"));
        // Without French among the candidates, the French words are no vote for anything else.
        assert_eq!(
            by_function_words(fr, Candidates::from_codes(&["en".into(), "de".into()])),
            None
        );
        assert!(by_function_words("The end.", all).is_none());
        // Half English, half German: no decision.
        let both = "The company said that it would open two plants. Die Firma sagte, dass sie \
                    zwei neue Werke in der Region bauen wird und die Arbeit bald beginnt.";
        assert_eq!(by_function_words(both, all), None);
    }

    #[test]
    fn function_words_belong_to_one_language() {
        let mut seen = std::collections::HashMap::new();
        for (lang, words) in FUNCTION_WORDS {
            assert!(Candidates::from_codes(&[]).has(lang));
            for w in *words {
                assert_eq!(w.to_lowercase(), *w);
                if let Some(other) = seen.insert(*w, *lang) {
                    panic!("{w:?} listed for {other} and {lang}");
                }
            }
        }
    }

    #[test]
    fn lingua_decides_latin_languages() {
        let cases = [
            ("de", "Die Regierung hat am Dienstag angekündigt, dass die Energiepreise für Haushalte eingefroren werden."),
            ("es", "El gobierno anunció el martes que los precios de la energía se congelarán para los hogares."),
            ("pt", "O governo anunciou na terça-feira que os preços da energia serão congelados para as famílias."),
            ("it", "Il governo ha annunciato martedì che i prezzi dell'energia saranno congelati per le famiglie."),
        ];
        let all = Candidates::from_codes(&[]);
        for (code, text) in cases {
            let id = identify(text, &ScriptCensus::of(text), all);
            assert_eq!(id.lang, code, "{text}");
            assert_eq!(id.method, method::LINGUA);
        }
    }

    #[test]
    fn candidates_restrict_the_answer() {
        let zh = "这是一个中文句子，没有别的。";
        let only_en = Candidates::from_codes(&["en".into()]);
        assert_eq!(identify(zh, &ScriptCensus::of(zh), only_en).lang, "und");
        let de = "Die Regierung hat am Dienstag angekündigt, dass die Preise eingefroren werden.";
        let en_fr = Candidates::from_codes(&["en".into(), "fr".into()]);
        let id = identify(de, &ScriptCensus::of(de), en_fr);
        assert!(["en", "fr"].contains(&id.lang), "{id:?}");
        let en_de = Candidates::from_codes(&["en".into(), "de".into()]);
        assert_eq!(identify(de, &ScriptCensus::of(de), en_de).lang, "de");
    }
}
