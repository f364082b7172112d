//! The provincial e-information portal (issue 11): the pure text pieces —
//! what an editor's HTML may keep ([`html`]) and the Atom feed and sitemap
//! the portal publishes ([`feed`]).

pub mod feed;
pub mod html;
