//! Fuzz `.docx` reading: any bytes as a zip package, and any text as `word/document.xml`.
//! Never panics; the extracted text has no control characters but tab and newline.
#![no_main]

use gwlint::docx::{document_xml_text, extract_text_limited};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let results = [
        extract_text_limited(data, 1 << 20),
        std::str::from_utf8(data)
            .map_err(|_| gwlint::docx::DocxError::NoDocument)
            .and_then(document_xml_text),
    ];
    for text in results.into_iter().flatten() {
        assert!(text.chars().all(|c| !c.is_control() || c == '\t' || c == '\n'));
    }
});
