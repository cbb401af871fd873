//! The command line's own work besides serving: the demo data, the scale loader for the
//! benchmarks, and backups.
pub mod backup;
pub mod demo;
pub mod scale;
