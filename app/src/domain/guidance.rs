//! Guidance is plain text: paragraphs and lists, never HTML.
use serde::{Deserialize, Serialize};

/// Guidance is plain text: blank lines separate paragraphs; lines starting "- " or "* "
/// make a bulleted list and "1. " a numbered one. Nothing is ever read as HTML.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Block {
    Paragraph(String),
    Bullets(Vec<String>),
    Numbered(Vec<String>),
}

pub fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let normalised = text.replace("\r\n", "\n");
    for chunk in normalised.split("\n\n") {
        let lines: Vec<&str> = chunk
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        let mut para: Vec<&str> = Vec::new();
        let mut bullets: Vec<String> = Vec::new();
        let mut numbered: Vec<String> = Vec::new();
        let flush = |out: &mut Vec<Block>,
                     para: &mut Vec<&str>,
                     bullets: &mut Vec<String>,
                     numbered: &mut Vec<String>| {
            if !para.is_empty() {
                out.push(Block::Paragraph(para.join(" ")));
                para.clear();
            }
            if !bullets.is_empty() {
                out.push(Block::Bullets(std::mem::take(bullets)));
            }
            if !numbered.is_empty() {
                out.push(Block::Numbered(std::mem::take(numbered)));
            }
        };
        for line in lines {
            if let Some(item) = line.strip_prefix("- ").or_else(|| line.strip_prefix("* ")) {
                if !para.is_empty() || !numbered.is_empty() {
                    flush(&mut out, &mut para, &mut bullets, &mut numbered);
                }
                bullets.push(item.trim().to_string());
            } else if let Some(item) = numbered_item(line) {
                if !para.is_empty() || !bullets.is_empty() {
                    flush(&mut out, &mut para, &mut bullets, &mut numbered);
                }
                numbered.push(item.to_string());
            } else {
                if !bullets.is_empty() || !numbered.is_empty() {
                    flush(&mut out, &mut para, &mut bullets, &mut numbered);
                }
                para.push(line);
            }
        }
        flush(&mut out, &mut para, &mut bullets, &mut numbered);
    }
    out
}

fn numbered_item(line: &str) -> Option<&str> {
    let digits = line.chars().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 || digits > 3 {
        return None;
    }
    line[digits..].strip_prefix(". ").map(str::trim)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guidance_becomes_paragraphs_and_lists_never_html() {
        let text = "Who can apply\nLocal groups.\n\n- Charities\n- CICs\n\n1. Read this\n2. Bid\n\n<script>alert(1)</script>";
        assert_eq!(
            blocks(text),
            vec![
                Block::Paragraph("Who can apply Local groups.".into()),
                Block::Bullets(vec!["Charities".into(), "CICs".into()]),
                Block::Numbered(vec!["Read this".into(), "Bid".into()]),
                Block::Paragraph("<script>alert(1)</script>".into()),
            ]
        );
    }
}
