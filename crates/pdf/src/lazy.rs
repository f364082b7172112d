//! Reading only what a signature's update needs from a file too large to
//! hold (for [`crate::large`]): `startxref` in the tail, the
//! cross-reference sections down the `/Prev` chain (classic tables read
//! word by word, streams decompressed one at a time under
//! [`Limits::max_stream_bytes`]), then the catalog, the page tree down to
//! the page, the page's `/Annots`, and the AcroForm with its field tree.
//! Each object is read from its offset, which must hold `N G obj` for the
//! number asked (as [`crate::load::load_for_update`] checks every offset),
//! or from its object stream (the last one decoded is kept).
//!
//! lopdf's parser is private, so each object is parsed by lopdf from a
//! one-object file wrapped around its bytes: the objects the update
//! rewrites are those the in-memory path reads, and the update the same
//! bytes. What is gathered is a [`Document`] holding only those objects,
//! the newest trailer and the first free number, on which
//! [`crate::reserve::reserve_update`] builds as on a whole one. Memory is
//! bounded by the objects read and the cross-reference (a few bytes per
//! object), not by the file's size.

use std::collections::{BTreeMap, HashSet};
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::panic::{AssertUnwindSafe, catch_unwind};

use lopdf::xref::XrefEntry;
use lopdf::{Dictionary, Document, LoadOptions, Object, ObjectId, ObjectStream};

use crate::load::{HEADER_WINDOW, load_error, object_header, xref_broken, xref_disagrees};
use crate::syntax::object_bytes;
use crate::update::section_is_table;
use crate::{Error, Limits};

/// Bytes read at a time.
const CHUNK: usize = 64 * 1024;
/// References followed in a row, as lopdf's `Document::dereference`.
const MAX_REFERENCES: usize = 128;
/// Page-tree levels, as lopdf's page iterator.
const MAX_TREE_DEPTH: usize = 256;

/// The newest revision of a file, read on demand.
pub(crate) struct Lazy<'f, R> {
    file: &'f mut R,
    len: u64,
    limits: &'f Limits,
    xref_start: usize,
    table: bool,
    trailer: Dictionary,
    entries: BTreeMap<u32, XrefEntry>,
    /// The offsets of in-use entries, sorted: where objects may end.
    offsets: Vec<u64>,
    /// The object stream decoded last, by number.
    cached: Option<(u32, ObjectStream)>,
}

/// What [`Lazy::gather`] found: the objects the update reads, as a
/// document, and the page's object.
pub(crate) struct Gathered {
    pub doc: Document,
    pub page: ObjectId,
    pub xref_start: usize,
    pub table: bool,
}

impl<'f, R: Read + Seek> Lazy<'f, R> {
    /// Reads the header, `startxref` and the cross-reference of `file`.
    pub fn open(file: &'f mut R, limits: &'f Limits) -> Result<Self, Error> {
        let len = file.seek(SeekFrom::End(0))?;
        let head = read_at(file, 0, HEADER_WINDOW)?;
        if !head.windows(5).any(|w| w == b"%PDF-") {
            return Err(Error::Malformed("không có phần đầu %PDF-".into()));
        }
        let mut lazy = Self {
            file,
            len,
            limits,
            xref_start: 0,
            table: false,
            trailer: Dictionary::new(),
            entries: BTreeMap::new(),
            offsets: Vec::new(),
            cached: None,
        };
        lazy.xref_start = lazy.startxref()?;
        lazy.read_sections()?;
        if lazy.trailer.has(b"Encrypt") {
            return Err(Error::Encrypted);
        }
        if lazy.entries.len() > limits.max_objects {
            return Err(Error::TooManyObjects {
                count: lazy.entries.len(),
                max: limits.max_objects,
            });
        }
        lazy.offsets = lazy
            .entries
            .values()
            .filter_map(|entry| match entry {
                XrefEntry::Normal { offset, .. } => Some(u64::from(*offset)),
                _ => None,
            })
            .collect();
        lazy.offsets.sort_unstable();
        Ok(lazy)
    }

    /// The file's length.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// The file's last byte.
    pub fn last(&mut self) -> Result<Option<u8>, Error> {
        Ok(read_at(self.file, self.len.saturating_sub(1), 1)?
            .first()
            .copied())
    }

