//! `structure/duplicate-title`: second copies of the title (repeated heading, image alt text).
//!
//! **What it fixes.** A line after the title that reads as the title again: at least 80% of its
//! words (CJK: character pairs) are the title's and at least 80% of the title's are in it, so
//! spacing, case, punctuation and small word changes do not hide it (" The machine turns 、
//! Service runs , Shanghai Songjiang accelerates ..." for the title "As the machine turns and the
//! service runs, Shanghai Songjiang accelerates ..."). Such lines are the page's repeated heading
//! or image alt text; they are removed.
//!
//! **Why.** A careful editor keeps the title once, on the first line.
//!
//! **Not touched.** The title itself; titles of fewer than 3 words (under 5: only a
//! word-for-word copy goes); lines that share only part
//! of the title (section headings, a lead sentence that starts like the title and goes on).

use super::chrome::Chrome;
use super::lines::{is_blank, norm_key_into, norm_key_prefix, trimmed, Scratch, MAX_CHROME_LINE};
use super::shared;
use super::{remove_line, CHROME_PRIORITY};
use crate::dict::Dictionaries;
use crate::rules::{DocView, Finding, Rule, Scope};
use crate::text::{ArtifactKind, Confidence};

pub struct DuplicateTitle {
    chrome: std::sync::Arc<Chrome>,
}

pub fn build(d: &Dictionaries) -> Box<dyn Rule> {
    Box::new(DuplicateTitle {
        chrome: Chrome::shared(d),
    })
}

impl Rule for DuplicateTitle {
    fn id(&self) -> &'static str {
        "structure/duplicate-title"
    }
    fn kind(&self) -> ArtifactKind {
        ArtifactKind::Chrome
    }
    fn describe(&self) -> &'static str {
        "Removes second copies of the title (repeated heading, image alt text)"
    }
    fn example(&self) -> (&'static str, &'static str) {
        (
            "Harbour cranes restart as Ningbo port resumes full operations\n\nBody.\n\nHarbour cranes restart 、 Ningbo port resumes full operations\n\nMore.\n",
            "Harbour cranes restart as Ningbo port resumes full operations\n\nBody.\n\nMore.\n",
        )
    }
    fn scope(&self) -> Scope {
        Scope::Any
    }
    fn priority(&self) -> u8 {
        CHROME_PRIORITY
    }
    fn check(&self, doc: &DocView<'_>, out: &mut Vec<Finding>) {
        let t = doc.text;
        let ls = shared::lines(doc);
        let Some(ti) = shared::title_index(doc, &self.chrome) else {
            return;
        };
        let title_text = trimmed(t, ls[ti]).0;
        // A first line longer than any chrome line is a lead paragraph, not a title.
        if title_text.len() > MAX_CHROME_LINE {
            return;
        }
        TITLE_MEMO.with_borrow_mut(|memo| {
            let memo = memo.get_or_insert_with(TitleMemo::default);
            if memo.text != title_text {
                memo.set(title_text);
            }
            let TitleMemo {
                title,
                min_len,
                key: title_key,
                line: scratch,
                line_key: key,
                ..
            } = memo;
            if title.len() < 3 {
                return;
            }
            let max_len = title_text.len() * 3 / 2 + 8;
            for (i, l) in ls.iter().enumerate().skip(ti + 1) {
                if is_blank(t, *l) {
                    continue;
                }
                let line = trimmed(t, *l).0;
                if line.len() > max_len || line.len() > MAX_CHROME_LINE || line.len() < *min_len {
                    continue;
                }
                let same = if title.len() < 5 {
                    // A key cut after the title key's length is longer than it.
                    norm_key_prefix(line, key, title_key.len()) && key == title_key
                } else {
                    scratch.copy_of_distinct(line, title)
                };
                if same {
                    out.extend(remove_line(
                        self.id(),
                        t,
                        ls,
                        i,
                        Confidence::Likely,
                        "second copy of the title",
                    ));
                }
            }
        });
    }
}

/// What the rule works out from the title alone, kept from one check to the next on a thread:
/// the fix loop checks every document at least twice, and the title seldom changes between
/// passes. Also the buffers a line is tokenized into.
#[derive(Default)]
struct TitleMemo {
    /// The title line (trimmed) the rest was worked out for.
    text: String,
    /// Its distinct tokens.
    title: Scratch,
    /// [`min_copy_len`] of the title.
    min_len: usize,
    /// Its key, for a title of under 5 tokens (which must come back word for word); else empty.
    key: String,
    line: Scratch,
    line_key: String,
}

