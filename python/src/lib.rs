//! Python bindings: `textmend.Cleaner` (see python/README.md and textmend/_textmend.pyi).
//!
//! Results cross into Python as plain dicts and lists, so they pickle, JSON-encode and go into
//! Arrow columns with no wrapper types. Offsets given to Python (`start`, `end`) count code points,
//! like Python string indices; `byte_start` / `byte_end` are the UTF-8 byte offsets used by the
//! CLI's change log.

use std::collections::BTreeMap;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use rayon::prelude::*;
use textmend::{Cleaned, Config};

/// Byte offsets to code-point offsets, for positions that mostly come in increasing order.
struct CharIndex<'a> {
    text: &'a str,
    byte: usize,
    chars: usize,
}

impl<'a> CharIndex<'a> {
    fn new(text: &'a str) -> Self {
        CharIndex {
            text,
            byte: 0,
            chars: 0,
        }
    }

    /// Code points before byte offset `b` (clamped to the text; rounded down to a char boundary).
    fn at(&mut self, b: usize) -> usize {
        let mut b = b.min(self.text.len());
        while !self.text.is_char_boundary(b) {
            b -= 1;
        }
        if b < self.byte {
            self.byte = 0;
            self.chars = 0;
        }
        self.chars += self.text[self.byte..b].chars().count();
        self.byte = b;
        self.chars
    }
}

/// One cleaned document with its offsets already converted, ready to become a dict.
struct Out {
    cleaned: Cleaned,
    /// (start, end) in code points of the input, per edit.
    edit_chars: Vec<(usize, usize)>,
    /// (start, end, out_start, out_end) in code points, per flag.
    flag_chars: Vec<(usize, usize, usize, usize)>,
    /// The original text at each edit's span.
    before: Vec<String>,
}

fn run(cleaner: &textmend::Cleaner, input: &str) -> Out {
    let cleaned = cleaner.clean(input);
    let mut ix = CharIndex::new(input);
    let mut edit_chars = Vec::with_capacity(cleaned.edits.len());
    let mut before = Vec::with_capacity(cleaned.edits.len());
    for e in &cleaned.edits {
        edit_chars.push((ix.at(e.span.start), ix.at(e.span.end)));
        before.push(
            input
                .get(e.span.start..e.span.end)
                .unwrap_or("")
                .to_string(),
        );
    }
    let mut ix = CharIndex::new(input);
    let mut ox = CharIndex::new(&cleaned.text);
    let flag_chars = cleaned
        .flags
        .iter()
        .map(|f| {
            (
                ix.at(f.span.start),
                ix.at(f.span.end),
                ox.at(f.out_span.start),
                ox.at(f.out_span.end),
            )
        })
        .collect();
    Out {
        cleaned,
        edit_chars,
        flag_chars,
        before,
    }
}

fn to_dict<'py>(py: Python<'py>, out: Out) -> PyResult<Bound<'py, PyDict>> {
    let Out {
        cleaned,
        edit_chars,
        flag_chars,
        before,
    } = out;
    let d = PyDict::new(py);
    d.set_item("text", &cleaned.text)?;
    let edits = PyList::empty(py);
    for ((e, (s, t)), b) in cleaned.edits.iter().zip(edit_chars).zip(before) {
        let x = PyDict::new(py);
        x.set_item("rule", &*e.rule)?;
        x.set_item("also", e.also.iter().map(|s| &**s).collect::<Vec<&str>>())?;
        x.set_item("kind", e.kind.as_str())?;
        x.set_item("start", s)?;
        x.set_item("end", t)?;
        x.set_item("byte_start", e.span.start)?;
        x.set_item("byte_end", e.span.end)?;
        x.set_item("before", b)?;
        x.set_item("after", &e.replacement)?;
        x.set_item("confidence", e.confidence.as_str())?;
        edits.append(x)?;
    }
    d.set_item("edits", edits)?;
    let flags = PyList::empty(py);
    for (f, (s, t, os, ot)) in cleaned.flags.iter().zip(flag_chars) {
        let x = PyDict::new(py);
        x.set_item("rule", &f.rule)?;
        x.set_item("kind", f.kind.as_str())?;
        x.set_item("start", s)?;
        x.set_item("end", t)?;
        x.set_item("out_start", os)?;
        x.set_item("out_end", ot)?;
        x.set_item("text", &f.text)?;
        x.set_item("message", &f.message)?;
        x.set_item("confidence", f.confidence.as_str())?;
        x.set_item("suggestion", &f.suggestion)?;
        flags.append(x)?;
    }
    d.set_item("flags", flags)?;
    let meta = PyDict::new(py);
    for (k, v) in &cleaned.metadata {
        meta.set_item(k, v)?;
    }
    d.set_item("metadata", meta)?;
    d.set_item("lang", &cleaned.profile.lang)?;
    d.set_item("artifact_score", cleaned.profile.artifact_score)?;
    d.set_item("passes", cleaned.passes)?;
    Ok(d)
}

