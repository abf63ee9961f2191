//! Hostile archives built in memory for the tests: zips of zips that expand far beyond their
//! size on disk.

use std::io::{Cursor, Write};
use zip::ZipWriter;
use zip::write::SimpleFileOptions;

/// A zip of `members` (name, bytes), deflated or stored.
pub fn zip_of(members: &[(String, Vec<u8>)], deflate: bool) -> Vec<u8> {
    let method = if deflate {
        zip::CompressionMethod::Deflated
    } else {
        zip::CompressionMethod::Stored
    };
    let opts = SimpleFileOptions::default().compression_method(method);
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in members {
        w.start_file(name.as_str(), opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// A zip of 8 zips of 8 zips of 8 zips of 16 MiB of zeros: 8 GiB expanded, 8 MB on disk.
pub fn nested_bomb() -> Vec<u8> {
    let mut level = zip_of(&[("zeros.txt".into(), vec![0u8; 16 << 20])], true);
    for depth in 0..3 {
        let members: Vec<(String, Vec<u8>)> = (0..8)
            .map(|i| (format!("l{depth}-{i}.zip"), level.clone()))
            .collect();
        level = zip_of(&members, false);
    }
    level
}
