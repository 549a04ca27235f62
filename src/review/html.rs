//! The HTML review page: one self-contained file (inline CSS and JS, nothing fetched) showing a
//! sample of documents with their changes inline.
//!
//! - a list of the documents: id, language, artifact score, edits and flags, each linking to it;
//! - each document's input with every edit shown in place, `<del>before</del><ins>after</ins>`,
//!   inside a focusable span whose tooltip (hover: `title`; keyboard focus: a CSS tooltip) names the
//!   rule(s), the kind, the confidence and what the rule does;
//! - flags (detected, not repaired) as `<mark>`, with their message, and listed under the text;
//! - filters by rule (or pack) and kind, and switches for edits and flags: changes that do not
//!   match read as plain clean text, documents with no match are hidden, and a visible count says
//!   how many documents, changes and flags are left. The filter lives in the URL fragment
//!   (`review.html#rule=generic/spacing&kind=spacing`, `rule=pack:zh_en` for a whole pack,
//!   `edits=0` or `flags=0` to hide either, `doc=d12` to open at the 13th document), so a filtered
//!   view can be linked.
//!
//! Edits are shown exactly as the change log has them (one `<del>/<ins>` per edit), so what the
//! page shows is what replaying the log does. Filtering is one `querySelectorAll` and one injected
//! style rule, not a walk over every document, so a page of 1,000 documents stays responsive.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::{edit_rules, line_of, lossy, DocRef};
use crate::cleaner::{Cleaned, Cleaner, Flag};
use crate::text::{Edit, Span};

/// Escapes text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    escape_into(&mut out, s);
    out
}

fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

/// The description of every enabled rule (`rule id -> describe()`), for the tooltips.
pub fn rule_descriptions(cleaner: &Cleaner) -> BTreeMap<String, String> {
    cleaner
        .rules()
        .map(|r| (r.id().to_string(), r.describe().to_string()))
        .collect()
}

/// Builds a review page document by document; [`ReviewPage::write`] writes it.
#[derive(Debug, Default)]
pub struct ReviewPage {
    title: String,
    descriptions: BTreeMap<String, String>,
    rows: String,
    sections: String,
    docs: usize,
    edits: usize,
    flags: usize,
    rules: BTreeMap<String, usize>,
    kinds: BTreeMap<&'static str, usize>,
}

fn pack(rule: &str) -> &str {
    rule.split('/').next().unwrap_or(rule)
}

fn is_ws(s: &str) -> bool {
    !s.is_empty() && s.chars().all(char::is_whitespace)
}

/// Deleted whitespace is shown as symbols (`·`, `↵`, `→`): a deletion is hidden when its change is
/// filtered out, so the symbols never stand in for real text.
fn push_deleted(out: &mut String, s: &str) {
    if is_ws(s) {
        out.push_str("<del class=\"w\">");
        for c in s.chars() {
            out.push(match c {
                '\n' => '↵',
                '\t' => '→',
                _ => '·',
            });
        }
    } else {
        out.push_str("<del>");
        escape_into(out, s);
    }
    out.push_str("</del>");
}

fn push_inserted(out: &mut String, s: &str) {
    out.push_str(if is_ws(s) {
        "<ins class=\"w\">"
    } else {
        "<ins>"
    });
    escape_into(out, s);
    out.push_str("</ins>");
}

fn quote_short(s: &str, max: usize) -> String {
    let n = s.chars().count();
    if n <= max {
        format!("“{s}”")
    } else {
        format!("“{}…”", s.chars().take(max).collect::<String>())
    }
}

impl ReviewPage {
    pub fn new(title: &str) -> ReviewPage {
        ReviewPage {
            title: title.to_string(),
            ..ReviewPage::default()
        }
    }

    /// Rule descriptions shown in the tooltips (see [`rule_descriptions`]).
    pub fn with_descriptions(mut self, descriptions: BTreeMap<String, String>) -> ReviewPage {
        self.descriptions = descriptions;
        self
    }

    /// Documents added so far.
    pub fn len(&self) -> usize {
        self.docs
    }

    pub fn is_empty(&self) -> bool {
        self.docs == 0
    }

