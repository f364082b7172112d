//! What a signature shows on a document laid out by its drafter (Decree
//! 30/2020 App. I §7–8): the signer's image (their handwritten signature,
//! blue, transparent) centred between their position and their name, and
//! the organisation's seal (red, transparent) at real size over about a
//! third of that image on its left. The rest a signature says (who,
//! when, which organisation) is in its properties, as the decree has it.
//!
//! Owns finding the signer's name among the document's printed lines
//! (last page first) and the title line above it, the rectangles that
//! follow, and the images people and agencies give
//! ([`App::set_signature_image`]), checked by drawing them. A document
//! whose signer's name cannot be found, or a holder without an image, is
//! signed without a visible mark, as before.

use bytes::Bytes;
use domain::authz::Permission;
use domain::files::MediaType;
use domain::pki::Holder;
use render::pdf::appearance::{IMAGE_MM, SEAL_MM, picture};
use store::blobs::BlobRecord;

use serde_json::json;

use crate::audit::Change;
use crate::{App, AppError, Ctx};

/// The most an image may weigh: a signature or seal scan is tens of KB.
pub const MAX_IMAGE_BYTES: usize = 2 * 1024 * 1024;
/// Points per millimetre.
const PT_PER_MM: f64 = 72.0 / 25.4;
/// How far above the name a title line may be and still be the signer's.
const MAX_TITLE_GAP_PT: f64 = 200.0;

/// A visible mark for `pdf::SignOptions`: the page (from 1) and what is
/// drawn there.
#[derive(Debug, Clone)]
pub(crate) struct Mark {
    pub page: usize,
    pub appearance: pdf::Appearance,
}

impl Mark {
    pub(crate) fn show_in(self, options: &mut pdf::SignOptions) {
        options.page = self.page;
        options.appearance = Some(self.appearance);
    }
}

/// Where the signer's image and the seal go.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Places {
    page: usize,
    image: [f64; 4],
    seal: [f64; 4],
}

impl App {
    /// The mark `holder` (a person, or an agency's seal) makes on `pdf`,
    /// whose signer is named `signer`: `None` when the holder has no image
    /// or the name is not printed in the document.
    pub(crate) async fn mark_of(
        &self,
        holder: Holder,
        pdf: &Bytes,
        signer: Option<&str>,
    ) -> Result<Option<Mark>, AppError> {
        let Some(signer) = signer.filter(|s| !s.trim().is_empty()) else {
            return Ok(None);
        };
        let Some(sha256) = self.store.read().await?.signature_image(holder).await? else {
            return Ok(None);
        };
        let image = self.blobs.get(&sha256).await?;
        let (pdf, signer) = (pdf.clone(), signer.to_owned());
        tokio::task::spawn_blocking(move || {
            let Some(places) = places(&pdf, &signer)? else {
                return Ok(None);
            };
            let rect = match holder {
                Holder::Agency(_) => places.seal,
                _ => places.image,
            };
            let form = picture(
                crate::printout::fonts()?,
                &image,
                (rect[2] - rect[0]) / PT_PER_MM,
                (rect[3] - rect[1]) / PT_PER_MM,
            )
            .map_err(|e| AppError::Internal(format!("hình chữ ký: {e}")))?;
            Ok(Some(Mark {
                page: places.page,
                appearance: pdf::Appearance {
                    rect,
                    form: form.pdf,
                },
            }))
        })
        .await
        .map_err(|e| AppError::Internal(format!("hình chữ ký: {e}")))?
    }

    /// Sets `holder`'s image: a person their own signature, an agency's
    /// administrator its seal. `png` must be a PNG that can be drawn.
    pub async fn set_signature_image(
        &self,
        ctx: &Ctx,
        holder: Holder,
        png: Bytes,
    ) -> Result<(), AppError> {
        match holder {
            Holder::Person(person) => {
                if crate::drafts::person(ctx)?.person_id != person {
                    return Err(AppError::Forbidden);
                }
            }
            Holder::Agency(agency) => {
                ctx.require(Permission::ManageAgencies, &self.lineage(agency).await?)?;
            }
            Holder::Service => return Err(AppError::Forbidden),
        }
        if png.len() > MAX_IMAGE_BYTES {
            return Err(AppError::Invalid(format!(
                "Ảnh quá lớn: {} KB, tối đa {} KB",
                png.len() / 1024,
                MAX_IMAGE_BYTES / 1024
            )));
        }
        if !png.starts_with(b"\x89PNG\r\n\x1a\n") {
            return Err(AppError::Invalid(
                "Ảnh chữ ký, con dấu phải là tệp PNG nền trong suốt".into(),
            ));
        }
        let check = png.clone();
        tokio::task::spawn_blocking(move || {
            picture(crate::printout::fonts()?, &check, IMAGE_MM.0, IMAGE_MM.1)
                .map(drop)
                .map_err(|e| AppError::Invalid(format!("Không đọc được ảnh PNG: {e}")))
        })
        .await
        .map_err(|e| AppError::Internal(format!("ảnh chữ ký: {e}")))??;
        let size = png.len() as u64;
        let sha256 = self.blobs.put(png).await?;
        let before = self.store.read().await?.signature_image(holder).await?;
        let mut tx = self.store.write().await?;
        tx.record_blob(&BlobRecord {
            sha256: sha256.clone(),
            size,
            media_type: MediaType::Png,
            created_at: self.now(),
        })
        .await?;
        tx.set_signature_image(holder, &sha256, self.now()).await?;
        let change = Change {
            action: "signature_image.set",
            object_type: holder.kind(),
            object_id: holder.id().unwrap_or_default().to_string(),
            before: before.map(|sha256| json!({ "sha256": sha256 })),
            after: Some(json!({ "sha256": sha256 })),
        };
        crate::audit::record(&mut tx, self, ctx, change).await?;
        tx.commit().await?;
        Ok(())
    }

