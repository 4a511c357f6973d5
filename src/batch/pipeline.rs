//! An ordered parallel map over a streamed caseload.
//!
//! One thread reads chunks of rows; `threads` workers each build their own state (a rule
//! set holds a Rhai engine, which is not `Send`, so each worker loads its own from the same
//! files) and turn rows into results; the calling thread puts chunks back in input order
//! and hands them to the sink. A fixed number of permits caps the chunks between reader
//! and sink, so memory stays flat however long the input is and however uneven the workers.

use super::rows::{Decoder, Row, RowReader};
use super::BatchError;
use crate::error::Error;
use std::collections::BTreeMap;
use std::io::{self, Read};
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::{Arc, Mutex};

#[derive(Debug, Clone, Copy)]
pub struct Settings {
    pub threads: usize,
    pub chunk_rows: usize,
}

/// The results of one chunk, in row order: (row number, result).
pub type Results<T> = Vec<(u64, T)>;

type Done<T> = Result<(u64, Results<T>, u64), Error>;

/// Run `work` over every row with per-thread state from `init`, calling `sink` with each
/// chunk's results in input order, and the input bytes read so far.
pub fn run<R, S, T, I, W, K>(
    reader: RowReader<R>,
    decoder: &Decoder,
    settings: Settings,
    init: I,
    work: W,
    mut sink: K,
) -> Result<(), BatchError>
where
    R: Read + Send,
    T: Send,
    I: Fn() -> Result<S, Error> + Sync,
    W: Fn(&mut S, u64, Result<Row, Error>) -> T + Sync,
    K: FnMut(Results<T>, u64) -> io::Result<()>,
{
    let threads = settings.threads.max(1);
    let chunk_rows = settings.chunk_rows.max(1);
    let in_flight = threads * 4;
    let (work_tx, work_rx) = sync_channel(threads * 2);
    let work_rx = Arc::new(Mutex::new(work_rx));
    let (done_tx, done_rx) = sync_channel::<Done<T>>(in_flight);
    let (permit_tx, permit_rx) = sync_channel::<()>(in_flight);
    for _ in 0..in_flight {
        // The channel holds exactly `in_flight` permits, so these sends never block.
        let _ = permit_tx.send(());
    }

    std::thread::scope(|s| {
        let read = s.spawn(move || -> io::Result<()> {
            let mut reader = reader;
            // No permit means the sink stopped: stop reading.
            while permit_rx.recv().is_ok() {
                match reader.next_chunk(chunk_rows)? {
                    Some(chunk) => {
                        if work_tx.send(chunk).is_err() {
                            break;
                        }
                    }
                    None => break,
                }
            }
            Ok(())
        });

        for _ in 0..threads {
            let done_tx = done_tx.clone();
            let work_rx = Arc::clone(&work_rx);
            let (init, work) = (&init, &work);
            // Workers run rule scripts: give them the 8 MB stack the CLI's main thread has,
            // which the sandbox limits on nesting are sized for.
            let spawned = std::thread::Builder::new()
                .stack_size(8 << 20)
                .spawn_scoped(s, move || worker(&work_rx, &done_tx, decoder, init, work));
            if let Err(e) = spawned {
                eprintln!("eligo: cannot start a worker thread: {e}");
            }
        }
        // Workers hold the only handles now: when they all stop, the reader sees it.
        drop(done_tx);
        drop(work_rx);

        let failure = deliver(&done_rx, &permit_tx, &mut sink);
        // Dropping these stops the reader and workers early if the sink failed.
        drop(done_rx);
        drop(permit_tx);
        let read_result =
            read.join().unwrap_or_else(|_| Err(io::Error::other("the reading thread stopped unexpectedly")));
        match (failure, read_result) {
            (Some(f), _) => Err(f),
            (None, Err(e)) => Err(BatchError::Read(e)),
            (None, Ok(())) => Ok(()),
        }
    })
}

fn worker<S, T, I, W>(
    work_rx: &Mutex<Receiver<super::rows::Chunk>>,
    done_tx: &std::sync::mpsc::SyncSender<Done<T>>,
    decoder: &Decoder,
    init: &I,
    work: &W,
) where
    I: Fn() -> Result<S, Error>,
    W: Fn(&mut S, u64, Result<Row, Error>) -> T,
{
    let mut state = match init() {
        Ok(s) => s,
        Err(e) => {
            let _ = done_tx.send(Err(e));
            return;
        }
    };
    loop {
        let chunk = {
            let Ok(rx) = work_rx.lock() else { return };
            match rx.recv() {
                Ok(c) => c,
                Err(_) => return,
            }
        };
        let results =
            chunk.rows.into_iter().map(|r| (r.number, work(&mut state, r.number, decoder.decode(r.raw)))).collect();
        if done_tx.send(Ok((chunk.seq, results, chunk.bytes_end))).is_err() {
            return;
        }
    }
}

/// Hand chunks to the sink in sequence order, returning a permit for each one written.
fn deliver<T, K>(
    done_rx: &Receiver<Done<T>>,
    permit_tx: &std::sync::mpsc::SyncSender<()>,
    sink: &mut K,
) -> Option<BatchError>
where
    K: FnMut(Results<T>, u64) -> io::Result<()>,
{
    let mut pending: BTreeMap<u64, (Results<T>, u64)> = BTreeMap::new();
    let mut next = 0u64;
    for msg in done_rx.iter() {
        let (seq, results, bytes) = match msg {
            Ok(done) => done,
            Err(e) => return Some(BatchError::Ruleset(e)),
        };
        pending.insert(seq, (results, bytes));
        while let Some((results, bytes)) = pending.remove(&next) {
            if let Err(e) = sink(results, bytes) {
                return Some(BatchError::Write(e));
            }
            next += 1;
            let _ = permit_tx.send(());
        }
    }
    None
}
