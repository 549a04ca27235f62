//! Decompression on a thread of its own: a long gzip or zstd input is decoded ahead of the
//! reader, so the thread that reads the input (and writes the outputs) does not also inflate it.
//!
//! One gzip stream cannot be split, so its decoding is serial work. Left on the reading thread,
//! it adds to that thread's share of each chunk, and with many worker threads cleaning a chunk
//! quickly that share is what a run waits for. [`ReadAhead`] reads the first
//! [`ReadAhead::INLINE`] bytes itself (a small file never starts a thread), then moves the decoder
//! to a thread that hands over blocks of [`ReadAhead::BLOCK`] bytes through a channel of
//! [`ReadAhead::DEPTH`] places, so memory stays bounded.
//!
//! The bytes, and a read error after them, arrive exactly as the decoder gives them: the
//! thread only forwards the decoder's stream. A thread that stops without saying the stream
//! ended (it panicked) is a read error, never a silent end of input.
//!
//! ```
//! use std::io::{BufRead, Read};
//! use textmend::io::read_ahead::ReadAhead;
//!
//! let data: Vec<u8> = (0..200_000u32).flat_map(|k| format!("line {k}\n").into_bytes()).collect();
//! // Read inline for the first 1,000 bytes, then from a thread.
//! let mut r = ReadAhead::with_inline(Box::new(std::io::Cursor::new(data.clone())), 1_000);
//! let mut back = Vec::new();
//! r.read_to_end(&mut back)?;
//! assert_eq!(back, data);
//! # Ok::<(), std::io::Error>(())
//! ```

use std::io::{self, BufRead, Read};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TryRecvError};

/// What the decoding thread sends.
enum Msg {
    Data(Vec<u8>),
    Failed(io::Error),
    End,
}

enum State {
    /// Reading on the caller's thread; `read` bytes consumed so far.
    Inline {
        inner: Box<dyn BufRead + Send>,
        read: u64,
    },
    /// Blocks come from the decoding thread; spent blocks go back to it.
    Thread {
        rx: Receiver<Msg>,
        spent: SyncSender<Vec<u8>>,
    },
    /// The stream ended or failed: nothing more is read.
    Done,
}

/// A [`BufRead`] that moves a long stream's decoding to a thread of its own (see the module
/// documentation).
pub struct ReadAhead {
    state: State,
    block: Vec<u8>,
    pos: usize,
    inline_limit: u64,
    spawned: bool,
}

impl ReadAhead {
    /// Bytes read on the caller's thread before decoding moves to a thread.
    pub const INLINE: u64 = 4 << 20;
    /// Bytes per block handed over.
    pub const BLOCK: usize = 1 << 20;
    /// Blocks waiting in the channel at most.
    pub const DEPTH: usize = 2;

    /// Reads `inner`, moving it to a thread after [`ReadAhead::INLINE`] bytes.
    pub fn new(inner: Box<dyn BufRead + Send>) -> ReadAhead {
        ReadAhead::with_inline(inner, ReadAhead::INLINE)
    }

    /// Reads `inner`, moving it to a thread after `inline` bytes (0: at once).
    pub fn with_inline(inner: Box<dyn BufRead + Send>, inline: u64) -> ReadAhead {
        ReadAhead {
            state: State::Inline { inner, read: 0 },
            block: Vec::new(),
            pos: 0,
            inline_limit: inline,
            spawned: false,
        }
    }

    /// Whether decoding has moved to a thread.
    pub fn threaded(&self) -> bool {
        self.spawned
    }

    fn start_thread(&mut self) -> io::Result<()> {
        let State::Inline { inner, .. } = std::mem::replace(&mut self.state, State::Done) else {
            return Ok(());
        };
        let (tx, rx) = sync_channel::<Msg>(ReadAhead::DEPTH);
        let (spent, spent_rx) = sync_channel::<Vec<u8>>(ReadAhead::DEPTH + 2);
        std::thread::Builder::new()
            .name("textmend-read".into())
            .spawn(move || decode(inner, &tx, &spent_rx))?;
        self.state = State::Thread { rx, spent };
        self.spawned = true;
        Ok(())
    }
}

