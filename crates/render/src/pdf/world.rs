//! The Typst `World` of one render: the generated main source, the chart
//! SVGs as virtual files, and the shared fonts.
//!
//! Invariant: closed. No file system, no network, no packages: any path other
//! than the ones put in here is "not found", so a document cannot read a file
//! of the server nor make Typst fetch a package.

use std::collections::HashMap;
use std::path::PathBuf;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use crate::Error;
use crate::fonts::Fonts;

pub(crate) struct DocWorld<'a> {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: &'a Fonts,
    main: Source,
    files: HashMap<FileId, Bytes>,
}

/// The id of a virtual file at the project root.
pub(crate) fn file_id(name: &str) -> Result<FileId, Error> {
    let path =
        VirtualPath::new(format!("/{name}")).map_err(|e| Error::Typeset(format!("{e:?}")))?;
    Ok(RootedPath::new(VirtualRoot::Project, path).intern())
}

impl<'a> DocWorld<'a> {
    pub(crate) fn new(
        fonts: &'a Fonts,
        main: String,
        files: Vec<(String, Vec<u8>)>,
    ) -> Result<Self, Error> {
        let main = Source::new(file_id("main.typ")?, main);
        let mut map = HashMap::new();
        for (name, data) in files {
            map.insert(file_id(&name)?, Bytes::new(data));
        }
        Ok(Self {
            library: LazyHash::new(Library::builder().build()),
            book: LazyHash::new(fonts.book.clone()),
            fonts,
            main,
            files: map,
        })
    }
}

impl World for DocWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::NotSource)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.files
            .get(&id)
            .cloned()
            .ok_or_else(|| FileError::NotFound(PathBuf::from(id.get().vpath().get_with_slash())))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.faces.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        // Documents carry their own date; reading the clock here would make
        // the output depend on when it was rendered.
        None
    }
}
