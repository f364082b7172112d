//! PDF: owns interpreting page content into lines of text. lopdf parses the
//! file (cross-reference tables and streams, object streams, filters,
//! decryption with the empty password); [`crate::content`] tokenises content
//! streams; this module keeps the text state (fonts, matrices) and decides
//! where words and lines break.
//!
//! A PDF has no words or lines, only strings of glyph codes drawn at
//! positions. The text of a code comes from the font's ToUnicode map
//! ([`crate::cmap`]), else from its encoding (lopdf's tables). Breaks come
//! from geometry, as pdftotext does: each string's origin is taken to device
//! space (text matrix × CTM) and compared with where the previous string
//! ended (advanced by the glyph widths): a different baseline is a new
//! line, a gap wider than a fraction of the font size is a space. That is
//! what makes both LibreOffice output (a BT/ET block per run, often per
//! word) and Typst/krilla output (positioned glyph runs) come out as words.
//!
//! Bounds: the page count, each stream's decompressed size (set on lopdf,
//! which checks while inflating), the content interpreted in total (page
//! and form content plus ToUnicode maps), form nesting and each form once
//! per page, and the output length.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::rc::Rc;

use lopdf::{
    DecompressError, Dictionary, Document, Encoding, LoadOptions, Object, ObjectId, Stream,
};

use crate::cmap::ToUnicode;
use crate::content::{Item, Operand, Operations};
use crate::layout::{COLUMN_GAP_EM, Gap, Line, Lines};
use crate::text::Writer;
use crate::{ExtractError, Limits};

/// Forms inside forms: real files use two or three levels.
const MAX_FORM_DEPTH: usize = 8;
/// Saved graphics states: a `q` past this is ignored (and so its `Q`
/// restores an older state), which only costs layout accuracy.
const MAX_STACK: usize = 256;
/// Where a PDF header may start (ISO 32000-1 §7.5.2; readers allow junk
/// before it).
const HEADER_WINDOW: usize = 1024;

pub(crate) fn extract(bytes: &[u8], limits: &Limits, out: &mut Writer) -> Result<(), ExtractError> {
    let doc = open(bytes, limits)?;
    let pages = pages(&doc, limits)?;
    let mut reader = PageReader::new(&doc, limits, out, None);
    for page_id in pages.into_values() {
        if reader.out.is_full() {
            break;
        }
        reader.page(page_id)?;
    }
    Ok(())
}

/// The printed lines of each page, with where they are.
pub(crate) fn lines(bytes: &[u8], limits: &Limits) -> Result<Vec<Vec<Line>>, ExtractError> {
    let doc = open(bytes, limits)?;
    let pages = pages(&doc, limits)?;
    let mut out = Writer::new(limits.max_output_chars);
    let mut all = Vec::with_capacity(pages.len());
    for page_id in pages.into_values() {
        let mut lines = Lines::default();
        PageReader::new(&doc, limits, &mut out, Some(&mut lines)).page(page_id)?;
        all.push(lines.finish());
    }
    Ok(all)
}

fn open(bytes: &[u8], limits: &Limits) -> Result<Document, ExtractError> {
    let head = &bytes[..bytes.len().min(HEADER_WINDOW)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err(ExtractError::PdfMalformed("không có phần đầu %PDF-".into()));
    }
    let options = LoadOptions {
        max_decompressed_size: Some(limits.max_pdf_stream_bytes),
        ..LoadOptions::default()
    };
    let doc =
        Document::load_mem_with_options(bytes, options).map_err(|e| load_error(&e, limits))?;
    if doc.is_encrypted() {
        return Err(ExtractError::PdfEncrypted);
    }
    Ok(doc)
}

fn pages(doc: &Document, limits: &Limits) -> Result<BTreeMap<u32, ObjectId>, ExtractError> {
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(ExtractError::PdfMalformed(
            "không tìm thấy trang nào".into(),
        ));
    }
    if pages.len() > limits.max_pages {
        return Err(ExtractError::PdfTooManyPages {
            pages: pages.len(),
            max: limits.max_pages,
        });
    }
    Ok(pages)
}

fn load_error(e: &lopdf::Error, limits: &Limits) -> ExtractError {
    match e {
        lopdf::Error::Decompress(DecompressError::MemoryLimitExceeded { .. }) => {
            ExtractError::PdfStreamTooLarge {
                max: limits.max_pdf_stream_bytes,
            }
        }
        lopdf::Error::Decryption(_) | lopdf::Error::InvalidPassword => ExtractError::PdfEncrypted,
        e => ExtractError::PdfMalformed(e.to_string()),
    }
}

