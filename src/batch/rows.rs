//! Reading a caseload a chunk at a time: JSON Lines (one object per line) or CSV with a
//! header of field names. The reader only splits rows; turning a row into input JSON
//! (parsing, and converting CSV cells by the schema) happens on the worker threads.

use crate::error::{Error, ErrorCode, Issue};
use crate::money;
use crate::ruleset::Input;
use crate::schema::{Field, FieldType};
use serde_json::{Map, Value};
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

/// A line longer than this is reported as a bad row and skipped, so one runaway line
/// cannot take the memory a streamed run promises to keep flat.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// UTF-8's byte-order mark.
const BOM: &[u8] = "\u{feff}".as_bytes();

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jsonl,
    Csv,
}

impl Format {
    /// The format a file name says: `.csv` is CSV, `.jsonl` and `.ndjson` are JSON Lines. A
    /// `.json` file is more often one document than one object per line, so it needs `--format`.
    pub fn from_path(path: &Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "csv" => Some(Format::Csv),
            "jsonl" | "ndjson" => Some(Format::Jsonl),
            _ => None,
        }
    }

    pub fn parse(name: &str) -> Option<Format> {
        match name {
            "csv" => Some(Format::Csv),
            "jsonl" | "ndjson" => Some(Format::Jsonl),
            _ => None,
        }
    }
}

/// One row as read: its number (from 1; for JSON Lines the line number, for CSV the
/// record after the header) and its raw content.
pub struct RawRow {
    pub number: u64,
    pub raw: Raw,
}

pub enum Raw {
    Line(Vec<u8>),
    Record(csv::StringRecord),
    /// The reader could not split this row (too long, not UTF-8); the run goes on.
    Bad(Error),
}

/// A run of consecutive rows, and how far into the input they reach (for progress).
pub struct Chunk {
    pub seq: u64,
    pub rows: Vec<RawRow>,
    pub bytes_end: u64,
}

pub struct RowReader<R: Read> {
    kind: Kind<R>,
    seq: u64,
    /// A read failure held back until the rows read before it are handed on.
    failed: Option<io::Error>,
}

enum Kind<R: Read> {
    Jsonl { reader: BufReader<R>, bytes: u64, line: u64, buf: Vec<u8> },
    /// `header`: the column names, to name a cell that is not UTF-8.
    Csv { reader: csv::Reader<R>, record: u64, header: Vec<String> },
}

impl<R: Read> RowReader<R> {
    pub fn jsonl(input: R) -> Self {
        let reader = BufReader::with_capacity(1 << 16, input);
        RowReader { kind: Kind::Jsonl { reader, bytes: 0, line: 0, buf: Vec::new() }, seq: 0, failed: None }
    }

    /// A CSV reader, with its header checked against the schema: every column must name a
    /// top-level field.
    pub fn csv(input: R, fields: &[Field]) -> Result<(Self, Decoder), String> {
        let mut reader = csv::ReaderBuilder::new().flexible(true).has_headers(true).from_reader(input);
        let header = reader.byte_headers().map_err(|e| format!("cannot read the CSV header: {e}"))?.clone();
        let header = csv::StringRecord::from_byte_record(header).map_err(|e| {
            let (field, valid) = (e.utf8_error().field(), e.utf8_error().valid_up_to());
            let record = e.into_byte_record();
            let before = String::from_utf8_lossy(record.get(field).map_or(&[][..], |b| &b[..valid.min(b.len())])).into_owned();
            let after = if before.is_empty() { String::new() } else { format!(" after {before:?}") };
            format!("column {} of the header row: not UTF-8 text{after}; {SAVE_AS_UTF8}", field + 1)
        })?;
        let decoder = Decoder::csv(&header, fields)?;
        let header = header.iter().map(|name| name.trim().trim_start_matches('\u{feff}').to_string()).collect();
        Ok((RowReader { kind: Kind::Csv { reader, record: 0, header }, seq: 0, failed: None }, decoder))
    }

