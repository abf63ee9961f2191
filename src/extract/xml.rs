//! Shared quick-xml helpers for the OOXML / ODF extractors (docx, odt, xlsx drawings).
