//! Exact numbers for the zh_en number, date, time and approximation rules.
//!
//! A [`Dec`] is a non-negative decimal `mant / 10^scale` held in a `u128` with checked arithmetic:
//! no floats (so nothing ever prints "229999.99"), no panic, `None` on overflow. It is parsed from
//! the digit strings found in text ("3.5", "10000", "1,200") and printed in the house number style:
//!
//! - below one million: digits with thousands separators ("35,000", "558,780", "12,345.6");
//! - from one million: "120 million", "45.651 billion", "2.3 trillion" when the value is round
//!   enough to say so with at most three decimals, else all digits with separators
//!   ("123,456,789").
//!
//! Also the small scanning helpers these rules share (the word before or after a position).

/// The largest value the rules will write out; anything larger is implausible in news text and
/// is flagged instead (10^15, a thousand trillion).
pub const MAX_PLAUSIBLE_POW10: u32 = 15;

/// A non-negative exact decimal: `mant / 10^scale`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dec {
    pub mant: u128,
    pub scale: u32,
}

fn pow10(p: u32) -> Option<u128> {
    10u128.checked_pow(p)
}

impl Dec {
    /// Parses `123`, `3.5`, `1,200`, `1,200.75`. Commas must group by three. `None` otherwise or
    /// when the number does not fit.
    pub fn parse(s: &str) -> Option<Dec> {
        let (int, frac) = match s.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (s, None),
        };
        if int.is_empty()
            || frac.is_some_and(|f| f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()))
        {
            return None;
        }
        if int.contains(',') {
            let mut groups = int.split(',');
            let first = groups.next()?;
            if first.is_empty() || first.len() > 3 {
                return None;
            }
            if !groups.all(|g| g.len() == 3) {
                return None;
            }
        }
        let mut mant: u128 = 0;
        let mut scale = 0u32;
        for b in int.bytes().filter(|&b| b != b',') {
            if !b.is_ascii_digit() {
                return None;
            }
            mant = mant.checked_mul(10)?.checked_add(u128::from(b - b'0'))?;
        }
        for b in frac.unwrap_or("").bytes() {
            mant = mant.checked_mul(10)?.checked_add(u128::from(b - b'0'))?;
            scale += 1;
        }
        Some(Dec { mant, scale }.normalized())
    }

    /// An integer.
    pub fn int(n: u128) -> Dec {
        Dec { mant: n, scale: 0 }
    }

    /// Drops trailing zeros of the fraction.
    pub fn normalized(mut self) -> Dec {
        while self.scale > 0 && self.mant % 10 == 0 {
            self.mant /= 10;
            self.scale -= 1;
        }
        self
    }

    /// `self * 10^p`.
    pub fn shift(self, p: u32) -> Option<Dec> {
        if p >= self.scale {
            Some(Dec {
                mant: self.mant.checked_mul(pow10(p - self.scale)?)?,
                scale: 0,
            })
        } else {
            Some(
                Dec {
                    mant: self.mant,
                    scale: self.scale - p,
                }
                .normalized(),
            )
        }
    }

    /// `self / 10^p`, exact.
    pub fn unshift(self, p: u32) -> Option<Dec> {
        Some(
            Dec {
                mant: self.mant,
                scale: self.scale.checked_add(p)?,
            }
            .normalized(),
        )
    }

    /// `self + other`.
    #[allow(clippy::should_implement_trait)]
    pub fn add(self, other: Dec) -> Option<Dec> {
        let scale = self.scale.max(other.scale);
        let a = self.mant.checked_mul(pow10(scale - self.scale)?)?;
        let b = other.mant.checked_mul(pow10(scale - other.scale)?)?;
        Some(
            Dec {
                mant: a.checked_add(b)?,
                scale,
            }
            .normalized(),
        )
    }

    /// The integer part.
    pub fn trunc(self) -> u128 {
        match pow10(self.scale) {
            Some(d) => self.mant / d,
            None => 0,
        }
    }

    pub fn is_integer(self) -> bool {
        self.normalized().scale == 0
    }

    /// True when `self < 10^p`.
    pub fn below_pow10(self, p: u32) -> bool {
        match pow10(p) {
            Some(x) => self.trunc() < x,
            None => true,
        }
    }

    /// Plain style: thousands separators, fraction as it is ("12,345.6").
    pub fn plain(self) -> String {
        let d = self.normalized();
        let digits = d.mant.to_string();
        let scale = d.scale as usize;
        let (int, frac) = if scale == 0 {
            (digits.as_str(), "")
        } else if digits.len() > scale {
            digits.split_at(digits.len() - scale)
        } else {
            ("0", digits.as_str())
        };
        let mut out = group(int);
        if scale > 0 {
            out.push('.');
            for _ in frac.len()..scale {
                out.push('0');
            }
            out.push_str(frac);
        }
        out
    }

    /// House style: plain below a million; "X million/billion/trillion" when round enough.
    pub fn styled(self) -> String {
        if self.below_pow10(6) {
            return self.plain();
        }
        let (p, word) = if !self.below_pow10(12) {
            (12, "trillion")
        } else if !self.below_pow10(9) {
            (9, "billion")
        } else {
            (6, "million")
        };
        match self.unshift(p) {
            Some(q) if q.scale <= 3 => format!("{} {word}", q.plain()),
            _ => self.plain(),
        }
    }
}