    fn flag_tip(f: &Flag) -> String {
        let mut tip = format!(
            "flag: {}\nkind: {} · confidence: {}\n{}",
            f.rule,
            f.kind,
            f.confidence.as_str(),
            f.message
        );
        if let Some(s) = &f.suggestion {
            tip.push_str(&format!("\nsuggestion: {}", quote_short(s, 80)));
        }
        tip
    }

    /// Adds one document.
    pub fn add(&mut self, doc: &DocRef<'_>) {
        let i = self.docs;
        self.docs += 1;
        let c: &Cleaned = doc.cleaned;
        self.edits += c.edits.len();
        self.flags += c.flags.len();
        for e in &c.edits {
            for r in edit_rules(e) {
                *self.rules.entry(r.to_string()).or_insert(0) += 1;
            }
            *self.kinds.entry(e.kind.as_str()).or_insert(0) += 1;
        }
        for f in &c.flags {
            *self.rules.entry(f.rule.clone()).or_insert(0) += 1;
            *self.kinds.entry(f.kind.as_str()).or_insert(0) += 1;
        }
        let p = &c.profile;
        let id = escape(doc.id);
        self.rows.push_str(&format!(
            "<tr data-d=\"{i}\"><td class=\"n\">{}</td><td><a href=\"#d{i}\">{id}</a></td><td>{}</td><td class=\"n\">{:.2}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n m\"></td></tr>\n",
            i + 1,
            escape(&p.lang),
            p.artifact_score,
            c.edits.len(),
            c.flags.len()
        ));
        let s = &mut self.sections;
        s.push_str(&format!(
            "<section class=\"doc\" id=\"d{i}\"><h2><a href=\"#d{i}\">{id}</a></h2><p class=\"meta\">language <b>{}</b> ({:.2}) · script {} · artifact score <b>{:.2}</b>{} · <b>{}</b> edits · <b>{}</b> flags</p>\n<div class=\"text\">",
            escape(&p.lang),
            p.lang_confidence,
            escape(&p.script),
            p.artifact_score,
            if p.zh_en { " (zh→en)" } else { "" },
            c.edits.len(),
            c.flags.len()
        ));
        let body = self.render_text(doc);
        self.sections.push_str(&body);
        self.sections.push_str("</div>\n");
        if !c.flags.is_empty() {
            self.sections.push_str("<ul class=\"flags\">");
            for f in &c.flags {
                self.sections.push_str(&format!(
                    "<li class=\"fl\" data-rule=\"{}\" data-kind=\"{}\"><b>!</b> line {} · <code>{}</code> · {} · {}: {} — {}{}</li>",
                    escape(&f.rule),
                    f.kind,
                    line_of(doc.input, f.span.start),
                    escape(&f.rule),
                    f.kind,
                    f.confidence.as_str(),
                    escape(&quote_short(&f.text, 80)),
                    escape(&f.message),
                    f.suggestion.as_ref().map(|s| format!(" (suggestion: {})", escape(&quote_short(s, 80)))).unwrap_or_default()
                ));
            }
            self.sections.push_str("</ul>\n");
        }
        self.sections.push_str("</section>\n");
    }

