//! The report's portal figures for a period: articles published in it (a
//! published article whose `publish_at` falls in the period) by site and
//! language and by category, the component sites existing at its end and
//! the posts on them.
//!
//! The monthly report says it in one sentence ([`PortalFigures::sentence`]):
//! «49 tin bài tiếng Việt và 20 tin bài tiếng Khmer; 40 trang thành phần,
//! 469 tin bài».

use serde::Serialize;

use super::publications::DocumentCategory;
use super::{CategoryId, Language, SiteId};

/// A site's articles of the period, by language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SiteCount {
    pub site_id: SiteId,
    pub name: String,
    pub main: bool,
    pub vietnamese: u64,
    pub khmer: u64,
}

impl SiteCount {
    pub fn total(&self) -> u64 {
        self.vietnamese + self.khmer
    }

    /// Adds `n` articles in `language`.
    pub fn add(&mut self, language: Language, n: u64) {
        match language {
            Language::Vi => self.vietnamese += n,
            Language::Km => self.khmer += n,
        }
    }
}

/// A category's articles of the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryCount {
    pub category_id: CategoryId,
    pub site_id: SiteId,
    pub name: String,
    pub articles: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PortalFigures {
    /// Sites with articles in the period, the main portal first, then by name.
    pub by_site: Vec<SiteCount>,
    /// Categories with articles in the period, by site then position. An
    /// article in two categories counts in both.
    pub by_category: Vec<CategoryCount>,
    /// Component sites opened on or before the period's last day.
    pub component_sites: u64,
    /// Articles published on component sites in the period.
    pub component_posts: u64,
    /// Documents published in the period, by category.
    pub documents: DocumentFigures,
}

impl PortalFigures {
    /// The main portal's counts (zero when it published nothing).
    pub fn main_site(&self) -> Option<&SiteCount> {
        self.by_site.iter().find(|s| s.main)
    }

    /// The report's sentence on the portal.
    pub fn sentence(&self) -> String {
        let (vi, km) = self.main_site().map_or((0, 0), |m| (m.vietnamese, m.khmer));
        format!(
            "{} tin bài tiếng Việt và {} tin bài tiếng Khmer; {} trang thành phần, {} tin bài",
            vn::numbers::format_count(vi),
            vn::numbers::format_count(km),
            vn::numbers::format_count(self.component_sites),
            vn::numbers::format_count(self.component_posts),
        )
    }
}

/// The documents published in a period, by category (the seed's «77 văn
/// bản (Gồm: …)»).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentFigures {
    /// Every category in the seed's order, with its count (zero too).
    pub by_category: Vec<(DocumentCategory, u64)>,
}

impl Default for DocumentFigures {
    fn default() -> Self {
        Self::of(std::iter::empty())
    }
}

impl DocumentFigures {
    /// The figures of `counts` (a category named twice adds up).
    pub fn of(counts: impl IntoIterator<Item = (DocumentCategory, u64)>) -> Self {
        let mut by_category: Vec<(DocumentCategory, u64)> =
            DocumentCategory::ALL.iter().map(|c| (*c, 0)).collect();
        for (category, n) in counts {
            if let Some(slot) = by_category.iter_mut().find(|(c, _)| *c == category) {
                slot.1 += n;
            }
        }
        Self { by_category }
    }

    pub fn total(&self) -> u64 {
        self.by_category.iter().map(|(_, n)| n).sum()
    }

    pub fn count(&self, category: DocumentCategory) -> u64 {
        self.by_category
            .iter()
            .find(|(c, _)| *c == category)
            .map_or(0, |(_, n)| *n)
    }

    /// The report's words: «77 văn bản (Gồm: 05 lịch làm việc lãnh đạo, …)»,
    /// the named categories with documents in the seed's order; «00 văn
    /// bản» when none. Documents of no named kind (`Other`) are in the
    /// total only, as the seed writes it.
    pub fn sentence(&self) -> String {
        let total = vn::numbers::format_count(self.total());
        let parts: Vec<String> = self
            .by_category
            .iter()
            .filter(|(c, n)| *n > 0 && *c != DocumentCategory::Other)
            .map(|(c, n)| format!("{} {}", vn::numbers::format_count(*n), c.in_sentence()))
            .collect();
        if parts.is_empty() {
            format!("{total} văn bản")
        } else {
            format!("{total} văn bản (Gồm: {})", parts.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reports_sentence() {
        let mut main = SiteCount {
            site_id: 1,
            name: "Cổng tỉnh".into(),
            main: true,
            vietnamese: 0,
            khmer: 0,
        };
        main.add(Language::Vi, 49);
        main.add(Language::Km, 20);
        assert_eq!(main.total(), 69);
        let figures = PortalFigures {
            by_site: vec![main],
            by_category: Vec::new(),
            component_sites: 40,
            component_posts: 1469,
            documents: DocumentFigures::default(),
        };
        assert_eq!(
            figures.sentence(),
            "49 tin bài tiếng Việt và 20 tin bài tiếng Khmer; 40 trang thành phần, 1.469 tin bài"
        );
        assert_eq!(
            PortalFigures::default().sentence(),
            // Administrative text writes small counts with a leading zero.
            "00 tin bài tiếng Việt và 00 tin bài tiếng Khmer; 00 trang thành phần, 00 tin bài"
        );
    }

    #[test]
    fn the_documents_sentence_in_the_seeds_words() {
        use DocumentCategory as C;
        let figures = DocumentFigures::of([
            (C::PublicConsultation, 10),
            (C::LeadersSchedule, 5),
            (C::Announcement, 1),
            (C::LeadersSchedule, 1),
        ]);
        assert_eq!(figures.total(), 17);
        assert_eq!(figures.count(C::LeadersSchedule), 6);
        assert_eq!(figures.count(C::Elections), 0);
        // The seed's order, whatever the records' order; empty ones left out.
        assert_eq!(
            figures.sentence(),
            "17 văn bản (Gồm: 06 lịch làm việc lãnh đạo, 01 thông báo, 10 văn bản lấy ý kiến nhân dân)"
        );
        assert_eq!(DocumentFigures::default().sentence(), "00 văn bản");
        // A document of no named kind is in the total, not in the list.
        let other = DocumentFigures::of([(C::Announcement, 1), (C::Other, 1)]);
        assert_eq!(other.sentence(), "02 văn bản (Gồm: 01 thông báo)");
        assert_eq!(
            DocumentFigures::of([(C::Other, 3)]).sentence(),
            "03 văn bản"
        );
    }
}
