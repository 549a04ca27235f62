//! `structure/breadcrumb`: navigation paths at the top of a page.
//!
//! **What it fixes.** A line that is a breadcrumb: a location label or a home word, then `:` or a
//! path separator, and a path ("current position:Home>Title", "Home > News Center > Domestic",
//! "您的位置：首页 > 新闻中心 > 正文"). The line is removed whole.
//!
//! **Why.** Scraped pages keep the site navigation; it is not part of the article.
//!
//! **Data.** `crumb` rows of `dictionaries/boilerplate/<lang>.tsv`.
//!
//! **Not touched.** A label without a path ("Location: Shanghai"), a home word that starts a
//! phrase ("Home Office figures > 5%").

use super::chrome::Chrome;
use super::lines::{is_blank, trimmed};
use super::shared;
use super::{remove_line, CHROME_PRIORITY};
use crate::dict::Dictionaries;
use crate::rules::{DocView, Finding, Rule, Scope};
use crate::text::{ArtifactKind, Confidence};

pub struct Breadcrumb {
    chrome: std::sync::Arc<Chrome>,
}

pub fn build(d: &Dictionaries) -> Box<dyn Rule> {
    Box::new(Breadcrumb {
        chrome: Chrome::shared(d),
    })
}

impl Rule for Breadcrumb {
    fn id(&self) -> &'static str {
        "structure/breadcrumb"
    }
    fn kind(&self) -> ArtifactKind {
        ArtifactKind::Chrome
    }
    fn describe(&self) -> &'static str {
        "Removes breadcrumb navigation lines (\"Home > News > ...\")"
    }
    fn example(&self) -> (&'static str, &'static str) {
        (
            "current position:Home>Markets\n\nMarkets rally\n\nBody.\n",
            "Markets rally\n\nBody.\n",
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
        if !super::lines::has_crumb_mark(t) {
            return;
        }
        let ls = shared::lines(doc);
        for (i, l) in ls.iter().enumerate() {
            if is_blank(t, *l) || !self.chrome.breadcrumb(trimmed(t, *l).0) {
                continue;
            }
            out.extend(remove_line(
                self.id(),
                t,
                ls,
                i,
                Confidence::Certain,
                "breadcrumb navigation",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_fixes};

    const R: &[&str] = &["structure/breadcrumb"];

    #[test]
    fn removes_breadcrumbs() {
        let body = "Title\n\nBody text.\n";
        for c in [
            "current position:Home>As the machine turns",
            "Home > News Center > Domestic",
            "Home » World » Asia",
            "您的位置：首页 > 新闻中心 > 正文",
            "当前位置：首页",
            "Usted está aquí: Inicio > Noticias",
            "Accueil > Actualités > Monde",
            "Startseite > Nachrichten",
            "Главная > Новости",
            "ホーム > ニュース",
        ] {
            assert_fixes(R, &format!("{c}\n\n{body}"), body);
        }
    }

    #[test]
    fn keeps_look_alikes() {
        for a in [
            "Home Office figures > 5% of the total, the report said.",
            "Location: Shanghai",
            "Home prices rose 3% in May.",
            "首页设计由公司团队完成。",
        ] {
            assert_clean(R, &format!("Title\n\n{a}\n\nMore.\n"));
        }
    }
}