    /// Up to `max` rows; `None` at the end of the input. Only I/O failures are errors:
    /// a malformed row comes back as `Raw::Bad` in its place.
    pub fn next_chunk(&mut self, max: usize) -> io::Result<Option<Chunk>> {
        if let Some(e) = self.failed.take() {
            return Err(e);
        }
        // Room for a usual chunk only: `max` comes from callers, up to 2^32 from a page.
        let mut rows = Vec::with_capacity(max.min(4096));
        let read = self.read_rows(max, &mut rows);
        let bytes_end = match read {
            Ok(b) => b,
            Err(e) if rows.is_empty() => return Err(e),
            Err(e) => {
                self.failed = Some(e);
                self.bytes_read()
            }
        };
        if rows.is_empty() {
            return Ok(None);
        }
        let seq = self.seq;
        self.seq += 1;
        Ok(Some(Chunk { seq, rows, bytes_end }))
    }

    fn bytes_read(&self) -> u64 {
        match &self.kind {
            Kind::Jsonl { bytes, .. } => *bytes,
            Kind::Csv { reader, .. } => reader.position().byte(),
        }
    }

    /// Append up to `max` rows; the bytes read so far.
    fn read_rows(&mut self, max: usize, rows: &mut Vec<RawRow>) -> io::Result<u64> {
        Ok(match &mut self.kind {
            Kind::Jsonl { reader, bytes, line, buf } => {
                while rows.len() < max {
                    buf.clear();
                    let n = reader.by_ref().take(MAX_LINE_BYTES as u64 + 1).read_until(b'\n', buf)?;
                    if n == 0 {
                        break;
                    }
                    *bytes += n as u64;
                    *line += 1;
                    let number = *line;
                    // A byte-order mark, as some Windows editors begin a file with (the CSV
                    // header drops it too): not part of the first row's JSON.
                    if number == 1 && buf.starts_with(BOM) {
                        buf.drain(..BOM.len());
                    }
                    if buf.len() > MAX_LINE_BYTES && buf.last() != Some(&b'\n') {
                        *bytes += skip_line(reader)?;
                        let msg = format!("is longer than {} MiB; split it or shorten it", MAX_LINE_BYTES >> 20);
                        rows.push(RawRow { number, raw: Raw::Bad(row_error("/", msg)) });
                        continue;
                    }
                    // Blank lines (a trailing newline, spacing) are not rows.
                    if buf.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    rows.push(RawRow { number, raw: Raw::Line(std::mem::take(buf)) });
                }
                *bytes
            }
            Kind::Csv { reader, record, header } => {
                while rows.len() < max {
                    // Read as bytes and made text here, so a cell that is not UTF-8 can be
                    // named by its column and shown up to the bad byte.
                    let mut bytes = csv::ByteRecord::new();
                    match reader.read_byte_record(&mut bytes) {
                        Ok(false) => break,
                        Ok(true) => {
                            *record += 1;
                            let raw = match csv::StringRecord::from_byte_record(bytes) {
                                Ok(rec) => Raw::Record(rec),
                                Err(e) => Raw::Bad(not_utf8(header, e)),
                            };
                            rows.push(RawRow { number: *record, raw });
                        }
                        Err(e) => match e.kind() {
                            csv::ErrorKind::Io(_) => return Err(io::Error::other(e.to_string())),
                            _ => {
                                *record += 1;
                                rows.push(RawRow {
                                    number: *record,
                                    raw: Raw::Bad(row_error("/", format!("is not valid CSV: {e}"))),
                                });
                            }
                        },
                    }
                }
                reader.position().byte()
            }
        })
    }
}

/// What to do about a CSV that is not UTF-8 (as Excel's plain "CSV" saves accented letters).
const SAVE_AS_UTF8: &str = "save the file as UTF-8 (in Excel, as \"CSV UTF-8\")";

