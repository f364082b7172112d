//! The provincial e-information portal (issue 11): its sites — the
//! province's main portal and one component site per department or
//! district — their categories (whose `in_menu` ones, by position, are the
//! site's menu), the people who write and review on each site, and what
//! each of them may do. Its pure text pieces: what an editor's HTML may
//! keep ([`html`]) and the Atom feed and sitemap it publishes ([`feed`]).
//! The documents a site publishes from the register, and their
//! consultations, are [`publications`].
//!
//! Invariant: who may do what on a site is decided here only
//! ([`may`]); creating sites and categories and choosing members is the
//! `ManagePortal` permission of `authz`, held over the site's agency.

pub mod articles;
pub mod feed;
pub mod figures;
pub mod html;
pub mod images;
pub mod publications;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::agencies::AgencyId;

pub type SiteId = i64;
pub type CategoryId = i64;

/// A site's slug (and a category's): its address part, `/site/<slug>`.
const SLUG_LEN: std::ops::RangeInclusive<usize> = 2..=40;
const NAME_MAX: usize = 200;

/// A site of the portal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Site {
    pub id: SiteId,
    pub slug: String,
    pub name: String,
    /// The agency whose site it is; its leaders and administrators manage it.
    pub agency_id: AgencyId,
    /// A host name of its own (`sotttt.travinh.gov.vn`), if it has one.
    pub host: Option<String>,
    /// The province's portal; exactly one site is.
    pub main: bool,
    /// The day the site went online: the report counts the component sites
    /// existing at a period's end by it.
    pub opened_on: Date,
}

/// A category of a site's articles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub id: CategoryId,
    pub site_id: SiteId,
    pub slug: String,
    pub name: String,
    pub parent_id: Option<CategoryId>,
    pub position: i32,
    /// Shown in the site's menu.
    pub in_menu: bool,
}

/// A person's role on a site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SiteRole {
    /// Biên tập viên: writes articles and submits them for review.
    Editor,
    /// Người duyệt: also publishes, returns, unpublishes, decides sharing.
    Reviewer,
}

named!(SiteRole {
    Editor => "editor", "Biên tập viên";
    Reviewer => "reviewer", "Người duyệt bài";
});

/// The language of an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    Vi,
    Km,
}

named!(Language {
    Vi => "vi", "Tiếng Việt";
    Km => "km", "Tiếng Khmer";
});

/// Something done to an article on a site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SiteAction {
    /// Create or edit an article.
    Write,
    /// Send a draft for review.
    Submit,
    /// Publish (now or later), republish.
    Publish,
    /// Send an article in review back to its writer.
    Return,
    Unpublish,
    /// Propose an article of a component site to the main portal.
    ProposeSharing,
    /// Approve or reject a proposal (on the main site).
    DecideSharing,
    /// See drafts and articles in review.
    SeeUnpublished,
}

/// Whether a person with `role` on a site (none: not a member) may take
/// `action` there. Reviewers may do whatever editors may.
pub fn may(role: Option<SiteRole>, action: SiteAction) -> bool {
    match (role, action) {
        (None, _) => false,
        (Some(SiteRole::Reviewer), _) => true,
        (Some(SiteRole::Editor), a) => matches!(
            a,
            SiteAction::Write
                | SiteAction::Submit
                | SiteAction::ProposeSharing
                | SiteAction::SeeUnpublished
        ),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PortalError {
    #[error(
        "địa chỉ rút gọn «{0}» không hợp lệ: chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang, từ 2 đến 40 ký tự"
    )]
    BadSlug(String),
    #[error("cần ghi tên (tối đa 200 ký tự)")]
    BadName,
    #[error("tên miền «{0}» không hợp lệ")]
    BadHost(String),
    #[error("địa chỉ rút gọn «{0}» đã được dùng")]
    SlugTaken(String),
    #[error("tên miền «{0}» đã được dùng cho trang khác")]
    HostTaken(String),
    #[error("đã có Cổng thông tin chính của tỉnh")]
    SecondMain,
    #[error("chuyên mục cha phải thuộc cùng trang")]
    ParentOfOtherSite,
}

/// `slug` if it is one: lowercase ASCII letters, digits and inner hyphens.
pub fn checked_slug(slug: &str) -> Result<String, PortalError> {
    let slug = slug.trim();
    let ok = SLUG_LEN.contains(&slug.len())
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-');
    if ok {
        Ok(slug.to_owned())
    } else {
        Err(PortalError::BadSlug(slug.to_owned()))
    }
}

