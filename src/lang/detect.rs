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
use crate::text::lanes::{at_least, LANE_HI, LANE_LO, LANE_LO7};

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

/// A word lower-cased and packed into a `u64`, one byte a position (little end first): `None`
/// when the lower-cased word is longer than 8 bytes (no function word is; see the tests). Words
/// are runs of alphabetic characters, so no byte is 0 and the packing is one-to-one.
///
/// A non-ASCII word is lower-cased char by char: the same as `str::to_lowercase` except for a
/// final "Σ", and no function word holds a sigma.
#[inline]
fn word_key(w: &str) -> Option<u64> {
    if w.is_ascii() {
        return ascii_word_key(w.as_bytes(), 0, w.len());
    }
    let mut k = 0u64;
    let mut n = 0;
    for c in w.chars().flat_map(char::to_lowercase) {
        for &x in c.encode_utf8(&mut [0; 4]).as_bytes() {
            if n == 8 {
                return None;
            }
            k |= u64::from(x) << (8 * n);
            n += 1;
        }
    }
    Some(k)
}

/// [`word_key`] of the ASCII word `b[start..end]`.
#[inline]
fn ascii_word_key(b: &[u8], start: usize, end: usize) -> Option<u64> {
    let len = end - start;
    if len > 8 {
        return None;
    }
    let word = match b.get(start..start + 8) {
        Some(w) => u64::from_le_bytes(w.try_into().expect("8 bytes")),
        None => {
            let mut buf = [0u8; 8];
            buf[..len].copy_from_slice(&b[start..end]);
            u64::from_le_bytes(buf)
        }
    };
    let mask = u64::MAX >> (8 * (8 - len));
    // ASCII letters: setting bit 5 lower-cases them.
    Some((word | 0x2020_2020_2020_2020) & mask)
}

/// Function words by [`word_key`]: an open-addressing table of (key, index into
/// [`FUNCTION_WORDS`]), key 0 marking an empty slot.
struct WordTable(Box<[(u64, u8)]>);

impl WordTable {
    const SLOTS: usize = 512;

    fn slot(k: u64) -> usize {
        (k.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - Self::SLOTS.trailing_zeros())) as usize
    }

    fn get(&self, k: u64) -> Option<usize> {
        let mut s = Self::slot(k);
        loop {
            let (key, i) = self.0[s];
            if key == k {
                return Some(i as usize);
            }
            if key == 0 {
                return None;
            }
            s = (s + 1) % Self::SLOTS;
        }
    }
}

/// A word listed twice by mistake keeps its first language.
static FUNCTION_WORD_TABLE: LazyLock<WordTable> = LazyLock::new(|| {
    let mut t = vec![(0u64, 0u8); WordTable::SLOTS].into_boxed_slice();
    for (i, (_, words)) in FUNCTION_WORDS.iter().enumerate() {
        for w in *words {
            let k = word_key(w).expect("function words are at most 8 bytes long");
            let mut s = WordTable::slot(k);
            while t[s].0 != 0 && t[s].0 != k {
                s = (s + 1) % WordTable::SLOTS;
            }
            if t[s].0 == 0 {
                t[s] = (k, i as u8);
            }
        }
    }
    WordTable(t)
});

