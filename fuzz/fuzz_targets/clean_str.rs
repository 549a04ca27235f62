//! Cleaner::clean on structured documents (MT artifacts, dictionary phrases, numbers, CJK, blank
//! lines, CRLF; see `textmend_fuzz::gen`), under both configurations; every invariant must hold.
#![no_main]

use libfuzzer_sys::fuzz_target;
use textmend_fuzz::gen::Doc;

fuzz_target!(|doc: Doc| {
    textmend_fuzz::check_all(doc.render().as_bytes());
});