/// Thousands separators for a string of ASCII digits ("1234567" -> "1,234,567").
pub fn group(digits: &str) -> String {
    let n = digits.len();
    let mut out = String::with_capacity(n + n / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (n - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Groups a plain count for display when it is part of a repaired artifact ("2000" -> "2,000");
/// leaves anything it cannot parse as it is.
pub fn group_count(s: &str) -> String {
    match Dec::parse(s) {
        Some(d) => d.plain(),
        None => s.to_string(),
    }
}

/// The char before byte `i`.
pub fn char_before(t: &str, i: usize) -> Option<char> {
    t.get(..i)?.chars().next_back()
}

/// The char at byte `i`.
pub fn char_at(t: &str, i: usize) -> Option<char> {
    t.get(i..)?.chars().next()
}

/// True when the number starting at `i` is not glued to a preceding word or number ("v2", "3.5",
/// "1,2" are glued).
pub fn number_starts_cleanly(t: &str, i: usize) -> bool {
    match char_before(t, i) {
        None => true,
        Some(c) if c.is_alphanumeric() || c == '_' || c == '-' || c == '/' || c == '$' => false,
        Some('.') | Some(',') => {
            // "3.5" / "1,200": the separator follows a digit.
            !char_before(t, i - 1).is_some_and(|c| c.is_ascii_digit())
        }
        Some(_) => true,
    }
}

/// True when byte `i` ends a word (the next char is not a letter, digit or apostrophe-letter).
pub fn word_ends(t: &str, i: usize) -> bool {
    !char_at(t, i).is_some_and(|c| c.is_alphanumeric() || c == '_')
}

/// The word (letters, apostrophes, periods inside) ending just before byte `i`, skipping spaces;
/// with its start. `None` when punctuation or the line start comes first.
pub fn word_before(t: &str, i: usize) -> Option<(usize, &str)> {
    let head = t.get(..i)?;
    let trimmed = head.trim_end_matches([' ', '\t']);
    let end = trimmed.len();
    let start = trimmed
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric() || *c == '\'')
        .last()
        .map(|(j, _)| j)?;
    Some((start, &t[start..end]))
}

/// The word starting at byte `i` after any spaces, with its span.
pub fn word_after(t: &str, i: usize) -> Option<(usize, usize, &str)> {
    let tail = t.get(i..)?;
    let skip = tail.len() - tail.trim_start_matches([' ', '\t']).len();
    let start = i + skip;
    let len: usize = t[start..]
        .char_indices()
        .take_while(|(_, c)| c.is_alphanumeric() || *c == '\'')
        .map(|(_, c)| c.len_utf8())
        .sum();
    if len == 0 {
        None
    } else {
        Some((start, start + len, &t[start..start + len]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn styled(n: &str, p: u32) -> Option<String> {
        Dec::parse(n)?.shift(p).map(Dec::styled)
    }

    #[test]
    fn parse_and_shift_are_exact() {
        let cases: &[(&str, u32, &str)] = &[
            ("23", 4, "230,000"),
            ("3.5", 4, "35,000"),
            ("2.3", 4, "23,000"),
            ("1.2", 8, "120 million"),
            ("45.651", 9, "45.651 billion"),
            ("230", 4, "2.3 million"),
            ("1.23456", 4, "12,345.6"),
            ("12345.6789", 4, "123,456,789"),
            ("0.5", 4, "5,000"),
            ("1", 12, "1 trillion"),
            ("1,200", 4, "12 million"),
            ("999999", 0, "999,999"),
            ("1000000", 0, "1 million"),
            ("22.99999", 4, "229,999.9"),
        ];
        for (n, p, want) in cases {
            assert_eq!(styled(n, *p).as_deref(), Some(*want), "{n} * 10^{p}");
        }
    }

    #[test]
    fn bad_or_huge_inputs_do_not_panic() {
        for s in [
            "", ".", "1.", ".5", "1,20", "12,3456", "abc", "1.2.3", ",100",
        ] {
            assert_eq!(Dec::parse(s), None, "{s}");
        }
        let huge = "9".repeat(60);
        assert_eq!(Dec::parse(&huge), None);
        let big = Dec::parse(&"9".repeat(38)).unwrap();
        assert_eq!(big.shift(10), None);
        assert!(!big.below_pow10(MAX_PLAUSIBLE_POW10));
        assert_eq!(Dec::parse("1").unwrap().shift(200), None);
        assert!(Dec::int(5).below_pow10(200));
    }

    #[test]
    fn adding_and_grouping() {
        let a = Dec::parse("45").unwrap().shift(9).unwrap();
        let b = Dec::parse("651").unwrap().shift(6).unwrap();
        assert_eq!(a.add(b).unwrap().styled(), "45.651 billion");
        assert_eq!(group("1234567"), "1,234,567");
        assert_eq!(group("123"), "123");
        assert_eq!(group_count("2000"), "2,000");
        assert_eq!(group_count("x"), "x");
    }

    #[test]
    fn words_around() {
        let t = "rose from 4 month";
        assert_eq!(word_before(t, 10), Some((5, "from")));
        assert_eq!(word_after(t, 9), Some((10, 11, "4")));
        assert!(number_starts_cleanly(t, 10));
        assert!(!number_starts_cleanly("3.5", 2));
        assert!(number_starts_cleanly("Shanghai .5", 10));
    }

    mod props {
        use proptest::prelude::*;

        const TOKENS: &[&str] = &[
            "5",
            "12",
            "31",
            "0",
            "2022",
            "1-9",
            "3.5",
            "10000",
            "99999999999999999999999",
            "month",
            "months",
            "year",
            "Japan",
            "Japanese",
            "day",
            "No.",
            "since",
            "from",
            "to",
            "The",
            "the",
            "on the th",
            "Thousands of",
            "Ten thousand",
            "One hundred million",
            "billion",
            "million",
            "thousand",
            "and",
            "super",
            "a",
            "Left and right",
            "about",
            "points",
            "Time",
            "branch",
            "minutes",
            "o'clock",
            "at",
            "in the morning",
            "a.m.",
            "people",
            "People",
            ".",
            ",",
            ":",
            " ",
            "\n",
            "。",
            "日本",
            "“",
        ];
        const RULES: &[&str] = &[
            "zh_en/date",
            "zh_en/time",
            "zh_en/unit-number",
            "zh_en/approximation",
            "generic",
        ];

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(300))]
            /// Any mix of the tokens these rules look for: no panic, replay and idempotence hold
            /// (checked inside `clean_with`).
            #[test]
            fn never_panic_and_replay(parts in proptest::collection::vec((0..TOKENS.len(), any::<bool>()), 1..24)) {
                let mut s = String::new();
                for (i, space) in parts {
                    s.push_str(TOKENS[i]);
                    if space {
                        s.push(' ');
                    }
                }
                crate::rules::testing::clean_with(RULES, &s);
            }
        }
    }
}