/// Row-vector affine matrix `[a b 0; c d 0; e f 1]`, as PDF writes them.
#[derive(Clone, Copy, Debug)]
struct Matrix {
    a: f32,
    b: f32,
    c: f32,
    d: f32,
    e: f32,
    f: f32,
}

impl Matrix {
    const IDENTITY: Matrix = Matrix {
        a: 1.0,
        b: 0.0,
        c: 0.0,
        d: 1.0,
        e: 0.0,
        f: 0.0,
    };

    fn translate(x: f32, y: f32) -> Matrix {
        Matrix {
            e: x,
            f: y,
            ..Matrix::IDENTITY
        }
    }

    fn from_operands(ops: &[Operand]) -> Option<Matrix> {
        numbers::<6>(ops).map(Matrix::from)
    }

    fn from(v: [f32; 6]) -> Matrix {
        Matrix {
            a: v[0],
            b: v[1],
            c: v[2],
            d: v[3],
            e: v[4],
            f: v[5],
        }
    }

    /// `self × other`: apply `self`, then `other`.
    fn then(self, o: Matrix) -> Matrix {
        Matrix {
            a: self.a * o.a + self.b * o.c,
            b: self.a * o.b + self.b * o.d,
            c: self.c * o.a + self.d * o.c,
            d: self.c * o.b + self.d * o.d,
            e: self.e * o.a + self.f * o.c + o.e,
            f: self.e * o.b + self.f * o.d + o.f,
        }
    }

    fn origin(self) -> (f32, f32) {
        (self.e, self.f)
    }

    /// How much the matrix stretches a vertical unit: the font size in
    /// device space is the text size times this.
    fn vertical_scale(self) -> f32 {
        self.c.hypot(self.d)
    }
}

/// The last `N` operands as numbers (operators take their operands from
/// the top of the stack).
fn numbers<const N: usize>(ops: &[Operand]) -> Option<[f32; N]> {
    let ops = ops.get(ops.len().checked_sub(N)?..)?;
    let mut v = [0.0; N];
    for (slot, op) in v.iter_mut().zip(ops) {
        *slot = op.number()?;
    }
    Some(v)
}

/// The graphics state parts that matter for text positions; `q`/`Q` save
/// and restore all of it.
#[derive(Clone)]
struct State<'d> {
    ctm: Matrix,
    font: Option<Rc<Font<'d>>>,
    size: f32,
    char_spacing: f32,
    word_spacing: f32,
    /// Horizontal scaling as a factor (`Tz` / 100).
    scale: f32,
    leading: f32,
}

/// A font as far as text goes: how to split a string into codes, what
/// text a code is, how far it advances.
struct Font<'d> {
    /// Type0 (composite) fonts: two-byte codes, as Identity-H and the other
    /// CMaps in use by Typst, LibreOffice and Word have.
    two_byte: bool,
    to_unicode: Option<ToUnicode>,
    /// lopdf's reading of `/Encoding` (standard, WinAnsi, differences by
    /// glyph name), for fonts without a ToUnicode map or codes missing
    /// from it.
    encoding: Option<Encoding<'d>>,
    widths: Widths,
    /// Glyph space to text space for widths: 1/1000 except in Type 3 fonts.
    width_scale: f32,
}

#[derive(Default)]
struct Widths {
    single: HashMap<u32, f32>,
    /// `(first, last, width)` sorted by `first`, from a CID font's `/W`.
    ranges: Vec<(u32, u32, f32)>,
    default: f32,
}

impl Widths {
    fn get(&self, code: u32) -> f32 {
        if let Some(w) = self.single.get(&code) {
            return *w;
        }
        let i = self.ranges.partition_point(|r| r.0 <= code);
        match i.checked_sub(1).and_then(|i| self.ranges.get(i)) {
            Some((_, hi, w)) if code <= *hi => *w,
            _ => self.default,
        }
    }
}

/// The names a content stream can use: its fonts and its XObjects.
#[derive(Default)]
struct Scope<'d> {
    fonts: BTreeMap<Vec<u8>, (Option<ObjectId>, &'d Dictionary)>,
    xobjects: BTreeMap<Vec<u8>, ObjectId>,
}

