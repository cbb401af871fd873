//! The page kit: GOV.UK-style components. Every form in Seedbed is built from these.
//! Each renders labels, hints and error messages wired with `aria-describedby` and works
//! without JavaScript; with JavaScript, counts update as you type and focus moves to errors.
pub mod chart;
pub mod form;
pub mod layout;
pub mod misc;
#[cfg(all(test, feature = "ssr"))]
mod render_tests;

pub use chart::*;
pub use form::*;
pub use layout::*;
pub use misc::*;