fn scan_dict<'py>(py: Python<'py>, cleaned: &Cleaned) -> PyResult<Bound<'py, PyDict>> {
    let mut findings: BTreeMap<&str, usize> = BTreeMap::new();
    for e in &cleaned.edits {
        *findings.entry(e.kind.as_str()).or_insert(0) += 1;
    }
    let mut flags: BTreeMap<&str, usize> = BTreeMap::new();
    for f in &cleaned.flags {
        *flags.entry(f.kind.as_str()).or_insert(0) += 1;
    }
    let d = PyDict::new(py);
    let p = &cleaned.profile;
    d.set_item("lang", &p.lang)?;
    d.set_item("lang_confidence", p.lang_confidence)?;
    d.set_item("script", &p.script)?;
    d.set_item("artifact_score", p.artifact_score)?;
    d.set_item("zh_en", p.zh_en)?;
    d.set_item("findings", findings.into_pyobject(py)?)?;
    d.set_item("flags", flags.into_pyobject(py)?)?;
    d.set_item("n_edits", cleaned.edits.len())?;
    d.set_item("n_flags", cleaned.flags.len())?;
    Ok(d)
}

/// Cleans text. Build once (it compiles every rule and dictionary), then call `clean` or
/// `clean_batch` as often as needed; it is safe to share between threads.
#[pyclass(frozen, module = "textmend")]
struct Cleaner {
    inner: textmend::Cleaner,
}

fn config_from_py(config: Option<&Bound<'_, PyAny>>) -> PyResult<Config> {
    let Some(obj) = config.filter(|c| !c.is_none()) else {
        return Ok(Config::default());
    };
    if !obj.is_instance_of::<PyDict>() {
        return Err(PyValueError::new_err("config must be a dict (or None)"));
    }
    let py = obj.py();
    let json: String = py
        .import("json")?
        .call_method1("dumps", (obj,))?
        .extract()?;
    serde_json::from_str::<Config>(&json)
        .map_err(|e| PyValueError::new_err(format!("invalid textmend config: {e}")))
}

#[pymethods]
impl Cleaner {
    /// `config` maps onto textmend's Config (the keys of textmend.toml); unknown keys and bad
    /// values raise ValueError.
    #[new]
    #[pyo3(signature = (config=None))]
    fn new(config: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let cfg = config_from_py(config)?;
        let inner = textmend::Cleaner::new(cfg)
            .map_err(|e| PyValueError::new_err(format!("invalid textmend config: {e}")))?;
        Ok(Cleaner { inner })
    }

    /// The full configuration as a dict (defaults filled in); `Cleaner(c.config)` behaves like `c`.
    #[getter]
    fn config<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let json = serde_json::to_string(self.inner.config())
            .map_err(|e| PyValueError::new_err(e.to_string()))?;
        py.import("json")?.call_method1("loads", (json,))
    }

    /// Ids of the enabled rules, in the order they win conflicts.
    fn rules(&self) -> Vec<String> {
        self.inner.rules().map(|r| r.id().to_string()).collect()
    }

    /// Cleans one text; returns a dict (text, edits, flags, metadata, lang, artifact_score, passes).
    fn clean<'py>(&self, py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyDict>> {
        let inner = &self.inner;
        let out = py.detach(|| run(inner, text));
        to_dict(py, out)
    }

    /// Cleans many texts in parallel (rayon, GIL released); same results as `[clean(t) for t in texts]`.
    fn clean_batch<'py>(
        &self,
        py: Python<'py>,
        texts: Vec<String>,
    ) -> PyResult<Bound<'py, PyList>> {
        let inner = &self.inner;
        let outs: Vec<Out> = py.detach(|| texts.par_iter().map(|t| run(inner, t)).collect());
        let list = PyList::empty(py);
        for out in outs {
            list.append(to_dict(py, out)?)?;
        }
        Ok(list)
    }

    /// Detection only: language, artifact score, and counts per kind of the repairs `clean` would
    /// make (`findings`) and of the artifacts it would flag (`flags`). Runs the same engine as
    /// `clean` and drops the rewritten text.
    fn scan<'py>(&self, py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyDict>> {
        let inner = &self.inner;
        let cleaned = py.detach(|| inner.clean(text));
        scan_dict(py, &cleaned)
    }

    /// Pickles as `Cleaner(config)`, so Ray, Spark and multiprocessing can ship it to workers.
    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, PyAny>,))> {
        let py = slf.py();
        let cls = slf.get_type().into_any();
        Ok((cls, (slf.get().config(py)?,)))
    }

    fn __repr__(&self) -> String {
        let json = serde_json::to_string(self.inner.config()).unwrap_or_default();
        format!("textmend.Cleaner({json})")
    }
}

#[pymodule]
fn _textmend(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Cleaner>()?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
