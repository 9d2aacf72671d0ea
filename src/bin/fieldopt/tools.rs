//! `fieldopt generate` and `fieldopt convert solomon`.

use fieldopt::generate::{generate as make, GenerateParams};

use crate::{emit, CmdResult, ConvertArgs, Fail, GenerateArgs, EXIT_OK};

/// Runs `fieldopt generate`: a synthetic problem document as pretty JSON.
// Field by field on top of the defaults, so options added to `GenerateParams` later keep
// their default here.
#[allow(clippy::field_reassign_with_default)]
pub fn generate(a: &GenerateArgs) -> CmdResult {
    let mut params = GenerateParams::default();
    params.jobs = a.jobs;
    params.techs = a.techs;
    params.seed = a.seed;
    let doc = make(&params);
    write_doc(a.output.as_deref(), &doc)
}

/// Runs `fieldopt convert solomon`: a Solomon / Homberger instance to a problem document
/// named after the file stem.
pub fn convert_solomon(a: &ConvertArgs) -> CmdResult {
    let shown = a.file.display();
    let text = std::fs::read_to_string(&a.file)
        .map_err(|e| Fail::input(format!("{shown}: cannot read: {e}")))?;
    let name = a.file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let doc = fieldopt::io::solomon::to_problem(&text, &name)
        .map_err(|e| Fail::input(format!("{shown}: {e}")))?;
    write_doc(a.output.as_deref(), &doc)
}

fn write_doc(out: Option<&std::path::Path>, doc: &serde_json::Value) -> CmdResult {
    let mut text = serde_json::to_string_pretty(doc)
        .map_err(|e| Fail::internal(format!("cannot serialize the document: {e}")))?;
    text.push('\n');
    emit(out, &text)?;
    Ok(EXIT_OK)
}