impl TitleMemo {
    /// Works the title facts out for `title_text`.
    fn set(&mut self, title_text: &str) {
        self.text.clear();
        self.text.push_str(title_text);
        self.title.tokenize(title_text);
        self.title.distinct();
        self.min_len = min_copy_len(title_text, self.title.tokens().map(str::len));
        self.key.clear();
        if self.title.len() < 5 {
            norm_key_into(title_text, &mut self.key);
        }
    }
}

thread_local! {
    static TITLE_MEMO: std::cell::RefCell<Option<TitleMemo>> = const { std::cell::RefCell::new(None) };
}

/// A lower bound on the length of a line that can read as a copy of an ASCII title: it holds at
/// least 80% of the title's tokens (see [`same_as_title`]), each a separate word of its own, so
/// at least the shortest 80% of them. 0 (no bound) for other titles, whose CJK tokens overlap.
/// `lens`: the byte lengths of the title's distinct tokens.
fn min_copy_len(title_text: &str, lens: impl Iterator<Item = usize>) -> usize {
    if !title_text.is_ascii() {
        return 0;
    }
    let mut lens: Vec<usize> = lens.collect();
    lens.sort_unstable();
    let need = (lens.len() * 4).div_ceil(5);
    lens.iter().take(need).sum::<usize>() + need.saturating_sub(1)
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_fixes};

    const R: &[&str] = &["structure/duplicate-title"];

    #[test]
    fn removes_copies() {
        let title = "As the machine turns and the service runs, Shanghai Songjiang accelerates the resumption of work and production";
        let copy = " The machine turns 、 Service runs , Shanghai Songjiang accelerates the resumption of work and production";
        assert_fixes(
            R,
            &format!(
                "{title}\n\nBody one.\n\n{copy}\n\ncaption : X.\n\nBody two.\n\n{copy}\n\nEnd.\n"
            ),
            &format!("{title}\n\nBody one.\n\ncaption : X.\n\nBody two.\n\nEnd.\n"),
        );
        assert_fixes(
            R,
            "Exports Rise In May\n\nexports rise in may\n\nBody.\n",
            "Exports Rise In May\n\nBody.\n",
        );
        assert_fixes(
            R,
            "上海松江加快复工复产\n\n上海松江 加快复工复产！\n\n正文。\n",
            "上海松江加快复工复产\n\n正文。\n",
        );
        // The title after a breadcrumb is the first non-chrome line.
        assert_fixes(
            R,
            "Home > News > Exports rise sharply in May\n\nExports rise sharply in May\n\nBody.\n\nExports rise sharply in May\n",
            "Home > News > Exports rise sharply in May\n\nExports rise sharply in May\n\nBody.\n",
        );
    }

    #[test]
    fn the_length_bound_admits_the_shortest_copy() {
        use super::super::lines::sim_tokens;
        use super::min_copy_len;
        let title = "Exports of the machine tools rise 12 percent in May as plants reopen";
        let toks = sim_tokens(title);
        let bound = min_copy_len(title, toks.iter().map(String::len));
        // The shortest line holding 80% of the tokens: the shortest ones, one space apart.
        let mut words: Vec<&String> = toks.iter().collect();
        words.sort_by_key(|w| (w.len(), w.as_str()));
        let need = (toks.len() * 4).div_ceil(5);
        let shortest = words[..need]
            .iter()
            .map(|w| w.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        assert!(super::super::lines::same_as_title(
            &sim_tokens(&shortest),
            &toks
        ));
        assert_eq!(bound, shortest.len());
        assert_eq!(
            min_copy_len(
                "上海松江加快复工复产",
                sim_tokens("上海松江加快复工复产").iter().map(String::len)
            ),
            0
        );
    }

    #[test]
    fn keeps_headings_and_leads() {
        let title = "As the machine turns and the service runs, Shanghai Songjiang accelerates the resumption of work and production";
        assert_clean(R, &format!("{title}\n\nVarious types of enterprises have resumed work and production\n\nBody.\n"));
        assert_clean(
            R,
            "Exports rise in May\n\nExports rise in May as factories reopen after the lockdown, the customs office said on Tuesday.\n",
        );
        assert_clean(R, "Summary\n\nSummary\n\nBody.\n");
        // A short title needs a word-for-word copy.
        assert_clean(R, "China GDP grows\n\nGDP grows in China.\n\nBody.\n");
        assert_fixes(
            R,
            "China GDP grows\n\nChina GDP Grows\n\nBody.\n",
            "China GDP grows\n\nBody.\n",
        );
    }
}
