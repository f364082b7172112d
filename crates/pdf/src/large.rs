//! Signing a file too large to hold (issue 7: a 200 MB PDF signs in
//! constant memory), B-B and B-T: [`sign_file`] reads only the objects the
//! update needs ([`crate::lazy`]), builds the same update as [`crate::sign`]
//! ([`crate::reserve::reserve_update`]), then hashes and copies the
//! original in fixed-size pieces in one pass, and writes the update with
//! the CMS last. The output is the bytes [`crate::sign_timestamped`] gives
//! for the same input and options.
//!
//! It refuses what the in-memory path refuses (encrypted files, a
//! cross-reference that does not locate its objects, the stream, object
//! and field bounds), for the objects it reads; [`Limits::max_input_bytes`],
//! which bounds the memory of a file held whole, does not apply.

use std::io::{Read, Seek, SeekFrom, Write};

use crate::Error;
use crate::lazy::Lazy;
use crate::reserve::reserve_update;
use crate::sign::{Plan, SignOptions, Signer};
use crate::timestamp::Timestamper;
use crate::update::Base;

/// Bytes hashed and copied at a time.
const PIECE: usize = 64 * 1024;

/// Signs the PDF `input` into `output` (which receives the whole signed
/// file), with a signature timestamp from `timestamper` if given (B-T;
/// set [`SignOptions::timestamp`] so there is room for it). Memory does
/// not grow with the file. Returns the bytes written.
pub fn sign_file<R: Read + Seek, W: Write>(
    input: &mut R,
    output: &mut W,
    signer: &Signer<'_>,
    options: &SignOptions,
    timestamper: Option<&dyn Timestamper>,
) -> Result<u64, Error> {
    let plan = Plan::new(&signer.certificate, &signer.chain, signer.digest, options)?;
    let (len, last, gathered) = {
        let mut lazy = Lazy::open(input, &options.limits)?;
        let len = lazy.len();
        let last = lazy.last()?;
        (len, last, lazy.gather(options.page)?)
    };
    let base = Base {
        doc: &gathered.doc,
        xref_start: gathered.xref_start,
        table: gathered.table,
        len: usize::try_from(len).map_err(|_| too_large(len))?,
        last,
    };
    let mut tail = reserve_update(&base, gathered.page, &plan.head, plan.room(options))?;
    drop(gathered);

    let mut hasher = plan.hasher();
    input.seek(SeekFrom::Start(0))?;
    let mut piece = vec![0; PIECE];
    let mut copied = 0u64;
    while copied < len {
        let n = input.read(&mut piece)?;
        if n == 0 {
            return Err(Error::Io(std::io::ErrorKind::UnexpectedEof.into()));
        }
        let n = n.min(usize::try_from(len - copied).unwrap_or(n));
        hasher.update(&piece[..n]);
        output.write_all(&piece[..n])?;
        copied += n as u64;
    }
    for part in tail.signed() {
        hasher.update(part);
    }
    let claim = plan.claim(hasher.finish());
    let signature = claim.sign(signer)?;
    tail.fill(&claim.cms(&signature, timestamper)?)?;
    output.write_all(&tail.bytes)?;
    output.flush()?;
    Ok(len + tail.bytes.len() as u64)
}

fn too_large(len: u64) -> Error {
    Error::TooLarge {
        size: usize::try_from(len).unwrap_or(usize::MAX),
        max: usize::MAX,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Limits;

    #[test]
    fn what_is_not_a_pdf_is_refused() {
        let limits = Limits::default();
        let mut input = std::io::Cursor::new(b"not a pdf".to_vec());
        assert!(matches!(
            Lazy::open(&mut input, &limits),
            Err(Error::Malformed(_))
        ));
    }
}
