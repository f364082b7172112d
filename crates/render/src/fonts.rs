//! Fonts found at run time in a list of folders.
//!
//! Invariant: a `Fonts` value always holds a Times New Roman metric-compatible
//! serif with regular, bold, italic and bold-italic faces and the Khmer
//! family; `Fonts::load` refuses to build one otherwise, naming the Debian
//! package to install. Font files are read once; renderers share them.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use typst::foundations::Bytes;
use typst::text::{Font, FontBook, FontStyle, FontWeight};

use crate::Error;
use crate::layout::{KHMER_FAMILY, SERIF_FAMILIES};

/// Debian's folders for the packages the README's setup installs.
pub const DEFAULT_FOLDERS: [&str; 3] = [
    "/usr/share/fonts/truetype/liberation2",
    "/usr/share/fonts/truetype/croscore",
    "/usr/share/fonts/truetype/khmeros",
];

/// The loaded faces and the book Typst picks them from.
pub struct Fonts {
    pub(crate) book: FontBook,
    pub(crate) faces: Vec<Font>,
    /// The serif family actually found ("Liberation Serif" or "Tinos").
    pub(crate) serif: &'static str,
    /// The same files for the SVG rasteriser of the DOCX output, built once:
    /// loading them per chart would dominate the DOCX rendering time.
    pub(crate) svg_db: Arc<resvg::usvg::fontdb::Database>,
}

// The font data is megabytes of bytes: show counts, not contents.
impl std::fmt::Debug for Fonts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fonts")
            .field("faces", &self.faces.len())
            .field("serif", &self.serif)
            .finish_non_exhaustive()
    }
}

impl Fonts {
    /// Loads the fonts of Debian's default folders.
    pub fn system() -> Result<Self, Error> {
        Self::load(&DEFAULT_FOLDERS.map(PathBuf::from))
    }

    /// Loads every `.ttf`/`.otf`/`.ttc` file of the given folders (missing
    /// folders are skipped: the check of the families below says what is
    /// missing in words a person can act on).
    pub fn load(folders: &[PathBuf]) -> Result<Self, Error> {
        let mut faces = Vec::new();
        let mut svg_db = resvg::usvg::fontdb::Database::new();
        for folder in folders {
            let Ok(entries) = std::fs::read_dir(folder) else {
                continue;
            };
            let mut paths: Vec<PathBuf> =
                entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
            // Sorted so that the same folders give the same font indexes.
            paths.sort();
            for path in paths {
                if !is_font_file(&path) {
                    continue;
                }
                let data = std::fs::read(&path).map_err(|source| Error::FontRead {
                    path: path.clone(),
                    source,
                })?;
                faces.extend(Font::iter(Bytes::new(data.clone())));
                svg_db.load_font_data(data);
            }
        }
        let book = FontBook::from_fonts(&faces);
        let has = |family: &str, weight: FontWeight, style: FontStyle| {
            faces.iter().any(|f| {
                let info = f.info();
                info.family.eq_ignore_ascii_case(family)
                    && info.variant.weight == weight
                    && info.variant.style == style
            })
        };
        let serif = SERIF_FAMILIES
            .into_iter()
            .find(|family| {
                [FontWeight::REGULAR, FontWeight::BOLD]
                    .into_iter()
                    .all(|w| {
                        [FontStyle::Normal, FontStyle::Italic]
                            .into_iter()
                            .all(|s| has(family, w, s))
                    })
            })
            .ok_or(Error::MissingFont {
                family: "Liberation Serif / Tinos",
                package: "fonts-liberation2 (hoặc fonts-croscore)",
                folders: folder_list(folders),
            })?;
        if !has(KHMER_FAMILY, FontWeight::REGULAR, FontStyle::Normal) {
            return Err(Error::MissingFont {
                family: KHMER_FAMILY,
                package: "fonts-khmeros",
                folders: folder_list(folders),
            });
        }
        Ok(Self {
            book,
            faces,
            serif,
            svg_db: Arc::new(svg_db),
        })
    }

    /// The serif family in use.
    pub fn serif(&self) -> &'static str {
        self.serif
    }
}

/// The font file `name` (a bare file name such as `KhmerOS.ttf`) in the
/// first of [`DEFAULT_FOLDERS`] holding it: the web pages serve some of the
/// files the documents embed, found in the same place. Anything that is
/// not a bare font file name finds nothing.
pub fn system_file(name: &str) -> Option<PathBuf> {
    let bare = Path::new(name).file_name().is_some_and(|n| n == name);
    if !bare || !is_font_file(Path::new(name)) {
        return None;
    }
    DEFAULT_FOLDERS
        .iter()
        .map(|folder| Path::new(folder).join(name))
        .find(|path| path.is_file())
}

fn is_font_file(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["ttf", "otf", "ttc"]
            .iter()
            .any(|x| e.eq_ignore_ascii_case(x))
    })
}

fn folder_list(folders: &[PathBuf]) -> String {
    folders
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
