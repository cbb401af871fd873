//! Routes outside Leptos: file uploads and downloads, exports and the open data, each
//! answering with its own status (AppError answers itself: `IntoResponse`).
pub mod bid_files;
pub mod exports;
pub mod files;
pub mod fund_exports;
pub mod open_data;
pub mod scheme_files;
pub mod streaming;