    /// `holder`'s image, if one was given.
    pub async fn signature_image(&self, holder: Holder) -> Result<Option<Bytes>, AppError> {
        match self.store.read().await?.signature_image(holder).await? {
            Some(sha256) => Ok(Some(self.blobs.get(&sha256).await?)),
            None => Ok(None),
        }
    }
}

/// Where the images go on `pdf` signed by `signer`: above the last line
/// that names them.
fn places(pdf: &[u8], signer: &str) -> Result<Option<Places>, AppError> {
    let pages = textract::pdf_lines(pdf, &textract::Limits::default())
        .map_err(|e| AppError::Invalid(format!("Không đọc được chữ trong tệp PDF: {e}")))?;
    let wanted = vn::text::fold(signer);
    for (index, lines) in pages.iter().enumerate().rev() {
        let named = lines
            .iter()
            .rev()
            .find(|line| vn::text::fold(&line.text).contains(&wanted));
        if let Some(name) = named {
            return Ok(Some(around(index + 1, name, lines)));
        }
    }
    Ok(None)
}

/// The image centred over the name line, in the space up to the title
/// line above it (or 20 mm), at most the image box of Decree 30's layout;
/// the seal at real size, its right edge a third into the image, level
/// with its centre.
fn around(page: usize, name: &textract::Line, lines: &[textract::Line]) -> Places {
    let top_of_name = f64::from(name.baseline) + f64::from(name.size);
    let overlaps = |line: &&textract::Line| line.x0 < name.x1 && line.x1 > name.x0;
    let title_bottom = lines
        .iter()
        .filter(overlaps)
        .map(|line| f64::from(line.baseline) - 0.3 * f64::from(line.size))
        .filter(|bottom| *bottom > top_of_name && *bottom - top_of_name < MAX_TITLE_GAP_PT)
        .fold(None, |lowest: Option<f64>, bottom| {
            Some(lowest.map_or(bottom, |l| l.min(bottom)))
        });
    let (box_w, box_h) = (IMAGE_MM.0 * PT_PER_MM, IMAGE_MM.1 * PT_PER_MM);
    // 2 pt clear of the lines above and below.
    let gap = title_bottom.map_or(box_h + 4.0, |bottom| bottom - top_of_name);
    let height = (gap - 4.0).clamp(box_h / 2.0, box_h);
    let width = box_w * height / box_h;
    let centre_x = f64::midpoint(f64::from(name.x0), f64::from(name.x1));
    let centre_y = top_of_name + gap.max(height) / 2.0;
    let image = [
        centre_x - width / 2.0,
        centre_y - height / 2.0,
        centre_x + width / 2.0,
        centre_y + height / 2.0,
    ];
    let seal_side = SEAL_MM * PT_PER_MM;
    let seal_right = image[0] + width / 3.0;
    let seal = [
        seal_right - seal_side,
        centre_y - seal_side / 2.0,
        seal_right,
        centre_y + seal_side / 2.0,
    ];
    Places { page, image, seal }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str, x0: f32, x1: f32, baseline: f32) -> textract::Line {
        textract::Line {
            text: text.into(),
            x0,
            x1,
            baseline,
            size: 14.0,
        }
    }

    #[test]
    fn the_image_sits_between_title_and_name_and_the_seal_over_its_left_third() {
        let lines = [
            line("KT. GIÁM ĐỐC", 350.0, 450.0, 300.0),
            line("PHÓ GIÁM ĐỐC", 350.0, 450.0, 284.0),
            line("- Lưu: VT, CNTT.", 80.0, 160.0, 200.0),
            line("Nguyễn Ngọc Thành", 340.0, 460.0, 200.0),
        ];
        let places = around(2, &lines[3], &lines);
        assert_eq!(places.page, 2);
        let [x0, y0, x1, y1] = places.image;
        // Centred on the name, inside the 66.6 pt between the name's top
        // (214) and the title's bottom (279.8), at most 20 mm high.
        assert!((f64::midpoint(x0, x1) - 400.0).abs() < 1e-9);
        assert!(y0 >= 214.0 && y1 <= 279.8, "{:?}", places.image);
        assert!((y1 - y0 - 20.0 * PT_PER_MM).abs() < 1e-9);
        let [s0, _, s1, _] = places.seal;
        assert!((s1 - (x0 + (x1 - x0) / 3.0)).abs() < 1e-9);
        assert!((s1 - s0 - SEAL_MM * PT_PER_MM).abs() < 1e-9);
        // No title above: 20 mm high, 2 pt over the name.
        let alone = around(1, &lines[3], &lines[3..]);
        assert!((alone.image[1] - 216.0).abs() < 1e-9, "{:?}", alone.image);
        assert!((alone.image[3] - alone.image[1] - 20.0 * PT_PER_MM).abs() < 1e-9);
    }
}