    /// The objects an update signing on page `page` (from 1) reads.
    pub fn gather(mut self, page: usize) -> Result<Gathered, Error> {
        let mut objects = BTreeMap::new();
        let catalog = match self.trailer.get(b"Root").and_then(Object::as_reference) {
            Ok(id) => self.keep(&mut objects, &Object::Reference(id))?,
            Err(_) => None,
        };
        let catalog = match catalog {
            Some(Object::Dictionary(catalog)) => catalog,
            _ => Dictionary::new(),
        };
        let page = self.page(&catalog, page)?;
        if let Some(Object::Dictionary(dict)) = self.keep(&mut objects, &Object::Reference(page))?
            && let Ok(annots) = dict.get(b"Annots")
        {
            self.keep(&mut objects, annots)?;
        }
        self.fields(&mut objects, &catalog)?;
        let size = self.entries.keys().next_back().map_or(0, |n| n + 1);
        let mut doc = Document::new();
        doc.objects = objects;
        doc.trailer = self.trailer;
        doc.max_id = size.saturating_sub(1);
        doc.reference_table.size = size;
        doc.xref_start = self.xref_start;
        Ok(Gathered {
            doc,
            page,
            xref_start: self.xref_start,
            table: self.table,
        })
    }

    /// The AcroForm and every node of its field tree (through `/Fields`
    /// and `/Kids`), kept in `objects`.
    fn fields(
        &mut self,
        objects: &mut BTreeMap<ObjectId, Object>,
        catalog: &Dictionary,
    ) -> Result<(), Error> {
        let Ok(form) = catalog.get(b"AcroForm") else {
            return Ok(());
        };
        let Some(Object::Dictionary(form)) = self.keep(objects, form)? else {
            return Ok(());
        };
        let Ok(roots) = form.get(b"Fields") else {
            return Ok(());
        };
        let mut stack = vec![(roots.clone(), 0)];
        let mut seen = HashSet::new();
        while let Some((node, depth)) = stack.pop() {
            if seen.len() > self.limits.max_fields || depth > self.limits.max_field_depth + 1 {
                return Err(Error::TooManyFields {
                    max_fields: self.limits.max_fields,
                    max_depth: self.limits.max_field_depth,
                });
            }
            if let Object::Reference(id) = node
                && !seen.insert(id)
            {
                continue;
            }
            match self.keep(objects, &node)? {
                Some(Object::Array(items)) => {
                    stack.extend(items.into_iter().map(|item| (item, depth)));
                }
                Some(Object::Dictionary(dict)) => {
                    if let Ok(kids) = dict.get(b"Kids") {
                        stack.push((kids.clone(), depth + 1));
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// `object` with references followed, each object read kept in
    /// `objects`; `None` for a missing object.
    fn keep(
        &mut self,
        objects: &mut BTreeMap<ObjectId, Object>,
        object: &Object,
    ) -> Result<Option<Object>, Error> {
        let mut object = object.clone();
        for _ in 0..=MAX_REFERENCES {
            let Object::Reference(id) = object else {
                return Ok(Some(object));
            };
            let Some(found) = self.object(id)? else {
                return Ok(None);
            };
            objects.insert(id, found.clone());
            object = found;
        }
        Ok(None)
    }

    /// The page `page` (from 1), found as lopdf's page iterator finds it,
    /// reading the tree's nodes one at a time.
    fn page(&mut self, catalog: &Dictionary, page: usize) -> Result<ObjectId, Error> {
        let mut count = 0;
        let mut stack: Vec<(Vec<Object>, usize)> = Vec::new();
        let mut current = match catalog.get(b"Pages").and_then(Object::as_reference) {
            Ok(root) => (self.kids(root)?, 0),
            Err(_) => (Vec::new(), 0),
        };
        let mut budget = self.entries.len();
        loop {
            while let Some(kid) = current.0.get(current.1).cloned() {
                if budget == 0 {
                    return Err(Error::NoSuchPage { page, pages: count });
                }
                budget -= 1;
                current.1 += 1;
                let Object::Reference(id) = kid else {
                    continue;
                };
                let kind = match self.resolved(&Object::Reference(id))? {
                    Some(Object::Dictionary(dict)) => dict.get_type().ok().map(<[u8]>::to_vec),
                    _ => None,
                };
                match kind.as_deref() {
                    Some(b"Pages") if stack.len() < MAX_TREE_DEPTH => {
                        let kids = self.kids(id)?;
                        let rest = std::mem::replace(&mut current, (kids, 0));
                        if rest.1 < rest.0.len() {
                            stack.push(rest);
                        }
                    }
                    Some(b"Page") | None => {
                        count += 1;
                        if count == page {
                            return Ok(id);
                        }
                    }
                    Some(_) => {}
                }
            }
            match stack.pop() {
                Some(rest) => current = rest,
                None => return Err(Error::NoSuchPage { page, pages: count }),
            }
        }
    }

    /// The `/Kids` of the page-tree node `id`, references followed.
    fn kids(&mut self, id: ObjectId) -> Result<Vec<Object>, Error> {
        let Some(Object::Dictionary(node)) = self.resolved(&Object::Reference(id))? else {
            return Ok(Vec::new());
        };
        let Ok(kids) = node.get(b"Kids") else {
            return Ok(Vec::new());
        };
        Ok(match self.resolved(kids)? {
            Some(Object::Array(kids)) => kids,
            _ => Vec::new(),
        })
    }

    /// `object` with references followed, nothing kept.
    fn resolved(&mut self, object: &Object) -> Result<Option<Object>, Error> {
        self.keep(&mut BTreeMap::new(), object)
    }

    /// The object `id` of the newest revision; `None` if the
    /// cross-reference does not list it as in use.
    fn object(&mut self, id: ObjectId) -> Result<Option<Object>, Error> {
        match self.entries.get(&id.0) {
            Some(XrefEntry::Normal { offset, generation }) if *generation == id.1 => {
                self.at(u64::from(*offset), id).map(Some)
            }
            Some(XrefEntry::Compressed { container, .. }) if id.1 == 0 => {
                self.compressed(id, *container)
            }
            _ => Ok(None),
        }
    }

    /// The object `id` from its object stream `container`.
    fn compressed(&mut self, id: ObjectId, container: u32) -> Result<Option<Object>, Error> {
        if self.cached.as_ref().is_none_or(|(n, _)| *n != container) {
            self.cached = None;
            let stream = match self.object((container, 0))? {
                Some(Object::Stream(stream)) if stream.dict.has_type(b"ObjStm") => stream,
                _ => return Ok(None),
            };
            let decoded = ObjectStream::new_with_limit(&stream, Some(self.limits.max_stream_bytes))
                .map_err(|e| load_error(&e, self.limits))?;
            self.cached = Some((container, decoded));
        }
        Ok(self
            .cached
            .as_ref()
            .and_then(|(_, stream)| stream.objects.get(&id).cloned()))
    }

    /// The object `id` written at `offset`.
    fn at(&mut self, offset: u64, id: ObjectId) -> Result<Object, Error> {
        let raw = self.object_bytes(offset)?;
        if object_header(&raw) != Some(id) {
            return Err(xref_disagrees());
        }
        let object = parse(&raw, id, None, self.limits)?;
        // A stream's indirect /Length goes into the wrapping file too.
        let length = match &object {
            Object::Stream(stream) => stream.dict.get(b"Length").and_then(Object::as_reference),
            _ => return Ok(object),
        };
        match length {
            Ok(length_id) if length_id != id => {
                let value = self
                    .object(length_id)?
                    .ok_or_else(|| unreadable(id, "thiếu /Length"))?;
                parse(&raw, id, Some(&(length_id, value)), self.limits)
            }
            _ => Ok(object),
        }
    }

    /// The bytes of the object at `offset`: up to its `endobj`, or where
    /// the next object or the newest cross-reference section starts,
    /// within [`Limits::max_stream_bytes`].
    fn object_bytes(&mut self, offset: u64) -> Result<Vec<u8>, Error> {
        let next = self.offsets.partition_point(|&o| o <= offset);
        let xref = u64::try_from(self.xref_start).unwrap_or(u64::MAX);
        let end = self
            .offsets
            .get(next)
            .copied()
            .into_iter()
            .chain((xref > offset).then_some(xref))
            .min()
            .unwrap_or(self.len)
            .min(self.len);
        let most = usize::try_from(end.saturating_sub(offset))
            .unwrap_or(usize::MAX)
            .min(self.limits.max_stream_bytes.saturating_add(CHUNK));
        let mut raw = Vec::new();
        while raw.len() < most {
            let searched = raw.len().saturating_sub(5);
            let want = CHUNK.max(raw.len()).min(most - raw.len());
            let at = offset + raw.len() as u64;
            let piece = read_at(self.file, at, want)?;
            if piece.is_empty() {
                break;
            }
            raw.extend_from_slice(&piece);
            if raw[searched..].windows(6).any(|w| w == b"endobj") {
                break;
            }
        }
        Ok(raw)
    }

    /// The offset `startxref` gives, found as lopdf finds it: the last
    /// `%%EOF` in the last 1024 bytes (trailing white space aside), the
    /// `startxref` just before it.
    fn startxref(&mut self) -> Result<usize, Error> {
        let from = self.len.saturating_sub(CHUNK as u64);
        let tail = read_at(self.file, from, CHUNK)?;
        let end = tail
            .iter()
            .rposition(|c| !b" \t\n\r\0\x0C".contains(c))
            .map_or(0, |p| p + 1);
        let tail = &tail[..end];
        let eof = rfind(tail, b"%%EOF", end.saturating_sub(1024)).filter(|&p| p > 25);
        let keyword = eof.and_then(|eof| rfind(&tail[..eof], b"startxref", eof - 25));
        let offset = keyword.and_then(|at| {
            let rest = &tail[at + b"startxref".len()..];
            let digits = rest.trim_ascii_start();
            let number: Vec<u8> = digits
                .iter()
                .copied()
                .take_while(u8::is_ascii_digit)
                .collect();
            std::str::from_utf8(&number).ok()?.parse::<u64>().ok()
        });
        match offset {
            Some(offset) if offset < self.len => usize::try_from(offset).map_err(|_| xref_broken()),
            _ => Err(xref_broken()),
        }
    }

    /// Reads the section `startxref` names and those before it, newest
    /// entry of each number first; hybrid files' streams fill the
    /// table's free entries, as lopdf reads them.
    fn read_sections(&mut self) -> Result<(), Error> {
        let mut at = self.xref_start;
        let mut seen = HashSet::new();
        let mut newest = true;
        while seen.insert(at) {
            let (table, mut entries, trailer) = self.section(at)?;
            if let Ok(stream) = trailer.get(b"XRefStm").and_then(Object::as_i64) {
                let at = usize::try_from(stream).map_err(|_| xref_broken())?;
                for (number, entry) in self.section(at)?.1 {
                    if !matches!(
                        entries.get(&number),
                        Some(XrefEntry::Normal { .. } | XrefEntry::Compressed { .. })
                    ) {
                        entries.insert(number, entry);
                    }
                }
            }
            for (number, entry) in entries {
                self.entries.entry(number).or_insert(entry);
            }
            let prev = trailer.get(b"Prev").and_then(Object::as_i64).ok();
            if newest {
                self.table = table;
                self.trailer = trailer;
                newest = false;
            }
            match prev {
                Some(prev) => at = usize::try_from(prev).map_err(|_| xref_broken())?,
                None => break,
            }
        }
        Ok(())
    }

    /// The cross-reference section at `at`: whether a table, its entries
    /// and its trailer (a stream's dictionary).
    fn section(
        &mut self,
        at: usize,
    ) -> Result<(bool, BTreeMap<u32, XrefEntry>, Dictionary), Error> {
        let offset = at as u64;
        let head = read_at(self.file, offset, 32)?;
        if section_is_table(&head).map_err(|_| xref_broken())? {
            let (entries, trailer_at) = self.table_entries(offset)?;
            let raw = read_at(self.file, trailer_at, CHUNK)?;
            let mut wrapped = b"0 0 obj\n".to_vec();
            wrapped.extend_from_slice(&raw);
            match parse(&wrapped, (0, 0), None, self.limits)? {
                Object::Dictionary(trailer) => Ok((true, entries, trailer)),
                _ => Err(xref_broken()),
            }
        } else {
            let id = object_header(&head).ok_or_else(xref_broken)?;
            match self.at(offset, id)? {
                Object::Stream(stream) => {
                    let entries = stream_entries(&stream, self.limits)?;
                    Ok((false, entries, stream.dict))
                }
                _ => Err(xref_broken()),
            }
        }
    }

    /// The entries of the classic table at `offset`, and where its
    /// trailer dictionary starts (after `trailer`).
    fn table_entries(&mut self, offset: u64) -> Result<(BTreeMap<u32, XrefEntry>, u64), Error> {
        self.file.seek(SeekFrom::Start(offset + 4))?;
        let mut words = Words {
            input: BufReader::with_capacity(CHUNK, &mut *self.file),
            at: offset + 4,
        };
        let mut entries = BTreeMap::new();
        loop {
            let word = words.next()?.ok_or_else(xref_broken)?;
            if word == b"trailer" {
                return Ok((entries, words.at));
            }
            let first: u32 = number(&word)?;
            let count: u32 = number(&words.next()?.ok_or_else(xref_broken)?)?;
            for n in 0..count {
                if entries.len() >= self.limits.max_objects {
                    return Err(Error::TooManyObjects {
                        count: entries.len() + 1,
                        max: self.limits.max_objects,
                    });
                }
                let offset: u32 = number(&words.next()?.ok_or_else(xref_broken)?)?;
                let generation: u16 = number(&words.next()?.ok_or_else(xref_broken)?)?;
                let entry = match words.next()?.as_deref() {
                    Some(b"n") => XrefEntry::Normal { offset, generation },
                    Some(b"f") => XrefEntry::Free,
                    _ => return Err(xref_broken()),
                };
                let number = first.checked_add(n).ok_or_else(xref_broken)?;
                entries.insert(number, entry);
            }
        }
    }
}

/// The entries of a cross-reference stream.
fn stream_entries(
    stream: &lopdf::Stream,
    limits: &Limits,
) -> Result<BTreeMap<u32, XrefEntry>, Error> {
    let ints = |key: &[u8]| -> Option<Vec<u64>> {
        stream
            .dict
            .get(key)
            .and_then(Object::as_array)
            .ok()?
            .iter()
            .map(|o| o.as_i64().ok().and_then(|n| u64::try_from(n).ok()))
            .collect()
    };
    let size = stream
        .dict
        .get(b"Size")
        .and_then(Object::as_i64)
        .ok()
        .and_then(|n| u64::try_from(n).ok())
        .ok_or_else(xref_broken)?;
    let widths = ints(b"W")
        .filter(|w| w.len() >= 3 && w.iter().all(|&w| w <= 8) && w.iter().sum::<u64>() > 0)
        .ok_or_else(xref_broken)?;
    let widths: Vec<usize> = widths
        .iter()
        .map(|&w| usize::try_from(w).unwrap_or(8))
        .collect();
    let index = ints(b"Index").unwrap_or_else(|| vec![0, size]);
    let data = if stream.is_compressed() {
        stream
            .decompressed_content_with_limit(limits.max_stream_bytes)
            .map_err(|e| load_error(&e, limits))?
    } else {
        stream.content.clone()
    };
    let mut fields = data.chunks_exact(widths[0] + widths[1] + widths[2]);
    let mut entries = BTreeMap::new();
    for pair in index.chunks_exact(2) {
        for n in 0..pair[1] {
            let record = fields.next().ok_or_else(xref_broken)?;
            let (kind, rest) = record.split_at(widths[0]);
            let (second, third) = rest.split_at(widths[1]);
            let kind = if widths[0] == 0 { 1 } else { big_endian(kind) };
            let entry = match kind {
                0 => XrefEntry::Free,
                1 => XrefEntry::Normal {
                    offset: u32::try_from(big_endian(second)).map_err(|_| xref_broken())?,
                    generation: u16::try_from(big_endian(third)).unwrap_or(u16::MAX),
                },
                2 => XrefEntry::Compressed {
                    container: u32::try_from(big_endian(second)).map_err(|_| xref_broken())?,
                    index: u16::try_from(big_endian(third)).unwrap_or(u16::MAX),
                },
                _ => continue,
            };
            if let Some(number) = pair[0].checked_add(n).and_then(|n| u32::try_from(n).ok()) {
                if entries.len() >= limits.max_objects {
                    return Err(Error::TooManyObjects {
                        count: entries.len() + 1,
                        max: limits.max_objects,
                    });
                }
                entries.insert(number, entry);
            }
        }
    }
    Ok(entries)
}

fn big_endian(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0, |n, &b| (n << 8) | u64::from(b))
}

/// `raw` (`N G obj` and what follows) parsed by lopdf as object `id`,
/// from a file holding only it, `extra`, and an empty page tree: with no
/// page tree lopdf would rebuild the file by scanning `raw`, whose tail
/// may hold other objects, and could file another object under `id`.
fn parse(
    raw: &[u8],
    id: ObjectId,
    extra: Option<&(ObjectId, Object)>,
    limits: &Limits,
) -> Result<Object, Error> {
    let catalog = extra
        .map_or(id.0, |((n, _), _)| id.0.max(*n))
        .checked_add(1)
        .filter(|n| *n < u32::MAX)
        .ok_or_else(|| unreadable(id, "số đối tượng quá lớn"))?;
    let mut objects = vec![(
        (catalog, 0),
        format!("<</Type/Catalog/Pages {} 0 R>>", catalog + 1).into_bytes(),
    )];
    objects.push(((catalog + 1, 0), b"<</Type/Pages/Kids[]/Count 0>>".to_vec()));
    if let Some((extra_id, value)) = extra {
        objects.push((*extra_id, object_bytes(value)?));
    }
    let mut file = b"%PDF-1.7\n".to_vec();
    let mut listed = vec![(id, file.len())];
    file.extend_from_slice(raw);
    file.extend_from_slice(b"\nendobj\n");
    for ((number, generation), body) in &objects {
        listed.push(((*number, *generation), file.len()));
        file.extend_from_slice(format!("{number} {generation} obj\n").as_bytes());
        file.extend_from_slice(body);
        file.extend_from_slice(b"\nendobj\n");
    }
    let xref = file.len();
    file.extend_from_slice(b"xref\n");
    for ((number, generation), offset) in &listed {
        file.extend_from_slice(
            format!("{number} 1\n{offset:010} {generation:05} n\r\n").as_bytes(),
        );
    }
    file.extend_from_slice(
        format!(
            "trailer\n<</Size {}/Root {catalog} 0 R>>\nstartxref\n{xref}\n%%EOF\n",
            catalog + 2
        )
        .as_bytes(),
    );
    let options = LoadOptions {
        max_decompressed_size: Some(limits.max_stream_bytes),
        ..LoadOptions::default()
    };
    let mut doc = catch_unwind(AssertUnwindSafe(|| {
        Document::load_mem_with_options(&file, options)
    }))
    .map_err(|_| Error::ReaderPanicked)?
    .map_err(|e| load_error(&e, limits))?;
    doc.objects
        .remove(&id)
        .ok_or_else(|| unreadable(id, "cú pháp sai"))
}

fn unreadable(id: ObjectId, why: &str) -> Error {
    Error::Malformed(format!("không đọc được đối tượng {} {}: {why}", id.0, id.1))
}

fn number<T: std::str::FromStr>(word: &[u8]) -> Result<T, Error> {
    std::str::from_utf8(word)
        .ok()
        .and_then(|w| w.parse().ok())
        .ok_or_else(xref_broken)
}

/// The last `pattern` in `bytes` starting at `from` or after.
fn rfind(bytes: &[u8], pattern: &[u8], from: usize) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(pattern.len())
        .rposition(|w| w == pattern)
        .map(|p| from + p)
}

/// Up to `len` bytes of `file` from `offset` (fewer at its end).
fn read_at<R: Read + Seek>(file: &mut R, offset: u64, len: usize) -> Result<Vec<u8>, Error> {
    file.seek(SeekFrom::Start(offset))?;
    let mut bytes = Vec::with_capacity(len.min(CHUNK));
    file.take(len as u64).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// White-space separated words of a classic cross-reference table, with
/// the offset after the last one read.
struct Words<B> {
    input: B,
    at: u64,
}

impl<B: BufRead> Words<B> {
    fn next(&mut self) -> Result<Option<Vec<u8>>, Error> {
        let mut word = Vec::new();
        loop {
            let buffer = self.input.fill_buf()?;
            if buffer.is_empty() {
                return Ok((!word.is_empty()).then_some(word));
            }
            let mut used = 0;
            let mut ended = false;
            for &byte in buffer {
                if byte.is_ascii_whitespace() || byte == 0 {
                    if !word.is_empty() {
                        ended = true;
                        break;
                    }
                } else if word.len() < 32 {
                    word.push(byte);
                    if word == b"trailer" {
                        // `trailer<<` is one word to white space.
                        used += 1;
                        ended = true;
                        break;
                    }
                } else {
                    return Err(xref_broken());
                }
                used += 1;
            }
            self.input.consume(used);
            self.at += used as u64;
            if ended {
                return Ok(Some(word));
            }
        }
    }
}