impl<'d> Scope<'d> {
    /// Adds the entries of a resource dictionary; names already known win,
    /// so the nearest `/Resources` is read first.
    fn add(&mut self, doc: &'d Document, resources: &'d Dictionary) {
        if let Ok(fonts) = resources.get_deref(b"Font", doc).and_then(Object::as_dict) {
            for (name, value) in fonts {
                let font = match value {
                    Object::Reference(id) => doc.get_dictionary(*id).ok().map(|d| (Some(*id), d)),
                    Object::Dictionary(d) => Some((None, d)),
                    _ => None,
                };
                if let Some(font) = font {
                    self.fonts.entry(name.clone()).or_insert(font);
                }
            }
        }
        if let Ok(xobjects) = resources
            .get_deref(b"XObject", doc)
            .and_then(Object::as_dict)
        {
            for (name, value) in xobjects {
                if let Ok(id) = value.as_reference() {
                    self.xobjects.entry(name.clone()).or_insert(id);
                }
            }
        }
    }
}

struct PageReader<'d, 'o> {
    doc: &'d Document,
    limits: &'d Limits,
    /// Bytes of content (and ToUnicode maps) still allowed.
    budget: usize,
    /// Fonts by object, parsed once per document: a font's ToUnicode map
    /// can be large and every page uses it again.
    fonts: HashMap<ObjectId, Rc<Font<'d>>>,
    forms_seen: HashSet<ObjectId>,
    out: &'o mut Writer,
    /// Where each line is, when asked ([`lines`]).
    layout: Option<&'o mut Lines>,
}

/// Where the previous string ended, to place the next one.
#[derive(Clone, Copy)]
struct Pen {
    x: f32,
    y: f32,
    size: f32,
}

impl<'d, 'o> PageReader<'d, 'o> {
    fn new(
        doc: &'d Document,
        limits: &'d Limits,
        out: &'o mut Writer,
        layout: Option<&'o mut Lines>,
    ) -> Self {
        PageReader {
            doc,
            limits,
            budget: limits.max_pdf_content_bytes,
            fonts: HashMap::new(),
            forms_seen: HashSet::new(),
            out,
            layout,
        }
    }

    fn page(&mut self, page_id: ObjectId) -> Result<(), ExtractError> {
        let doc = self.doc;
        let mut scope = Scope::default();
        if let Ok((direct, ids)) = doc.get_page_resources(page_id) {
            if let Some(resources) = direct {
                scope.add(doc, resources);
            }
            for id in ids {
                if let Ok(resources) = doc.get_dictionary(id) {
                    scope.add(doc, resources);
                }
            }
        }
        let limit = self.limit();
        let content = doc
            .get_page_content_with_limit(page_id, limit)
            .map_err(|e| self.stream_error(&e, limit))?;
        self.charge(content.len())?;
        self.forms_seen.clear();
        let state = State {
            ctm: Matrix::IDENTITY,
            font: None,
            size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            scale: 1.0,
            leading: 0.0,
        };
        let mut pen = None;
        self.run(&content, &scope, state, &mut pen, 0)?;
        self.out.newline();
        Ok(())
    }

    /// The size allowed for the next stream: its own bound or what is left
    /// of the document's, whichever is smaller.
    fn limit(&self) -> usize {
        self.limits.max_pdf_stream_bytes.min(self.budget)
    }

    fn stream_error(&self, e: &lopdf::Error, limit: usize) -> ExtractError {
        match e {
            lopdf::Error::Decompress(DecompressError::MemoryLimitExceeded { .. }) => {
                if limit < self.limits.max_pdf_stream_bytes {
                    ExtractError::PdfContentTooLarge {
                        max: self.limits.max_pdf_content_bytes,
                    }
                } else {
                    ExtractError::PdfStreamTooLarge {
                        max: self.limits.max_pdf_stream_bytes,
                    }
                }
            }
            e => ExtractError::PdfMalformed(e.to_string()),
        }
    }

    fn charge(&mut self, bytes: usize) -> Result<(), ExtractError> {
        self.budget = self
            .budget
            .checked_sub(bytes)
            .ok_or(ExtractError::PdfContentTooLarge {
                max: self.limits.max_pdf_content_bytes,
            })?;
        Ok(())
    }

    /// A stream's decoded bytes, within the bounds.
    fn stream_bytes(&mut self, stream: &Stream) -> Result<Vec<u8>, ExtractError> {
        let limit = self.limit();
        let data = stream
            .get_plain_content_with_limit(limit)
            .map_err(|e| self.stream_error(&e, limit))?;
        self.charge(data.len())?;
        Ok(data)
    }

