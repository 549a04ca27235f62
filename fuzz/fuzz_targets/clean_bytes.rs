//! Cleaner::clean_bytes on arbitrary bytes, under the default config and with the zh_en gate
//! forced open; every invariant of `textmend_fuzz::invariants::check` must hold.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    textmend_fuzz::check_all(data);
});
