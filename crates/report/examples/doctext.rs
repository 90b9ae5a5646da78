//! Prints the text pcmd reads from a document: `cargo run -p pcmd-report --example doctext FILE`.
fn main() {
    let path = std::env::args().nth(1).unwrap_or_default();
    match std::fs::read(&path).map_err(|e| e.to_string()).and_then(|b| pcmd_report::read::document_text(&b).map_err(|e| e.to_string())) {
        Ok(t) => print!("{t}"),
        Err(e) => eprintln!("{e}"),
    }
}