/// A slug made from a name: folded, words joined by hyphens, cut at 40
/// characters («Huyện Càng Long» → `huyen-cang-long`).
pub fn slug_of(name: &str) -> String {
    let mut slug = String::new();
    for word in vn::text::fold(name).split(|c: char| !c.is_ascii_alphanumeric()) {
        if word.is_empty() {
            continue;
        }
        if slug.len() + usize::from(!slug.is_empty()) + word.len() > *SLUG_LEN.end() {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(word);
    }
    slug
}

fn checked_name(name: &str) -> Result<String, PortalError> {
    let name = vn::text::squash_spaces(name);
    if name.is_empty() || name.chars().count() > NAME_MAX {
        return Err(PortalError::BadName);
    }
    Ok(name)
}

/// A host name, lowercased: dot-separated labels of letters, digits and
/// inner hyphens (no port, no scheme).
fn checked_host(host: &str) -> Result<String, PortalError> {
    let host = host.trim().to_ascii_lowercase();
    let label_ok = |l: &str| {
        (1..=63).contains(&l.len())
            && l.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    if host.len() <= 253 && host.contains('.') && host.split('.').all(label_ok) {
        Ok(host)
    } else {
        Err(PortalError::BadHost(host))
    }
}

impl Site {
    /// The site with its texts trimmed, or why it cannot be kept.
    pub fn checked(mut self) -> Result<Self, PortalError> {
        self.slug = checked_slug(&self.slug)?;
        self.name = checked_name(&self.name)?;
        self.host = match self.host.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(host) => Some(checked_host(host)?),
        };
        Ok(self)
    }
}

impl Category {
    /// The category with its texts trimmed, or why it cannot be kept;
    /// `parent` is the parent category when one is named.
    pub fn checked(mut self, parent: Option<&Self>) -> Result<Self, PortalError> {
        self.slug = checked_slug(&self.slug)?;
        self.name = checked_name(&self.name)?;
        if parent.is_some_and(|p| p.site_id != self.site_id || Some(p.id) == Some(self.id)) {
            return Err(PortalError::ParentOfOtherSite);
        }
        Ok(self)
    }
}

/// The menu of a site: its categories shown in the menu, by position.
pub fn menu(categories: &[Category]) -> Vec<&Category> {
    let mut menu: Vec<&Category> = categories.iter().filter(|c| c.in_menu).collect();
    menu.sort_by_key(|c| (c.position, c.id));
    menu
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn roles_decide_actions() {
        use SiteAction as A;
        let all = [
            A::Write,
            A::Submit,
            A::Publish,
            A::Return,
            A::Unpublish,
            A::ProposeSharing,
            A::DecideSharing,
            A::SeeUnpublished,
        ];
        for action in all {
            assert!(may(Some(SiteRole::Reviewer), action), "{action:?}");
            assert!(!may(None, action), "{action:?}");
        }
        let editor = |a| may(Some(SiteRole::Editor), a);
        assert!(editor(A::Write) && editor(A::Submit) && editor(A::ProposeSharing));
        assert!(editor(A::SeeUnpublished));
        assert!(!editor(A::Publish) && !editor(A::Return) && !editor(A::Unpublish));
        assert!(!editor(A::DecideSharing));
    }

    #[test]
    fn slugs_and_hosts() {
        assert_eq!(checked_slug(" so-tttt ").unwrap(), "so-tttt");
        assert_eq!(slug_of("Huyện Càng Long"), "huyen-cang-long");
        assert_eq!(slug_of("SLĐTBXH"), "sldtbxh");
        assert_eq!(slug_of("Tin tức – Sự kiện"), "tin-tuc-su-kien");
        let long = slug_of(&"Sở Nông nghiệp và Phát triển nông thôn tỉnh Trà Vinh".repeat(2));
        assert!(checked_slug(&long).is_ok(), "{long}");
        for bad in [
            "a",
            "Sở",
            "so_tttt",
            "-so",
            "so-",
            &"a".repeat(41),
            "so tttt",
        ] {
            assert!(checked_slug(bad).is_err(), "{bad}");
        }
        let site = |host: Option<&str>| Site {
            id: 0,
            slug: "tra-vinh".into(),
            name: "  Cổng Thông tin   điện tử ".into(),
            agency_id: 1,
            host: host.map(str::to_owned),
            main: true,
            opened_on: date!(2015 - 01 - 01),
        };
        let ok = site(Some(" TraVinh.gov.vn ")).checked().unwrap();
        assert_eq!(ok.host.as_deref(), Some("travinh.gov.vn"));
        assert_eq!(ok.name, "Cổng Thông tin điện tử");
        assert_eq!(site(Some("")).checked().unwrap().host, None);
        for bad in [
            "localhost",
            "travinh.gov.vn:80",
            "http://x.vn",
            "a..vn",
            "-a.vn",
        ] {
            assert!(site(Some(bad)).checked().is_err(), "{bad}");
        }
    }

    #[test]
    fn categories_and_menu() {
        let cat = |id, site_id, position, in_menu| Category {
            id,
            site_id,
            slug: format!("c-{id}"),
            name: format!("Chuyên mục {id}"),
            parent_id: None,
            position,
            in_menu,
        };
        let other_site = cat(9, 2, 0, true);
        assert_eq!(
            cat(0, 1, 0, true).checked(Some(&other_site)),
            Err(PortalError::ParentOfOtherSite)
        );
        assert!(
            cat(0, 1, 0, true)
                .checked(Some(&cat(3, 1, 0, true)))
                .is_ok()
        );
        let all = [cat(1, 1, 2, true), cat(2, 1, 1, true), cat(3, 1, 0, false)];
        let ids: Vec<_> = menu(&all).iter().map(|c| c.id).collect();
        assert_eq!(ids, [2, 1]);
    }
}