/// A CSV cell that is not UTF-8, named as a person counts columns (from 1, by its header),
/// with its line and the text before the first bad byte.
fn not_utf8(header: &[String], e: csv::FromUtf8Error) -> Error {
    let (field, valid) = (e.utf8_error().field(), e.utf8_error().valid_up_to());
    let record = e.into_byte_record();
    let bytes = record.get(field).unwrap_or_default();
    let column = match header.get(field) {
        Some(name) => format!("column {} ({name})", field + 1),
        None => format!("column {} (past the header's {})", field + 1, header.len()),
    };
    let line = record.position().map(|p| format!(" (line {})", p.line())).unwrap_or_default();
    let after = match String::from_utf8_lossy(&bytes[..valid.min(bytes.len())]) {
        before if before.is_empty() => String::new(),
        before => format!(" after {before:?}"),
    };
    let path = header.get(field).map_or("/".to_string(), |name| format!("/{}", crate::value::pointer_segment(name)));
    row_error(&path, format!("{column}: not UTF-8 text{after}{line}; {SAVE_AS_UTF8}"))
}

/// Read and drop the rest of an over-long line; returns the bytes skipped.
fn skip_line<R: Read>(reader: &mut BufReader<R>) -> io::Result<u64> {
    let mut skipped = 0u64;
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(skipped);
        }
        match buf.iter().position(|b| *b == b'\n') {
            Some(at) => {
                reader.consume(at + 1);
                return Ok(skipped + at as u64 + 1);
            }
            None => {
                let n = buf.len();
                reader.consume(n);
                skipped += n as u64;
            }
        }
    }
}

fn row_error(path: &str, message: impl Into<String>) -> Error {
    Error::invalid_input(vec![Issue { path: path.to_string(), message: message.into(), location: None }])
}

/// Turns a raw row into input JSON. Shared read-only by every worker thread.
pub enum Decoder {
    Json,
    Csv { columns: Vec<Column> },
}

pub struct Column {
    /// Where the column stands in the file, from 1, and the field it fills.
    number: usize,
    field: Field,
}

impl Decoder {
    fn csv(header: &csv::StringRecord, fields: &[Field]) -> Result<Decoder, String> {
        if header.is_empty() {
            // An empty file: with no header there is nothing to read rows by.
            let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
            return Err(format!("the CSV has no header row: its first line must name the fields, like {}", names.join(",")));
        }
        let mut columns = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        for (i, name) in header.iter().enumerate() {
            let name = name.trim().trim_start_matches('\u{feff}');
            let Some(field) = fields.iter().find(|f| f.name == name) else {
                let known: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
                return Err(format!(
                    "column {} ({name:?}) is not a field of this rule set (fields: {})",
                    i + 1,
                    known.join(", ")
                ));
            };
            if !seen.insert(name.to_string()) {
                return Err(format!("column {} ({name:?}) appears twice in the header", i + 1));
            }
            columns.push(Column { number: i + 1, field: field.clone() });
        }
        Ok(Decoder::Csv { columns })
    }

    pub fn decode(&self, raw: Raw) -> Result<Row, Error> {
        match (self, raw) {
            (_, Raw::Bad(e)) => Err(e),
            (Decoder::Json, Raw::Line(bytes)) => line_text(bytes).map(Row::Text),
            (Decoder::Csv { columns }, Raw::Record(rec)) => decode_record(columns, &rec).map(Row::Json),
            (Decoder::Json, Raw::Record(_)) | (Decoder::Csv { .. }, Raw::Line(_)) => {
                Err(Error::new(ErrorCode::InvalidRequest, "row and decoder formats differ"))
            }
        }
    }
}

/// A row's input: a JSON line's text (parsed only if it is not plainly valid input, see
/// `schema::read_valid`), or a CSV record made JSON by the schema.
pub enum Row {
    Text(String),
    Json(Value),
}