    /// The input with edits inline and flags marked.
    fn render_text(&self, doc: &DocRef<'_>) -> String {
        let input = doc.input;
        let c = doc.cleaned;
        let mut out = String::with_capacity(input.len() * 5 / 4 + c.edits.len() * 200);
        // Flags to mark inline: spans snapped out of edit interiors, no two overlapping (a flag that
        // would cross another is only listed below the text).
        let snap = |pos: usize, end: bool| -> usize {
            for e in &c.edits {
                if e.span.start < pos && pos < e.span.end {
                    return if end { e.span.end } else { e.span.start };
                }
            }
            pos
        };
        let mut marks: Vec<(Span, &Flag)> = Vec::new();
        for f in &c.flags {
            let (a, b) = (f.span.start.min(input.len()), f.span.end.min(input.len()));
            let sp = Span::new(snap(a, false), snap(b.max(a), true));
            if marks.last().is_some_and(|(l, _)| {
                sp.start < l.end || (sp.is_empty() && sp.start == l.start && l.is_empty())
            }) {
                continue;
            }
            marks.push((sp, f));
        }
        // Events: (position, order, what): close a mark, open a mark or a point mark, an edit.
        enum Ev<'a> {
            Close,
            Open(&'a Flag),
            Point(&'a Flag),
            Edit(&'a Edit),
        }
        let mut evs: Vec<(usize, u8, Ev)> = Vec::with_capacity(c.edits.len() + 2 * marks.len());
        for (sp, f) in &marks {
            if sp.is_empty() {
                evs.push((sp.start, 1, Ev::Point(f)));
            } else {
                evs.push((sp.start, 1, Ev::Open(f)));
                evs.push((sp.end, 0, Ev::Close));
            }
        }
        for e in &c.edits {
            evs.push((e.span.start, 2, Ev::Edit(e)));
        }
        evs.sort_by_key(|(p, o, _)| (*p, *o));
        let mut pos = 0;
        let flag_attrs = |f: &Flag| {
            format!(
                "class=\"flag\" tabindex=\"0\" data-rule=\"{}\" data-kind=\"{}\" title=\"{}\"",
                escape(&f.rule),
                f.kind,
                escape(&Self::flag_tip(f))
            )
        };
        for (at, _, ev) in evs {
            let at = at.min(input.len());
            if at > pos {
                escape_into(&mut out, &lossy(&input[pos..at]));
                pos = at;
            }
            match ev {
                Ev::Close => out.push_str("</mark>"),
                Ev::Open(f) => out.push_str(&format!("<mark {}>", flag_attrs(f))),
                Ev::Point(f) => out.push_str(&format!("<mark {}>⚑</mark>", flag_attrs(f))),
                Ev::Edit(e) => {
                    let end = e.span.end.min(input.len()).max(at);
                    let before = lossy(&input[at..end]);
                    out.push_str("<span class=\"chg\" tabindex=\"0\" data-rule=\"");
                    for (k, r) in edit_rules(e).enumerate() {
                        if k > 0 {
                            out.push(' ');
                        }
                        escape_into(&mut out, r);
                    }
                    out.push_str(&format!(
                        "\" data-kind=\"{}\" data-conf=\"{}\">",
                        e.kind,
                        e.confidence.as_str()
                    ));
                    if !before.is_empty() {
                        push_deleted(&mut out, &before);
                    }
                    if !e.replacement.is_empty() {
                        push_inserted(&mut out, &e.replacement);
                    }
                    out.push_str("</span>");
                    pos = end;
                }
            }
        }
        if pos < input.len() {
            escape_into(&mut out, &lossy(&input[pos..]));
        }
        out
    }

    /// Writes the page.
    pub fn write(&self, w: &mut dyn Write) -> io::Result<()> {
        let title = escape(&self.title);
        let mut rule_opts = String::new();
        let mut last_pack = "";
        for (r, n) in &self.rules {
            let p = pack(r);
            if p != last_pack {
                if !last_pack.is_empty() {
                    rule_opts.push_str("</optgroup>");
                }
                let pn: usize = self
                    .rules
                    .iter()
                    .filter(|(k, _)| pack(k) == p)
                    .map(|(_, v)| v)
                    .sum();
                rule_opts.push_str(&format!(
                    "<optgroup label=\"{0}\"><option value=\"pack:{0}\">{0} (all rules, {pn})</option>",
                    escape(p)
                ));
                last_pack = p;
            }
            rule_opts.push_str(&format!(
                "<option value=\"{0}\">{0} ({n})</option>",
                escape(r)
            ));
        }
        if !last_pack.is_empty() {
            rule_opts.push_str("</optgroup>");
        }
        let kind_opts: String = self
            .kinds
            .iter()
            .map(|(k, n)| format!("<option value=\"{k}\">{k} ({n})</option>"))
            .collect();
        write!(
            w,
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title}</title>\n<style>{CSS}</style>\n<style id=\"fstyle\"></style>\n</head>\n<body data-docs=\"{docs}\">\n<header><h1>{title}</h1><p class=\"sum\">{docs} documents · {edits} edits · {flags} flags · textmend {ver}</p>\n<form id=\"filters\" onsubmit=\"return false\"><label>Rule <select id=\"f-rule\"><option value=\"\">all rules</option>{rule_opts}</select></label> <label>Kind <select id=\"f-kind\"><option value=\"\">all kinds</option>{kind_opts}</select></label> <label><input type=\"checkbox\" id=\"f-edits\" checked> edits</label> <label><input type=\"checkbox\" id=\"f-flags\" checked> flags</label> <output id=\"count\">{docs} of {docs} documents</output></form>\n<p class=\"legend\"><del>removed</del> <ins>added</ins> <mark>flagged, not changed</mark> · hover or focus (Tab) a change for its rule</p></header>\n<div class=\"cols\"><nav><table id=\"list\"><thead><tr><th>#</th><th>document</th><th>lang</th><th>score</th><th>edits</th><th>flags</th><th>shown</th></tr></thead><tbody>\n",
            docs = self.docs,
            edits = self.edits,
            flags = self.flags,
            ver = env!("CARGO_PKG_VERSION"),
        )?;
        w.write_all(self.rows.as_bytes())?;
        w.write_all(b"</tbody></table></nav>\n<main>\n")?;
        w.write_all(self.sections.as_bytes())?;
        // Rule descriptions for the tooltips; `<` escaped so no text can close the script element.
        let used: BTreeMap<&str, &str> = self
            .descriptions
            .iter()
            .filter(|(k, _)| self.rules.contains_key(*k))
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let json = serde_json::to_string(&used)
            .expect("strings serialize")
            .replace('<', "\\u003c");
        write!(w, "</main></div>\n<script type=\"application/json\" id=\"rules\">{json}</script>\n<script>{JS}</script>\n</body></html>\n")?;
        Ok(())
    }

    /// The page as a string.
    pub fn render(&self) -> String {
        let mut v = Vec::new();
        self.write(&mut v).expect("writing to a Vec");
        String::from_utf8(v).expect("UTF-8")
    }
}

const CSS: &str = r#"
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d1d1f;background:#f6f6f4}
header{position:sticky;top:0;z-index:5;background:#fff;border-bottom:1px solid #ddd;padding:.5rem 1rem}
h1{font-size:1.15rem;margin:0}
.sum,.legend{margin:.2rem 0;color:#555;font-size:.85rem}
#filters{display:flex;gap:1rem;align-items:center;flex-wrap:wrap;font-size:.9rem}
#filters select{max-width:22rem}
#count{font-weight:600;background:#eef3ff;border-radius:4px;padding:.1rem .5rem}
.cols{display:grid;grid-template-columns:minmax(20rem,32rem) 1fr;gap:1rem;padding:1rem}
nav{position:sticky;top:7.5rem;align-self:start;max-height:calc(100vh - 8.5rem);overflow:auto;background:#fff;border:1px solid #ddd;border-radius:6px}
#list{border-collapse:collapse;width:100%;font-size:.8rem}
#list th{position:sticky;top:0;background:#fafafa;text-align:left;border-bottom:1px solid #ddd;padding:.25rem .4rem}
#list td{padding:.15rem .4rem;border-bottom:1px solid #f0f0f0;max-width:13rem;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
#list td.n{text-align:right;font-variant-numeric:tabular-nums}
#list a{color:#0645ad;text-decoration:none}
main{min-width:0}
.doc{scroll-margin-top:8.5rem;content-visibility:auto;contain-intrinsic-size:auto 900px;background:#fff;border:1px solid #ddd;border-radius:6px;padding:.6rem 1rem;margin-bottom:1rem}
.doc h2{font-size:1rem;margin:0;word-break:break-all}
.doc h2 a{color:inherit;text-decoration:none}
.meta{margin:.1rem 0 .5rem;color:#555;font-size:.8rem}
.text{white-space:pre-wrap;overflow-wrap:anywhere;font-size:.9rem}
.hidden{display:none!important}
del{background:#ffd7d5;color:#86181d;text-decoration:line-through}
ins{background:#ccf5d4;color:#14532d;text-decoration:none}
del.w{padding:0 2px;text-decoration:none;font-weight:700}
ins.w{padding:0 2px;outline:1px solid #2da44e}
.chg{position:relative;border-radius:2px;cursor:help}
.chg:focus{outline:2px solid #0969da;outline-offset:1px}
.chg[data-conf=likely]{border-bottom:1px dashed #888}
.chg:focus::after,mark.flag:focus::after{content:attr(data-tip);position:absolute;left:0;top:1.6em;z-index:10;white-space:pre-wrap;width:max-content;max-width:28rem;background:#222;color:#fff;padding:.35rem .5rem;border-radius:4px;font-size:.78rem;line-height:1.35}
mark.flag{position:relative;background:#fff1a8;border-bottom:2px solid #d4a72c;cursor:help}
mark.flag:focus{outline:2px solid #d4a72c}
ul.flags{margin:.5rem 0 0;padding:.4rem .6rem;list-style:none;background:#fffbe6;border-radius:4px;font-size:.8rem}
ul.flags b{color:#9a6700}
"#;

const JS: &str = r#"
(function(){
'use strict';
var t0=performance.now();
function $(s){return document.querySelector(s)}
var rsel=$('#f-rule'),ksel=$('#f-kind'),fe=$('#f-edits'),ff=$('#f-flags'),style=$('#fstyle'),count=$('#count');
var goto='';
var D=JSON.parse($('#rules').textContent);
var N=+document.body.dataset.docs;
var sections=document.querySelectorAll('section.doc');
var rows=document.querySelectorAll('#list tbody tr');
function q(v){return '"'+String(v).replace(/["\\]/g,'\\$&')+'"'}
function attrs(){
  var s='',r=rsel.value,k=ksel.value;
  if(r){
    if(r.indexOf('pack:')===0){var p=r.slice(5)+'/';s+=':is([data-rule^='+q(p)+'],[data-rule*='+q(' '+p)+'])'}
    else s+='[data-rule~='+q(r)+']';
  }
  if(k){s+='[data-kind='+q(k)+']'}
  return s;
}
function setOpt(sel,v){
  if(!v){sel.value='';return}
  for(var i=0;i<sel.options.length;i++){if(sel.options[i].value===v){sel.value=v;return}}
  var o=document.createElement('option');o.value=v;o.textContent=v+' (0)';sel.appendChild(o);sel.value=v;
}
function fromHash(){
  var h=location.hash.slice(1);
  if(h.indexOf('=')<0)return false;
  var p={};
  h.split('&').forEach(function(kv){var i=kv.indexOf('=');if(i>0){p[decodeURIComponent(kv.slice(0,i))]=decodeURIComponent(kv.slice(i+1))}});
  setOpt(rsel,p.rule||'');setOpt(ksel,p.kind||'');
  fe.checked=p.edits!=='0';ff.checked=p.flags!=='0';
  goto=p.doc||'';
  return true;
}
function toHash(){
  var p=[];
  if(rsel.value)p.push('rule='+encodeURIComponent(rsel.value).replace(/%2F/g,'/').replace(/%3A/g,':'));
  if(ksel.value)p.push('kind='+encodeURIComponent(ksel.value));
  if(goto)p.push('doc='+encodeURIComponent(goto));
  if(!fe.checked)p.push('edits=0');
  if(!ff.checked)p.push('flags=0');
  history.replaceState(null,'',p.length?'#'+p.join('&'):location.pathname+location.search);
}
function apply(){
  var a=attrs(),filtered=!!a||!fe.checked||!ff.checked,css='';
  var offC=!fe.checked?'.chg':(a?'.chg:not('+a+')':'');
  var offF=!ff.checked?'mark.flag':(a?'mark.flag:not('+a+')':'');
  if(offC){css+=offC+' del{display:none}'+offC+' ins{background:none;color:inherit;outline:none;padding:0}'+offC+'{border:none}'}
  if(offF){css+=offF+'{background:none;border:none}'}
  if(!ff.checked){css+='ul.flags{display:none}'}
  else if(a){css+='li.fl:not('+a+'){display:none}'}
  style.textContent=css;
  var nc=0,nf=0,per=new Array(N).fill(0);
  function tally(sel){
    var els=document.querySelectorAll(sel);
    for(var i=0;i<els.length;i++){var s=els[i].closest('section');if(s)per[+s.id.slice(1)]++}
    return els.length;
  }
  if(fe.checked)nc=tally('.chg'+a);
  if(ff.checked){nf=document.querySelectorAll('li.fl'+a).length;tally('mark.flag'+a)}
  var shown=0;
  for(var i=0;i<sections.length;i++){
    var vis=!filtered||per[i]>0;
    sections[i].classList.toggle('hidden',!vis);
    rows[i].classList.toggle('hidden',!vis);
    rows[i].lastElementChild.textContent=filtered?String(per[i]):'';
    if(vis)shown++;
  }
  count.textContent=shown+' of '+N+' documents · '+nc+' changes · '+nf+' flags';
  var b=document.body.dataset;b.shown=shown;b.changes=nc;b.flags=nf;
}
// Tooltips are built on first hover or focus: rule(s), kind, confidence, what the rule does.
function tip(e){
  var el=e.target.closest&&e.target.closest('.chg');
  if(!el||el.dataset.tip)return;
  var rules=el.dataset.rule.split(' ');
  var t=rules.join(' + ')+'\nkind: '+el.dataset.kind+' · confidence: '+el.dataset.conf;
  rules.forEach(function(r){if(D[r])t+='\n'+r+': '+D[r]});
  var d=el.querySelector('del'),n=el.querySelector('ins');
  t+='\n“'+(d?d.textContent:'')+'” → “'+(n?n.textContent:'')+'”';
  el.dataset.tip=t;el.title=t;
}
document.addEventListener('mouseover',tip);
document.addEventListener('focusin',tip);
document.querySelectorAll('mark.flag').forEach(function(m){m.dataset.tip=m.title});
function onInput(){apply();toHash()}
[rsel,ksel,fe,ff].forEach(function(el){el.addEventListener('change',onInput)});
function jump(){var d=goto&&document.getElementById(goto);if(d)d.scrollIntoView()}
window.addEventListener('hashchange',function(){if(fromHash()){apply();jump()}});
fromHash();apply();jump();
document.body.dataset.readyMs=Math.round(performance.now()-t0);
window.addEventListener('load',function(){document.body.dataset.loadMs=Math.round(performance.now())});
})();
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cleaner::Flag;
    use crate::text::{ArtifactKind, Confidence};
    use crate::{Cleaner, Config};

    fn page_of(docs: &[(&str, &str)]) -> String {
        let cleaner = Cleaner::new(Config::default()).unwrap();
        let mut page =
            ReviewPage::new("Review <test>").with_descriptions(rule_descriptions(&cleaner));
        for (id, input) in docs {
            let c = cleaner.clean(input);
            page.add(&DocRef {
                id,
                input: input.as_bytes(),
                cleaned: &c,
            });
        }
        page.render()
    }

    #[test]
    fn escapes_everything() {
        assert_eq!(
            escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        let html = page_of(&[("<b>id</b>", "Hello <script>alert(1)</script> , world .\n")]);
        assert!(
            !html.contains("<script>alert"),
            "input script must be escaped"
        );
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("&lt;b&gt;id&lt;/b&gt;"));
        assert!(!html.contains("<b>id</b>"));
        assert!(html.contains("<title>Review &lt;test&gt;</title>"));
        // Exactly one script element: ours.
        assert_eq!(html.matches("<script>").count(), 1);
        // Rule descriptions go into a JSON script element; they cannot close it.
        let cleaner = Cleaner::new(Config::default()).unwrap();
        let input = "a , b\n";
        let c = cleaner.clean(input);
        let mut page = ReviewPage::new("t").with_descriptions(BTreeMap::from([(
            "generic/spacing".to_string(),
            "x</script><script>bad()".to_string(),
        )]));
        page.add(&DocRef {
            id: "x",
            input: input.as_bytes(),
            cleaned: &c,
        });
        let html = page.render();
        assert!(!html.contains("</script><script>bad"), "{html}");
        assert!(
            html.contains("x\\u003c/script>\\u003cscript>bad()"),
            "{html}"
        );
    }

    #[test]
    fn edits_are_inline_with_rule_kind_and_description() {
        let html = page_of(&[("a.txt", "Sales rose , the company said .\n")]);
        assert!(html.contains("Sales rose<span class=\"chg\" tabindex=\"0\" data-rule=\"generic/spacing\" data-kind=\"spacing\" data-conf=\"certain\"><del class=\"w\">·</del></span>, the company said"), "{html}");
        let desc = crate::rules::all_rules(&crate::dict::Dictionaries::embedded())
            .into_iter()
            .find(|r| r.id() == "generic/spacing")
            .map(|r| r.describe())
            .unwrap();
        let want = format!(
            "\"generic/spacing\":{}",
            serde_json::to_string(desc).unwrap()
        );
        assert!(
            html.contains("<script type=\"application/json\" id=\"rules\">{"),
            "{html}"
        );
        assert!(html.contains(&want), "{html}");
        assert!(html.contains("<option value=\"generic/spacing\">generic/spacing (2)</option>"));
        assert!(html.contains("<option value=\"pack:generic\">"));
        assert!(html.contains("<option value=\"spacing\">spacing (2)</option>"));
        assert!(
            html.contains(
                "<tr data-d=\"0\"><td class=\"n\">1</td><td><a href=\"#d0\">a.txt</a></td><td>"
            ),
            "{html}"
        );
        assert!(html.contains("1 documents · 2 edits · 0 flags"));
        // Self-contained: nothing fetched.
        for bad in ["http://", "https://", "<link", "src="] {
            assert!(!html.contains(bad), "{bad}");
        }
    }

    #[test]
    fn replacements_show_del_and_ins_and_text_reads_back() {
        let input = "In 5 month 3 , sales rose.\n";
        let cleaner = Cleaner::new(Config::default()).unwrap();
        let mut c = cleaner.clean(input);
        let s = input.find("5 month 3").unwrap();
        c.edits = vec![Edit::new(
            Span::new(s, s + 9),
            "May 3",
            "zh_en/date",
            ArtifactKind::Date,
            Confidence::Likely,
        )];
        c.flags = vec![Flag {
            rule: "en/odd".into(),
            kind: ArtifactKind::Other,
            span: Span::new(
                input.find("sales").unwrap(),
                input.find("sales").unwrap() + 5,
            ),
            out_span: Span::new(0, 0),
            text: "sales".into(),
            message: "odd <word>".into(),
            confidence: Confidence::Unsure,
            suggestion: None,
        }];
        let mut page = ReviewPage::new("t");
        page.add(&DocRef {
            id: "x",
            input: input.as_bytes(),
            cleaned: &c,
        });
        let html = page.render();
        assert!(html.contains("<del>5 month 3</del><ins>May 3</ins></span> , <mark class=\"flag\" tabindex=\"0\" data-rule=\"en/odd\""), "{html}");
        assert!(html.contains(">sales</mark> rose.\n</div>"), "{html}");
        assert!(html.contains("odd &lt;word&gt;"));
        assert!(html
            .contains("<li class=\"fl\" data-rule=\"en/odd\" data-kind=\"other\"><b>!</b> line 1"));
    }

    #[test]
    fn overlapping_and_point_flags_keep_html_well_formed() {
        let input = "abc def ghi\n";
        let cleaner = Cleaner::new(Config::default()).unwrap();
        let mut c = cleaner.clean(input);
        let flag = |a: usize, b: usize| Flag {
            rule: "x/y".into(),
            kind: ArtifactKind::Other,
            span: Span::new(a, b),
            out_span: Span::new(a, b),
            text: String::new(),
            message: "m".into(),
            confidence: Confidence::Unsure,
            suggestion: None,
        };
        c.flags = vec![flag(0, 0), flag(0, 5), flag(2, 7), flag(8, 11)];
        c.edits = vec![Edit::new(
            Span::new(3, 4),
            "_",
            "generic/spacing",
            ArtifactKind::Spacing,
            Confidence::Certain,
        )];
        let mut page = ReviewPage::new("t");
        page.add(&DocRef {
            id: "x",
            input: input.as_bytes(),
            cleaned: &c,
        });
        let html = page.render();
        let text = html
            .split("<div class=\"text\">")
            .nth(1)
            .unwrap()
            .split("</div>")
            .next()
            .unwrap();
        assert_eq!(
            text.matches("<mark").count(),
            text.matches("</mark>").count()
        );
        assert_eq!(
            text.matches("<mark").count(),
            3,
            "the crossing flag is only listed: {text}"
        );
        assert!(text.starts_with("<mark class=\"flag\""), "{text}");
        assert!(text.contains(">⚑</mark><mark"), "{text}");
        assert_eq!(html.matches("<li class=\"fl\"").count(), 4);
    }

    #[test]
    fn invalid_utf8_renders() {
        let cleaner = Cleaner::new(Config::default()).unwrap();
        let input = b"ab\xffcd\n";
        let c = cleaner.clean_bytes(input);
        let mut page = ReviewPage::new("t");
        page.add(&DocRef {
            id: "x",
            input,
            cleaned: &c,
        });
        let html = page.render();
        assert!(html.contains("ab<span class=\"chg\""), "{html}");
        assert!(html.contains("<ins>\u{FFFD}</ins>"));
    }
}