    /// Interprets one content stream (a page's or a form's).
    fn run(
        &mut self,
        content: &[u8],
        scope: &Scope<'d>,
        mut st: State<'d>,
        pen: &mut Option<Pen>,
        depth: usize,
    ) -> Result<(), ExtractError> {
        let mut stack: Vec<State<'d>> = Vec::new();
        let mut tm = Matrix::IDENTITY;
        let mut tlm = Matrix::IDENTITY;
        let mut ops = Operations::new(content);
        let mut operands = Vec::new();
        while let Some(operator) = ops.next_op(&mut operands) {
            if self.out.is_full() {
                break;
            }
            let operands = operands.as_slice();
            match operator {
                b"q" if stack.len() < MAX_STACK => stack.push(st.clone()),
                b"Q" => {
                    if let Some(saved) = stack.pop() {
                        st = saved;
                    }
                }
                b"cm" => {
                    if let Some(m) = Matrix::from_operands(operands) {
                        st.ctm = m.then(st.ctm);
                    }
                }
                b"BT" => {
                    tm = Matrix::IDENTITY;
                    tlm = Matrix::IDENTITY;
                }
                b"Tf" => {
                    if let [.., name, size] = operands
                        && let (Some(name), Some(size)) = (name.name(), size.number())
                    {
                        st.font = self.font(scope, name)?;
                        st.size = size;
                    }
                }
                b"Tc" => st.char_spacing = number(operands).unwrap_or(st.char_spacing),
                b"Tw" => st.word_spacing = number(operands).unwrap_or(st.word_spacing),
                b"Tz" => st.scale = number(operands).map_or(st.scale, |s| s / 100.0),
                b"TL" => st.leading = number(operands).unwrap_or(st.leading),
                b"Td" | b"TD" => {
                    if let Some([x, y]) = numbers::<2>(operands) {
                        if operator == b"TD" {
                            st.leading = -y;
                        }
                        tlm = Matrix::translate(x, y).then(tlm);
                        tm = tlm;
                    }
                }
                b"Tm" => {
                    if let Some(m) = Matrix::from_operands(operands) {
                        tlm = m;
                        tm = m;
                    }
                }
                b"T*" => {
                    tlm = Matrix::translate(0.0, -st.leading).then(tlm);
                    tm = tlm;
                }
                b"Tj" => {
                    if let Some(s) = operands.last().and_then(Operand::string) {
                        self.show(s, &st, &mut tm, pen);
                    }
                }
                b"'" | b"\"" => {
                    if operator == b"\""
                        && let Some([aw, ac]) = numbers::<2>(
                            operands
                                .get(..operands.len().saturating_sub(1))
                                .unwrap_or_default(),
                        )
                    {
                        st.word_spacing = aw;
                        st.char_spacing = ac;
                    }
                    tlm = Matrix::translate(0.0, -st.leading).then(tlm);
                    tm = tlm;
                    if let Some(s) = operands.last().and_then(Operand::string) {
                        self.show(s, &st, &mut tm, pen);
                    }
                }
                b"TJ" => {
                    if let Some(Operand::Array(items)) = operands.last() {
                        self.show_array(items, &st, &mut tm, pen);
                    }
                }
                b"Do" if depth < MAX_FORM_DEPTH => {
                    if let Some(name) = operands.last().and_then(Operand::name) {
                        self.form(scope, name, &st, pen, depth)?;
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Draws a form XObject: its content with its own resources, under its
    /// matrix. Each form once per page: text repeated by drawing the same
    /// form again adds nothing to search, and it makes a fan-out of forms
    /// drawing forms cost linear, not exponential, time.
    fn form(
        &mut self,
        scope: &Scope<'d>,
        name: &[u8],
        st: &State<'d>,
        pen: &mut Option<Pen>,
        depth: usize,
    ) -> Result<(), ExtractError> {
        let doc = self.doc;
        let Some(id) = scope.xobjects.get(name).copied() else {
            return Ok(());
        };
        let Ok(stream) = doc.get_object(id).and_then(Object::as_stream) else {
            return Ok(());
        };
        if !stream
            .dict
            .get(b"Subtype")
            .and_then(Object::as_name)
            .is_ok_and(|s| s == b"Form")
            || !self.forms_seen.insert(id)
        {
            return Ok(());
        }
        let content = self.stream_bytes(stream)?;
        let mut inner = Scope::default();
        match stream
            .dict
            .get_deref(b"Resources", doc)
            .and_then(Object::as_dict)
        {
            Ok(resources) => inner.add(doc, resources),
            // Before PDF 1.2 a form could use its page's resources.
            Err(_) => {
                inner.fonts.clone_from(&scope.fonts);
                inner.xobjects.clone_from(&scope.xobjects);
            }
        }
        let mut st = st.clone();
        if let Some(m) = stream
            .dict
            .get(b"Matrix")
            .and_then(Object::as_array)
            .ok()
            .and_then(|a| {
                let n: Vec<f32> = a.iter().map(|o| o.as_float().ok()).collect::<Option<_>>()?;
                <[f32; 6]>::try_from(n).ok()
            })
            .map(Matrix::from)
        {
            st.ctm = m.then(st.ctm);
        }
        self.run(&content, &inner, st, pen, depth + 1)
    }

    fn font(
        &mut self,
        scope: &Scope<'d>,
        name: &[u8],
    ) -> Result<Option<Rc<Font<'d>>>, ExtractError> {
        let Some((id, dict)) = scope.fonts.get(name).copied() else {
            return Ok(None);
        };
        if let Some(font) = id.and_then(|id| self.fonts.get(&id)) {
            return Ok(Some(Rc::clone(font)));
        }
        let font = Rc::new(self.load_font(dict)?);
        if let Some(id) = id {
            self.fonts.insert(id, Rc::clone(&font));
        }
        Ok(Some(font))
    }

    fn load_font(&mut self, dict: &'d Dictionary) -> Result<Font<'d>, ExtractError> {
        let doc = self.doc;
        let subtype = dict
            .get(b"Subtype")
            .and_then(Object::as_name)
            .unwrap_or_default();
        let two_byte = subtype == b"Type0";
        let to_unicode = match dict
            .get_deref(b"ToUnicode", doc)
            .and_then(Object::as_stream)
        {
            Ok(stream) => {
                Some(ToUnicode::parse(&self.stream_bytes(stream)?)).filter(|m| !m.is_empty())
            }
            Err(_) => None,
        };
        let encoding = match dict.get_font_encoding_with_limit(doc, self.limit()) {
            Ok(encoding) => Some(encoding),
            Err(lopdf::Error::Decompress(DecompressError::MemoryLimitExceeded { .. })) => {
                return Err(ExtractError::PdfStreamTooLarge {
                    max: self.limits.max_pdf_stream_bytes,
                });
            }
            Err(_) => None,
        };
        let mut widths = Widths::default();
        let mut width_scale = 0.001;
        if two_byte {
            widths.default = 1000.0;
            let descendant = dict
                .get_deref(b"DescendantFonts", doc)
                .and_then(Object::as_array)
                .ok()
                .and_then(|a| a.first())
                .and_then(|o| doc.dereference(o).ok())
                .and_then(|(_, o)| o.as_dict().ok());
            if let Some(cid) = descendant {
                if let Ok(dw) = cid.get_deref(b"DW", doc).and_then(Object::as_float) {
                    widths.default = dw;
                }
                if let Ok(w) = cid.get_deref(b"W", doc).and_then(Object::as_array) {
                    cid_widths(doc, w, &mut widths);
                }
            }
        } else {
            // Missing widths: half an em is nearer most letters than zero,
            // and an overestimate only hides a space, never invents one.
            widths.default = 500.0;
            let first = dict
                .get_deref(b"FirstChar", doc)
                .and_then(Object::as_i64)
                .unwrap_or(0);
            if let (Ok(first), Ok(list)) = (
                u32::try_from(first),
                dict.get_deref(b"Widths", doc).and_then(Object::as_array),
            ) {
                for (code, w) in codes_from(first).zip(list) {
                    if let Ok(w) = doc.dereference(w).and_then(|(_, o)| o.as_float()) {
                        widths.single.insert(code, w);
                    }
                }
            }
            if subtype == b"Type3"
                && let Ok(m) = dict
                    .get_deref(b"FontMatrix", doc)
                    .and_then(Object::as_array)
                && let Some(a) = m.first().and_then(|o| o.as_float().ok())
            {
                width_scale = a;
            }
        }
        widths.ranges.sort_by_key(|r| r.0);
        Ok(Font {
            two_byte,
            to_unicode,
            encoding,
            widths,
            width_scale,
        })
    }

    /// `TJ`: strings, and numbers that move the pen between them.
    fn show_array(
        &mut self,
        items: &[Item],
        st: &State<'d>,
        tm: &mut Matrix,
        pen: &mut Option<Pen>,
    ) {
        for item in items {
            if self.out.is_full() {
                break;
            }
            match *item {
                Item::String(ref s) => self.show(s, st, tm, pen),
                Item::Number(n) => {
                    // A positive number moves left (kerning), a large
                    // negative one right (a word gap): in thousandths of
                    // the font size.
                    let tx = -n / 1000.0 * st.size * st.scale;
                    *tm = Matrix::translate(tx, 0.0).then(*tm);
                }
            }
        }
    }

    /// Shows one string: places it relative to the previous one (new line,
    /// space, or nothing), writes its text, advances the text matrix.
    fn show(&mut self, s: &[u8], st: &State<'d>, tm: &mut Matrix, pen: &mut Option<Pen>) {
        let Some(font) = st.font.as_deref() else {
            return;
        };
        let device = tm.then(st.ctm);
        let (x, y) = device.origin();
        let size = (st.size * device.vertical_scale()).abs();
        let mut gap = Gap::Line;
        if let Some(prev) = *pen {
            let em = size.max(prev.size);
            if (y - prev.y).abs() > 0.5 * em {
                self.out.newline();
            } else if x - prev.x > 0.15 * em || prev.x - x > em {
                // A gap, or a jump back on the same baseline (the next
                // column of a table written out of order).
                self.out.space();
                gap = if (x - prev.x).abs() > COLUMN_GAP_EM * em {
                    Gap::Column
                } else {
                    Gap::Space
                };
            } else {
                gap = Gap::None;
            }
        }
        let mut text = String::new();
        let mut advance = 0.0f32;
        let step = if font.two_byte { 2 } else { 1 };
        for code_bytes in s.chunks(step) {
            let code = code_bytes
                .iter()
                .fold(0u32, |acc, b| (acc << 8) | u32::from(*b));
            let known = font
                .to_unicode
                .as_ref()
                .is_some_and(|m| m.write(code, &mut text));
            if !known && let Some(encoding) = &font.encoding {
                // lopdf's tables can fail on a code; the glyph is then
                // unknown, as it would be to any reader.
                if let Ok(t) = Document::decode_text(encoding, code_bytes) {
                    text.push_str(&t);
                }
            }
            let mut w = font.widths.get(code) * font.width_scale * st.size + st.char_spacing;
            if !font.two_byte && code == 32 {
                w += st.word_spacing;
            }
            advance += w * st.scale;
        }
        self.out.push_str(&text);
        *tm = Matrix::translate(advance, 0.0).then(*tm);
        let (end, end_y) = tm.then(st.ctm).origin();
        if let Some(layout) = self.layout.as_deref_mut() {
            layout.place(gap, [x, end], y, size, &text);
        }
        *pen = Some(Pen {
            x: end,
            y: end_y,
            size,
        });
    }
}

/// `first`, `first + 1`, … up to `u32::MAX` (a `first..` range would
/// overflow on a hostile `first`).
fn codes_from(first: u32) -> impl Iterator<Item = u32> {
    first..=u32::MAX
}

fn number(ops: &[Operand]) -> Option<f32> {
    numbers::<1>(ops).map(|[n]| n)
}

/// A CID font's `/W`: `c [w1 w2 …]` gives widths from `c` on, `c1 c2 w`
/// one width for a range.
fn cid_widths(doc: &Document, w: &[Object], widths: &mut Widths) {
    let mut i = 0;
    while let Some(first) = w.get(i).and_then(|o| o.as_i64().ok()) {
        let Ok(first) = u32::try_from(first) else {
            return;
        };
        match w.get(i + 1).map(|o| doc.dereference(o).map(|(_, o)| o)) {
            Some(Ok(Object::Array(list))) => {
                for (code, v) in codes_from(first).zip(list) {
                    if let Ok(v) = v.as_float() {
                        widths.single.insert(code, v);
                    }
                }
                i += 2;
            }
            Some(Ok(last)) => {
                let (Ok(last), Some(v)) = (
                    last.as_i64().map(u32::try_from),
                    w.get(i + 2).and_then(|o| o.as_float().ok()),
                ) else {
                    return;
                };
                let Ok(last) = last else {
                    return;
                };
                if last >= first {
                    widths.ranges.push((first, last, v));
                }
                i += 3;
            }
            _ => return,
        }
    }
}
