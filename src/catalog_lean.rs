//! The built-in rule files without their examples, as build.rs embeds them (it includes this file
//! with `#[path]`, so it uses nothing but std). `[rules.examples]` tables are half the catalog's text
//! and only `rules --check` and the tests read them, so build.rs precompiles the lean text
//! (`catalog_compiled`) and a run finds a table's examples by the key left in its place
//! (`config::Examples::resolved`).

/// `text` with the body of each `[rules.examples]` table blanked out: its first line becomes
/// `builtin = "NAME#K"` (the file's K-th examples table), the others empty lines, so every offset's
/// line is the same as in `text`.
pub fn without_examples(name: &str, text: &str) -> String {
    // Non-overlapping occurrences of a triple quote (what `str::matches` counts).
    fn triples(line: &str, q: char) -> usize {
        let triple: String = [q; 3].iter().collect();
        line.matches(triple.as_str()).count()
    }
    let mut out = String::with_capacity(text.len());
    let mut in_examples = false;
    let mut in_multiline: Option<char> = None;
    let mut k = 0;
    let mut marked = false;
    for line in text.split_inclusive('\n') {
        if in_multiline.is_none() && line.starts_with('[') {
            in_examples = line.trim_end() == "[rules.examples]";
            marked = false;
            out.push_str(line);
            continue;
        }
        if !in_examples {
            out.push_str(line);
            continue;
        }
        // A multi-line string inside the examples may hold a line that starts with `[`.
        for q in ['\'', '"'] {
            let odd = triples(line, q) % 2 == 1;
            match in_multiline {
                Some(d) if d == q && odd => in_multiline = None,
                None if odd => in_multiline = Some(q),
                _ => {}
            }
        }
        if !marked {
            out.push_str(&format!("builtin = \"{name}#{k}\""));
            k += 1;
            marked = true;
        }
        if line.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}