impl Row {
    pub fn input(&self) -> Input<'_> {
        match self {
            Row::Text(text) => Input::Text(text),
            Row::Json(v) => Input::Json(v),
        }
    }

    /// The input parsed, for callers that keep or compare it.
    pub fn into_value(self) -> Result<Value, Error> {
        match self {
            Row::Text(text) => crate::engine::parse_json(&text, "/"),
            Row::Json(v) => Ok(v),
        }
    }
}

fn line_text(bytes: Vec<u8>) -> Result<String, Error> {
    let mut text = String::from_utf8(bytes).map_err(|e| row_error("/", format!("is not UTF-8 text: {e}")))?;
    text.truncate(text.trim_end_matches(['\n', '\r']).len());
    Ok(text)
}

fn decode_record(columns: &[Column], rec: &csv::StringRecord) -> Result<Value, Error> {
    let mut issues = Vec::new();
    if rec.len() != columns.len() {
        issues.push(Issue {
            path: "/".into(),
            message: format!("has {} cells but the header has {} columns", rec.len(), columns.len()),
            location: None,
        });
        return Err(Error::invalid_input(issues));
    }
    let mut obj = Map::new();
    for (col, cell) in columns.iter().zip(rec.iter()) {
        let f = &col.field;
        if cell.trim().is_empty() {
            // Empty means absent; but a required list can only mean "none".
            if f.kind == FieldType::List && f.required {
                obj.insert(f.name.clone(), Value::Array(Vec::new()));
            }
            continue;
        }
        match cell_value(f, cell) {
            Ok(v) => {
                obj.insert(f.name.clone(), v);
            }
            Err(m) => issues.push(Issue {
                path: format!("/{}", crate::value::pointer_segment(&f.name)),
                message: format!("column {} ({}): {m}", col.number, f.name),
                location: None,
            }),
        }
    }
    if issues.is_empty() {
        Ok(Value::Object(obj))
    } else {
        Err(Error::invalid_input(issues))
    }
}

/// One cell as the JSON the schema expects. Range and option checks are left to the
/// schema, so CSV and JSON input get the same messages for them.
fn cell_value(f: &Field, cell: &str) -> Result<Value, String> {
    let text = cell.trim();
    match f.kind {
        FieldType::Integer | FieldType::Number | FieldType::Money => {
            let plain = money::plain_number(text)?;
            // Too large or too precise is said so: "1e400" is a number, one too large to hold.
            money::parse_decimal(&plain).map(money::decimal_to_json).ok_or_else(|| format!("{text:?} {}", money::number_problem(&plain)))
        }
        FieldType::Boolean => match text.to_ascii_lowercase().as_str() {
            "true" | "yes" | "y" => Ok(Value::Bool(true)),
            "false" | "no" | "n" => Ok(Value::Bool(false)),
            _ => Err(format!("{text:?} is not true, false, yes or no")),
        },
        FieldType::Date | FieldType::Enum => Ok(Value::String(text.to_string())),
        FieldType::String => Ok(Value::String(cell.to_string())),
        FieldType::Object => serde_json::from_str(text).map_err(|e| format!("an object must be written as JSON: {e}")),
        FieldType::List => {
            if text.starts_with('[') {
                return serde_json::from_str(text).map_err(|e| format!("is not a JSON list: {e}"));
            }
            let Some(item) = f.items.as_deref() else {
                return Err("the schema gives this list no item type".into());
            };
            if matches!(item.kind, FieldType::Object | FieldType::List) {
                return Err("a list of objects must be written as JSON, like [{...}]".into());
            }
            let mut out = Vec::new();
            for (i, part) in text.split(';').enumerate() {
                let part = part.trim();
                if part.is_empty() {
                    continue;
                }
                out.push(cell_value(item, part).map_err(|m| format!("item {}: {m}", i + 1))?);
            }
            Ok(Value::Array(out))
        }
    }
}
