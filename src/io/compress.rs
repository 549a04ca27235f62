//! gzip and zstd streams, chosen by file extension (or by magic bytes on stdin).

use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::Path;

use super::read_ahead::ReadAhead;

/// A stream compression.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Compression {
    #[default]
    None,
    Gz,
    Zst,
}

impl Compression {
    /// From a name such as `none`, `gz`, `gzip`, `zst`, `zstd`.
    pub fn parse(s: &str) -> Option<Compression> {
        match s {
            "none" => Some(Compression::None),
            "gz" | "gzip" => Some(Compression::Gz),
            "zst" | "zstd" => Some(Compression::Zst),
            _ => None,
        }
    }

    /// From a file name's last extension.
    pub fn from_path(path: &Path) -> Compression {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("gz") => Compression::Gz,
            Some("zst") => Compression::Zst,
            _ => Compression::None,
        }
    }

    /// From the first bytes of a stream.
    pub fn from_magic(head: &[u8]) -> Compression {
        if head.starts_with(&[0x1f, 0x8b]) {
            Compression::Gz
        } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Compression::Zst
        } else {
            Compression::None
        }
    }

    /// The extension with its dot (`""`, `".gz"`, `".zst"`).
    pub fn ext(&self) -> &'static str {
        match self {
            Compression::None => "",
            Compression::Gz => ".gz",
            Compression::Zst => ".zst",
        }
    }

    /// `name` without a trailing `.gz` or `.zst`.
    pub fn strip_ext(name: &str) -> &str {
        let lower = name.to_ascii_lowercase();
        for ext in [".gz", ".zst"] {
            if lower.ends_with(ext) {
                return &name[..name.len() - ext.len()];
            }
        }
        name
    }

    /// Wraps `inner` in a decompressing, buffered reader. A long compressed stream is decoded
    /// on a thread of its own ([`ReadAhead`]).
    pub fn reader<R: Read + Send + 'static>(
        &self,
        inner: R,
    ) -> io::Result<Box<dyn BufRead + Send>> {
        const CAP: usize = 256 * 1024;
        Ok(match self {
            Compression::None => Box::new(BufReader::with_capacity(CAP, inner)),
            Compression::Gz => Box::new(ReadAhead::new(Box::new(BufReader::with_capacity(
                CAP,
                flate2::read::MultiGzDecoder::new(inner),
            )))),
            Compression::Zst => Box::new(ReadAhead::new(Box::new(BufReader::with_capacity(
                CAP,
                zstd::stream::read::Decoder::new(inner)?,
            )))),
        })
    }

    /// Wraps `inner` in a compressing writer; call [`Encoder::finish`] to end the stream.
    pub fn writer<W: Write>(&self, inner: W) -> io::Result<Encoder<W>> {
        Ok(match self {
            Compression::None => Encoder::Plain(inner),
            Compression::Gz => Encoder::Gz(flate2::write::GzEncoder::new(
                inner,
                flate2::Compression::default(),
            )),
            Compression::Zst => Encoder::Zst(zstd::stream::write::Encoder::new(inner, 3)?),
        })
    }

    /// `data` as one complete gzip member or zstd frame (uncompressed: a copy), with the same
    /// settings as [`Compression::writer`]. Members written one after another make one valid
    /// file that decompresses to the concatenation, so the pieces of a large output can be
    /// compressed on several threads at once.
    ///
    /// ```
    /// use std::io::Read;
    /// use textmend::io::Compression;
    /// let mut file = Compression::Gz.compress(b"first line\n").unwrap();
    /// file.extend(Compression::Gz.compress(b"second line\n").unwrap());
    /// let mut text = String::new();
    /// Compression::Gz.reader(std::io::Cursor::new(file)).unwrap().read_to_string(&mut text).unwrap();
    /// assert_eq!(text, "first line\nsecond line\n");
    /// ```
    pub fn compress(&self, data: &[u8]) -> io::Result<Vec<u8>> {
        let mut e = self.writer(Vec::with_capacity(data.len() / 4 + 64))?;
        e.write_all(data)?;
        e.finish()
    }
}

/// A writer that may compress.
pub enum Encoder<W: Write> {
    Plain(W),
    Gz(flate2::write::GzEncoder<W>),
    Zst(zstd::stream::write::Encoder<'static, W>),
}

impl<W: Write> Encoder<W> {
    /// Ends the compressed stream and gives the inner writer back (flushed).
    pub fn finish(self) -> io::Result<W> {
        let mut w = match self {
            Encoder::Plain(w) => w,
            Encoder::Gz(e) => e.finish()?,
            Encoder::Zst(e) => e.finish()?,
        };
        w.flush()?;
        Ok(w)
    }
}

impl<W: Write> Write for Encoder<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Encoder::Plain(w) => w.write(buf),
            Encoder::Gz(w) => w.write(buf),
            Encoder::Zst(w) => w.write(buf),
        }
    }
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Encoder::Plain(w) => w.write_all(buf),
            Encoder::Gz(w) => w.write_all(buf),
            Encoder::Zst(w) => w.write_all(buf),
        }
    }
    fn write_vectored(&mut self, bufs: &[io::IoSlice<'_>]) -> io::Result<usize> {
        match self {
            Encoder::Plain(w) => w.write_vectored(bufs),
            Encoder::Gz(w) => w.write_vectored(bufs),
            Encoder::Zst(w) => w.write_vectored(bufs),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self {
            Encoder::Plain(w) => w.flush(),
            Encoder::Gz(w) => w.flush(),
            Encoder::Zst(w) => w.flush(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for c in [Compression::None, Compression::Gz, Compression::Zst] {
            let mut w = c.writer(Vec::new()).unwrap();
            w.write_all(b"{\"text\":\"a\"}\n").unwrap();
            let bytes = w.finish().unwrap();
            assert_eq!(Compression::from_magic(&bytes), c);
            let mut r = c.reader(std::io::Cursor::new(bytes)).unwrap();
            let mut s = String::new();
            r.read_to_string(&mut s).unwrap();
            assert_eq!(s, "{\"text\":\"a\"}\n");
        }
    }

    #[test]
    fn names() {
        assert_eq!(
            Compression::from_path(Path::new("a.jsonl.gz")),
            Compression::Gz
        );
        assert_eq!(
            Compression::from_path(Path::new("a.jsonl.ZST")),
            Compression::Zst
        );
        assert_eq!(
            Compression::from_path(Path::new("a.jsonl")),
            Compression::None
        );
        assert_eq!(Compression::strip_ext("a.jsonl.gz"), "a.jsonl");
        assert_eq!(Compression::strip_ext("a.jsonl"), "a.jsonl");
    }
}
