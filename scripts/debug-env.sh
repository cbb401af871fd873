# Sourced by the scripts that make debug builds (run.sh, test.sh, e2e.sh, bench-load.sh
# --debug/--quick) so every debug build is compiled with the same flags.
#  - erase_components for both sides: the server and the wasm must agree (a server built
#    without it did not hydrate), and it is what cargo-leptos's debug builds used. Set here
#    for every cargo command; Cargo.toml's disable-erase-components stops cargo-leptos adding
#    it a second time (a RUSTFLAGS that differs by one repeated flag rebuilds everything).
#  - LEPTOS_OUTPUT_NAME: leptos reads it at compile time (option_env!), and cargo-leptos sets it.
# Release builds do not source this: they are built without erase_components.
export CARGO_BUILD_RUSTFLAGS="--cfg erase_components"
export LEPTOS_OUTPUT_NAME=seedbed
