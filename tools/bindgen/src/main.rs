//! `seedbed-bindgen <app.wasm> <site pkg dir>`: writes `seedbed.js` and `seedbed.wasm` for
//! Leptos's hydration script (scripts/build.sh runs it after building the app for wasm).
//!
//! Leptos compiled with `LEPTOS_OUTPUT_NAME` set loads `<pkg>/<name>.js` and `<pkg>/<name>.wasm`,
//! so the `_bg` suffix wasm-bindgen gives the module is dropped, as cargo-leptos does.
use anyhow::{bail, Context, Result};
use std::path::PathBuf;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, out_dir] = args.as_slice() else {
        bail!("usage: seedbed-bindgen <app.wasm> <site pkg dir>");
    };
    let name = std::env::var("LEPTOS_OUTPUT_NAME").unwrap_or_else(|_| "seedbed".to_string());
    let out_dir = PathBuf::from(out_dir);
    std::fs::create_dir_all(&out_dir).with_context(|| format!("creating {}", out_dir.display()))?;
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(input)
        .out_name(&name)
        .web(true)?
        .typescript(false)
        .generate(&out_dir)
        .with_context(|| format!("generating the JavaScript glue for {input}"))?;
    let generated = out_dir.join(format!("{name}_bg.wasm"));
    let wasm = out_dir.join(format!("{name}.wasm"));
    std::fs::rename(&generated, &wasm)
        .with_context(|| format!("renaming {} to {}", generated.display(), wasm.display()))?;
    Ok(())
}