/// Decides a Latin-script language alone when its function words make it clear: at least 20
/// words, at least [`MIN_FUNCTION_SHARE`] of them (and at least 6) function words of one candidate, and four times
/// as many as those of any other candidate. Returns (code, confidence), or `None` to defer to
/// lingua.
pub fn by_function_words(sample: &str, cands: Candidates) -> Option<(&'static str, f64)> {
    let (votes, words) = function_word_votes(sample);
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

/// Votes per language of [`FUNCTION_WORDS`] in `sample`, and its number of words (the runs of
/// alphabetic characters).
fn function_word_votes(sample: &str) -> ([usize; 7], usize) {
    let table = &*FUNCTION_WORD_TABLE;
    let mut votes = [0usize; 7];
    let mut words = 0usize;
    let b = sample.as_bytes();
    // The length of the character at `i` when it is alphabetic, else `None`.
    let letter = |i: usize| -> Option<usize> {
        let x = b[i];
        if x < 0x80 {
            x.is_ascii_alphabetic().then_some(1)
        } else {
            let c = sample[i..].chars().next().expect("a char at a boundary");
            c.is_alphabetic().then(|| c.len_utf8())
        }
    };
    let mut i = 0;
    while i < b.len() {
        // Eight ASCII bytes at a time where they are available: `i` starts a token (a word or a
        // non-letter character), so a stretch of ASCII non-letters is passed over, and a word
        // of ASCII letters that ends on an ASCII non-letter within the eight bytes is taken
        // whole. Anything else (a non-ASCII byte first, a word of eight letters or more, the
        // text's last bytes) takes the char-by-char path below.
        if let Some(w) = b.get(i..i + 8) {
            let x = u64::from_le_bytes(w.try_into().expect("8 bytes"));
            let letters = ascii_letter_lanes(x);
            let high = x & LANE_HI;
            if letters & 0x80 == 0 {
                let stop = letters | high;
                if stop == 0 {
                    i += 8;
                    continue;
                }
                if stop & 0x80 == 0 {
                    i += (stop.trailing_zeros() / 8) as usize;
                    continue;
                }
            } else if let Some(end) = ascii_word_end(b, i, x, letters) {
                words += 1;
                let len = end - i;
                if len <= 8 {
                    let key = (x | 0x2020_2020_2020_2020) & (u64::MAX >> (8 * (8 - len)));
                    if let Some(l) = table.get(key) {
                        votes[l] += 1;
                    }
                }
                // The word ended inside these eight bytes: the ASCII non-letters after it in
                // them are passed over at once, to the next letter or non-ASCII byte there.
                i = if len < 8 {
                    let rest = (letters | high) >> (8 * len);
                    if rest == 0 {
                        i + 8
                    } else {
                        end + (rest.trailing_zeros() / 8) as usize
                    }
                } else {
                    end
                };
                continue;
            }
        }
        let Some(len) = letter(i) else {
            i += if b[i] < 0x80 {
                1
            } else {
                sample[i..].chars().next().map_or(1, char::len_utf8)
            };
            continue;
        };
        let start = i;
        let mut ascii = len == 1;
        i += len;
        while i < b.len() {
            if b[i].is_ascii_alphabetic() {
                i += 1;
            } else if let Some(len) = (b[i] >= 0x80).then(|| letter(i)).flatten() {
                ascii = false;
                i += len;
            } else {
                break;
            }
        }
        words += 1;
        // A word of more than 12 bytes is no function word.
        let key = if ascii {
            ascii_word_key(b, start, i)
        } else {
            (i - start <= 12)
                .then(|| word_key(&sample[start..i]))
                .flatten()
        };
        if let Some(l) = key.and_then(|k| table.get(k)) {
            votes[l] += 1;
        }
    }
    (votes, words)
}

/// The high bit of each byte lane of `x` set exactly where the byte is an ASCII letter. Each
/// lane's low seven bits (bit 5 set, so upper case reads as lower case) plus a constant below
/// 0x80 stay under 0x100, so no carry crosses lanes; bytes of 0x80 and above are masked out.
#[inline(always)]
fn ascii_letter_lanes(x: u64) -> u64 {
    let low = (x | (LANE_LO * 0x20)) & LANE_LO7;
    at_least(low, b'a') & !at_least(low, b'z' + 1) & !x & LANE_HI
}

/// The end of the word of ASCII letters at `i` (`x` holds the eight bytes there, `letters` their
/// [`ascii_letter_lanes`]) when the first byte after it is an ASCII non-letter; `None` when a
/// non-ASCII byte or the text's last bytes come first.
#[inline(always)]
fn ascii_word_end(b: &[u8], mut i: usize, mut x: u64, mut letters: u64) -> Option<usize> {
    loop {
        let stop = !letters & LANE_HI;
        if stop != 0 {
            let k = stop.trailing_zeros();
            return (x >> k & 1 == 0).then_some(i + (k / 8) as usize);
        }
        i += 8;
        x = u64::from_le_bytes(b.get(i..i + 8)?.try_into().expect("8 bytes"));
        letters = ascii_letter_lanes(x);
    }
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

    /// [`by_function_words`]' vote as first written: `split`, `to_lowercase` and a `HashMap`.
    fn reference_votes(sample: &str) -> ([usize; 7], usize) {
        let mut index = HashMap::new();
        for (i, (_, words)) in FUNCTION_WORDS.iter().enumerate() {
            for w in *words {
                index.entry(w.to_string()).or_insert(i);
            }
        }
        let mut votes = [0usize; 7];
        let mut words = 0;
        for w in sample
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| !w.is_empty())
        {
            words += 1;
            if w.len() <= 12 {
                if let Some(&i) = index.get(&w.to_lowercase()) {
                    votes[i] += 1;
                }
            }
        }
        (votes, words)
    }

    fn same_vote(t: &str) {
        assert_eq!(function_word_votes(t), reference_votes(t), "{t:?}");
    }

    #[test]
    fn letter_lanes_are_ascii_letters() {
        for x in 0..=255u8 {
            for lane in 0..8 {
                // The byte in one lane, a letter and a non-ASCII byte around it.
                let mut w = [b'a', 0xC3, b'Z', b' ', 0xFF, b'0', b'q', b'@'];
                w[lane] = x;
                let m = ascii_letter_lanes(u64::from_le_bytes(w));
                for (k, &y) in w.iter().enumerate() {
                    assert_eq!(m >> (8 * k + 7) & 1 == 1, y.is_ascii_alphabetic(), "{w:?}");
                }
                assert_eq!(m & !LANE_HI, 0);
            }
        }
    }

    #[test]
    fn function_words_are_at_most_8_bytes_long() {
        for (_, words) in FUNCTION_WORDS {
            for w in *words {
                assert!(w.len() <= 8, "{w}");
            }
        }
    }

    #[test]
    fn function_word_vote_matches_the_reference() {
        for t in crate::rules::testing::fixture_texts() {
            same_vote(&sample(&t, SAMPLE_BYTES));
            same_vote(&t);
        }
    }

    const PIECES: &[&str] = &[
        " ",
        ",",
        "-",
        "5",
        "'",
        "the",
        "THE",
        "The",
        "of",
        "Été",
        "ÉTÉ",
        "été",
        "é",
        "É",
        "ΣΑΣ",
        "Σ",
        "ς",
        "İ",
        "ß",
        "ẞ",
        "K",
        "und",
        "Und",
        "ist",
        "más",
        "MÁS",
        "também",
        "TAMBÉM",
        "người",
        "NGƯỜI",
        "không",
        "và",
        "và",
        "đã",
        "Đã",
        "mientras",
        "werden",
        "x",
        "abcdefghi",
        "abcdefghijklm",
        "中",
        "a",
        "il",
        "è",
        "È",
        "sul",
        "le",
        "les",
        "y",
        "1234567",
        "12345678901",
        ". ",
        "AbCdEfGh",
        "to",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        #[test]
        fn function_word_vote_matches_the_reference_on_generated_text(
            t in crate::rules::testing::text_from(PIECES, 60)
        ) {
            same_vote(&t);
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