/// The decoding thread: blocks of the stream until it ends, fails, or the reader is dropped.
fn decode(mut inner: Box<dyn BufRead + Send>, tx: &SyncSender<Msg>, spent: &Receiver<Vec<u8>>) {
    loop {
        let mut buf = match spent.try_recv() {
            Ok(mut b) => {
                b.clear();
                b
            }
            Err(TryRecvError::Empty | TryRecvError::Disconnected) => {
                Vec::with_capacity(ReadAhead::BLOCK)
            }
        };
        let mut failed = None;
        while buf.len() < ReadAhead::BLOCK {
            match inner.fill_buf() {
                Ok([]) => break,
                Ok(b) => {
                    let n = b.len().min(ReadAhead::BLOCK - buf.len());
                    buf.extend_from_slice(&b[..n]);
                    inner.consume(n);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            }
        }
        let full = buf.len() == ReadAhead::BLOCK;
        if !buf.is_empty() && tx.send(Msg::Data(buf)).is_err() {
            return; // the reader is gone
        }
        if let Some(e) = failed {
            let _ = tx.send(Msg::Failed(e));
            return;
        }
        if !full {
            let _ = tx.send(Msg::End);
            return;
        }
    }
}

impl Read for ReadAhead {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let b = self.fill_buf()?;
        let n = b.len().min(out.len());
        out[..n].copy_from_slice(&b[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for ReadAhead {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.pos == self.block.len() {
            if let State::Inline { read, .. } = &self.state {
                if *read >= self.inline_limit {
                    self.start_thread()?;
                }
            }
            if matches!(self.state, State::Inline { .. }) {
                let State::Inline { inner, .. } = &mut self.state else {
                    unreachable!()
                };
                return inner.fill_buf();
            }
            let msg = match &self.state {
                State::Thread { rx, .. } => rx.recv().unwrap_or_else(|_| {
                    Msg::Failed(io::Error::other(
                        "the decompression thread stopped before the end of the input",
                    ))
                }),
                State::Inline { .. } | State::Done => return Ok(&[]),
            };
            match msg {
                Msg::Data(b) => {
                    let old = std::mem::replace(&mut self.block, b);
                    if let State::Thread { spent, .. } = &self.state {
                        if old.capacity() > 0 {
                            let _ = spent.try_send(old);
                        }
                    }
                    self.pos = 0;
                }
                Msg::End => {
                    self.state = State::Done;
                    return Ok(&[]);
                }
                Msg::Failed(e) => {
                    self.state = State::Done;
                    return Err(e);
                }
            }
        }
        Ok(&self.block[self.pos..])
    }

    fn consume(&mut self, amt: usize) {
        if self.pos < self.block.len() {
            self.pos = (self.pos + amt).min(self.block.len());
        } else if let State::Inline { inner, read } = &mut self.state {
            inner.consume(amt);
            *read += amt as u64;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stream of `data` that fails after `fail_at` bytes (if given), in reads of odd sizes.
    struct Flaky {
        data: Vec<u8>,
        at: usize,
        fail_at: Option<usize>,
        interrupted: bool,
    }

    impl Read for Flaky {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            if !self.interrupted && self.at > 0 {
                self.interrupted = true;
                return Err(io::Error::from(io::ErrorKind::Interrupted));
            }
            let end = self.fail_at.unwrap_or(self.data.len());
            if self.at >= end {
                return match self.fail_at {
                    Some(_) => Err(io::Error::new(io::ErrorKind::InvalidData, "corrupt")),
                    None => Ok(0),
                };
            }
            let n = out.len().min(end - self.at).min(7_777);
            out[..n].copy_from_slice(&self.data[self.at..self.at + n]);
            self.at += n;
            Ok(n)
        }
    }

    fn data(n: usize) -> Vec<u8> {
        (0..n).map(|k| (k * 31 % 251) as u8).collect()
    }

    fn reader(d: &[u8], fail_at: Option<usize>, inline: u64) -> ReadAhead {
        let f = Flaky {
            data: d.to_vec(),
            at: 0,
            fail_at,
            interrupted: false,
        };
        ReadAhead::with_inline(Box::new(io::BufReader::with_capacity(4096, f)), inline)
    }

    #[test]
    fn every_byte_arrives_in_order_inline_threaded_and_switching() {
        // Lengths around the block size, and switch points before, at and after the start.
        let d = data(3 * ReadAhead::BLOCK + 12_345);
        for (len, inline) in [
            (0, 0),
            (10, 0),
            (ReadAhead::BLOCK, 0),
            (d.len(), 0),
            (d.len(), 100_000),
            (d.len(), u64::MAX),
        ] {
            let mut r = reader(&d[..len], None, inline);
            let mut back = Vec::new();
            r.read_to_end(&mut back).unwrap();
            assert_eq!(back, &d[..len], "len {len}, inline {inline}");
            assert_eq!(r.threaded(), inline <= len as u64);
        }
    }

    #[test]
    fn lines_read_through_it_are_the_lines_of_the_stream() {
        let text: Vec<u8> = (0..300_000)
            .flat_map(|k| format!("{{\"id\":{k}}}\n").into_bytes())
            .collect();
        let mut r = reader(&text, None, 50_000);
        let mut n = 0;
        let mut line = Vec::new();
        while r.read_until(b'\n', &mut line).unwrap() > 0 {
            assert_eq!(line, format!("{{\"id\":{n}}}\n").as_bytes());
            line.clear();
            n += 1;
        }
        assert_eq!(n, 300_000);
        assert!(r.threaded());
    }

    #[test]
    fn an_error_comes_after_the_bytes_before_it_then_the_stream_ends() {
        let d = data(2 * ReadAhead::BLOCK + 500);
        for fail_at in [0, 1_000, ReadAhead::BLOCK, d.len() - 1] {
            for inline in [0, u64::MAX] {
                let mut r = reader(&d, Some(fail_at), inline);
                let mut back = Vec::new();
                let err = loop {
                    match r.fill_buf() {
                        Ok([]) => panic!("ended without the error (fail_at {fail_at})"),
                        Ok(b) => {
                            let n = b.len();
                            back.extend_from_slice(b);
                            r.consume(n);
                        }
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        Err(e) => break e,
                    }
                };
                assert_eq!(err.kind(), io::ErrorKind::InvalidData);
                assert_eq!(back, &d[..fail_at], "fail_at {fail_at}, inline {inline}");
                if inline == 0 {
                    assert!(r.fill_buf().unwrap().is_empty(), "nothing after the error");
                }
            }
        }
    }

    #[test]
    fn a_gzip_stream_decodes_the_same_through_it() {
        use crate::io::Compression;
        let text: Vec<u8> = (0..400_000)
            .flat_map(|k| format!("line {k} of the corpus\n").into_bytes())
            .collect();
        for c in [Compression::Gz, Compression::Zst] {
            let packed = c.compress(&text).unwrap();
            let mut r = c.reader(io::Cursor::new(packed)).unwrap();
            let mut back = Vec::new();
            r.read_to_end(&mut back).unwrap();
            assert_eq!(back, text, "{c:?}");
        }
    }

    #[test]
    fn dropping_the_reader_early_stops_the_thread() {
        let d = data(8 * ReadAhead::BLOCK);
        let mut r = reader(&d, None, 0);
        let mut first = [0u8; 10];
        r.read_exact(&mut first).unwrap();
        assert_eq!(first, d[..10]);
        drop(r); // the thread's next send fails and it returns; nothing hangs
    }
}
