//! Documentation examples. A Markdown, reStructuredText or AsciiDoc page that shows what a config file
//! looks like ("It has a separate table for each registry, for example:" above a fenced block holding
//! `token = "854D…"`) is most often not leaking a credential: the value was made up to illustrate a
//! format. Generic rules (a secret-sounding name assigned a random-looking value) cannot tell such a
//! value from a real one; the prose around it says which it probably is. So such a value is reported
//! at severity low, tagged `documentation-example` (the weak tier's stand-ins there are dropped:
//! `engine::policy`). Vendor-format rules are not affected: a real `ghp_…` token pasted into a
//! README is still a leak at its rule's severity, whatever the prose says.

/// The documentation markups whose code blocks are recognised.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Markup {
    /// ```` ``` ```` and `~~~` fences.
    Markdown,
    /// `.. code-block::` directives and paragraphs ending in `::`, followed by an indented block.
    ReStructuredText,
    /// ---- (listing) and .... (literal) delimited blocks.
    AsciiDoc,
}

impl Markup {
    pub const ALL: [Markup; 3] = [Markup::Markdown, Markup::ReStructuredText, Markup::AsciiDoc];

    /// The markup of a documentation page, by its file name.
    pub fn of_path(path: &str) -> Option<Markup> {
        let name = path.rsplit('/').next().unwrap_or(path);
        let (_, ext) = name.rsplit_once('.')?;
        match ext.to_ascii_lowercase().as_str() {
            "md" | "markdown" | "mdx" => Some(Markup::Markdown),
            "rst" => Some(Markup::ReStructuredText),
            "adoc" | "asciidoc" => Some(Markup::AsciiDoc),
            _ => None,
        }
    }

    /// A bit per markup, to record in which markups a position is an example.
    pub fn bit(self) -> u8 {
        1 << self as u8
    }
}

/// A text asked about many positions (every generic hit in it): where its fences are is found once,
/// on the first question that needs it, so that a page with thousands of hits in code blocks costs
/// one pass over it rather than one per hit.
pub struct Page<'a> {
    data: &'a [u8],
    fences: std::cell::OnceCell<Vec<(Markup, u8, Vec<usize>)>>,
    /// Per markup, whether the text holds anything that can open a block of it at all (a fence, a
    /// `::`, a delimiter line): without one no position is in a block, and ordinary code with a
    /// generic hit on every line need not walk back 60 lines per hit and markup to find that out.
    openers: std::cell::OnceCell<[bool; 3]>,
}

impl<'a> Page<'a> {
    pub fn new(data: &'a [u8]) -> Page<'a> {
        Page {
            data,
            fences: std::cell::OnceCell::new(),
            openers: std::cell::OnceCell::new(),
        }
    }

    /// The markups in which `pos` lies inside an example block, as a set of `Markup::bit`s.
    pub fn example_markups(&self, pos: usize) -> u8 {
        let openers = self.openers.get_or_init(|| {
            let has = |s: &[u8]| memchr::memmem::find(self.data, s).is_some();
            [
                has(b"```") || has(b"~~~"),
                has(b"::") || has(b".. code") || has(b".. sourcecode"),
                has(b"----") || has(b"...."),
            ]
        });
        Markup::ALL
            .iter()
            .filter(|m| openers[**m as usize] && self.in_example_block(pos, **m))
            .fold(0, |bits, m| bits | m.bit())
    }

    /// How many fence lines of `kind` start before `pos` (which is at most `MAX_PAGE`).
    fn fences_before(&self, pos: usize, markup: Markup, kind: u8) -> usize {
        let all = self.fences.get_or_init(|| {
            let mut found: Vec<(Markup, u8, Vec<usize>)> = Vec::new();
            let mut start = 0;
            while start < self.data.len() && start <= MAX_PAGE {
                let line = line_of(self.data, start);
                for m in [Markup::Markdown, Markup::AsciiDoc] {
                    if let Some(k) = fence_of_line(line, m) {
                        match found.iter_mut().find(|(fm, fk, _)| *fm == m && *fk == k) {
                            Some((_, _, starts)) => starts.push(start),
                            None => found.push((m, k, vec![start])),
                        }
                    }
                }
                start += line.len() + 1;
            }
            found
        });
        all.iter()
            .find(|(m, k, _)| *m == markup && *k == kind)
            .map_or(0, |(_, _, starts)| starts.partition_point(|&s| s < pos))
    }
}

/// How far back from a hit the block's opening line and its lead-in prose are looked for.
const LOOK_BACK_LINES: usize = 60;
/// How far into a text fences are counted to tell an opening fence from a closing one.
const MAX_PAGE: usize = 1 << 20;
/// How many lines of prose before a block are read for example wording.
const LEAD_IN_LINES: usize = 3;

/// Wording that introduces an illustration rather than a record of real values.
const EXAMPLE_WORDS: &[&str] = &[
    "example",
    "e.g.",
    "for instance",
    "such as",
    "sample",
    "looks like",
    "look like",
    "like this",
    "like so",
    "would look",
    "might look",
    "illustrat",
    "placeholder",
    "dummy",
    "made-up",
    "made up",
];

impl Page<'_> {
    /// True when the byte at `pos` lies inside a code block of a documentation page (a Markdown
    /// fence, an AsciiDoc listing block, a reStructuredText literal block) whose lead-in — the
    /// paragraph or heading just above the block — says it is an example. Works on the text alone;
    /// the caller decides whether the file is a documentation page.
    fn in_example_block(&self, pos: usize, markup: Markup) -> bool {
        let data = self.data;
        let Some(open) = self.block_opening(pos, markup) else {
            return false;
        };
        let mut lead_in = String::new();
        let mut taken = 0;
        let mut seen_text = false;
        for line in lines_before(data, open.start).take(LOOK_BACK_LINES) {
            let text = String::from_utf8_lossy(line);
            let text = text.trim();
            if text.is_empty() {
                if seen_text {
                    break; // the paragraph above the block ends here
                }
                continue;
            }
            if fence_kind(text, markup).is_some() {
                break;
            }
            if markup == Markup::AsciiDoc
                && (text.starts_with('[') && text.ends_with(']') || text.starts_with('.'))
            {
                // A block's attribute line ([source,toml]) or title (.Example): part of the lead-in.
                lead_in.push_str(&text.to_ascii_lowercase());
                lead_in.push(' ');
                continue;
            }
            seen_text = true;
            lead_in.push_str(&text.to_ascii_lowercase());
            lead_in.push(' ');
            taken += 1;
            if taken == LEAD_IN_LINES || text.starts_with('#') || text.starts_with('=') {
                break;
            }
        }
        // The opening line itself can say so too (```toml title="example", [source,toml,title=Example]).
        lead_in.push_str(&String::from_utf8_lossy(&data[open.clone()]).to_ascii_lowercase());
        EXAMPLE_WORDS.iter().any(|w| lead_in.contains(w))
    }

    /// The line that opens the code block holding `pos`, if `pos` is inside one.
    fn block_opening(&self, pos: usize, markup: Markup) -> Option<std::ops::Range<usize>> {
        let data = self.data;
        let pos = pos.min(data.len());
        let line_start = memchr::memrchr(b'\n', &data[..pos]).map_or(0, |i| i + 1);
        let mut min_indent = indent(line_of(data, line_start));
        let mut at = line_start;
        for _ in 0..LOOK_BACK_LINES {
            if at == 0 {
                return None;
            }
            let start = memchr::memrchr(b'\n', &data[..at - 1]).map_or(0, |i| i + 1);
            let range = start..at - 1;
            at = start;
            let line = &data[range.clone()];
            let text = String::from_utf8_lossy(line);
            let trimmed = text.trim();
            if trimmed.is_empty() {
                continue;
            }
            if markup == Markup::ReStructuredText {
                // The block is indented under its lead line: walking up through lines indented less and
                // less (nested content), the first lead line opens it; unindented text ends the search.
                let depth = indent(line);
                if depth < min_indent {
                    if trimmed.starts_with(".. code")
                        || trimmed.starts_with(".. sourcecode")
                        || trimmed.ends_with("::")
                    {
                        return Some(range);
                    }
                    if depth == 0 {
                        return None;
                    }
                    min_indent = depth;
                }
                continue;
            }
            if let Some(kind) = fence_kind(trimmed, markup) {
                // The nearest fence above opens the block only if an even number of its kind precede it.
                // Counting them reads the page from its start: past a page's usual size, give up (and
                // report, as outside any example).
                if range.start > MAX_PAGE {
                    return None;
                }
                let before = self.fences_before(range.start, markup, kind);
                return before.is_multiple_of(2).then_some(range);
            }
        }
        None
    }
}

/// The fence kind of a whole line, if it is one.
fn fence_of_line(line: &[u8], markup: Markup) -> Option<u8> {
    fence_kind(String::from_utf8_lossy(line).trim(), markup)
}

/// The line kinds that open and close a block: ``` and ~~~ fences (Markdown), ---- and ....
/// delimiters (AsciiDoc listing and literal blocks).
fn fence_kind(line: &str, markup: Markup) -> Option<u8> {
    let b = line.as_bytes();
    match markup {
        Markup::Markdown if b.starts_with(b"```") => Some(b'`'),
        Markup::Markdown if b.starts_with(b"~~~") => Some(b'~'),
        Markup::AsciiDoc if b.len() >= 4 && b.iter().all(|&c| c == b'-') => Some(b'-'),
        Markup::AsciiDoc if b.len() >= 4 && b.iter().all(|&c| c == b'.') => Some(b'.'),
        _ => None,
    }
}

fn indent(line: &[u8]) -> usize {
    line.iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count()
}

/// Phrases by which a comment presents the value below it as an illustration of its shape.
const EXAMPLE_PHRASES: &[&str] = &[
    "like this",
    "for example",
    "e.g.",
    "example value",
    "example key",
    "sample value",
    "sample key",
];

/// True when the comment just above the line holding `pos` (up to three comment lines, in any of the
/// usual comment syntaxes) introduces what follows as an example: `# to get a string like this run:`
/// over a tutorial's `SECRET_KEY = "09d2…"`. The same reasoning as for documentation pages, for the
/// tutorial code that documentation includes; only generic rules ask.
pub fn comment_introduces_example(data: &[u8], pos: usize) -> bool {
    const COMMENT_STARTS: &[&[u8]] = &[b"#", b"//", b"/*", b"*", b"--", b";", b"<!--", b"'"];
    for line in lines_before(data, pos)
        .filter(|l| !l.trim_ascii().is_empty())
        .take(3)
    {
        let text = line.trim_ascii();
        if !COMMENT_STARTS.iter().any(|c| text.starts_with(c)) {
            return false;
        }
        let lower = text.to_ascii_lowercase();
        if EXAMPLE_PHRASES
            .iter()
            .any(|p| memchr::memmem::find(&lower, p.as_bytes()).is_some())
        {
            return true;
        }
    }
    false
}

/// Directories whose code is documentation: what a comment there introduces as an example is one.
const DOCUMENTATION_DIRS: &[&str] = &[
    "doc",
    "docs",
    "docs_src",
    "documentation",
    "example",
    "examples",
    "sample",
    "samples",
    "tutorial",
    "tutorials",
    "demo",
    "demos",
    "guide",
    "guides",
    "cookbook",
];

/// Whether `path` is documentation or the code documentation holds: a page (`Markup::of_path`), a
/// file under a documentation directory (FastAPI's `docs_src/`, `examples/`), or a file named as an
/// example (`settings.example.py`, `sample_config.py`). A commented example counts only there: the
/// same tutorial code copied into an application, comment and all (`# to get a string like this
/// run:` over FastAPI's published `SECRET_KEY`), signs its tokens with a key anyone can read.
pub fn in_documentation(path: &str) -> bool {
    if Markup::of_path(path).is_some() {
        return true;
    }
    let lower = path.to_ascii_lowercase();
    let mut parts = lower.split(['/', '\\']).filter(|p| !p.is_empty());
    let name = parts.next_back().unwrap_or("");
    parts.any(|dir| DOCUMENTATION_DIRS.contains(&dir))
        || ["example", "sample", "tutorial"]
            .iter()
            .any(|w| name.contains(w))
}

fn line_of(data: &[u8], start: usize) -> &[u8] {
    let end = memchr::memchr(b'\n', &data[start..]).map_or(data.len(), |i| start + i);
    &data[start..end]
}

/// The lines that end before `pos` (the line holding `pos` excluded), nearest first.
fn lines_before(data: &[u8], pos: usize) -> impl Iterator<Item = &[u8]> {
    let mut end = memchr::memrchr(b'\n', &data[..pos.min(data.len())]);
    std::iter::from_fn(move || {
        let e = end?;
        let start = memchr::memrchr(b'\n', &data[..e]).map_or(0, |i| i + 1);
        end = if start == 0 { None } else { Some(start - 1) };
        Some(&data[start..e])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(doc: &str, needle: &str) -> bool {
        let markup = if doc.contains("----") {
            Markup::AsciiDoc
        } else if doc.contains(".. ") || doc.contains("::") {
            Markup::ReStructuredText
        } else {
            Markup::Markdown
        };
        Page::new(doc.as_bytes()).in_example_block(doc.find(needle).expect("needle"), markup)
    }

    #[test]
    fn documentation_is_pages_documentation_trees_and_files_named_as_examples() {
        for p in [
            "README.md",
            "docs_src/security/tutorial004.py",
            "docs/en/app.py",
            "examples/auth/main.go",
            "config/settings.example.py",
            "sample_config.py",
            "Guides\\setup.ps1",
        ] {
            assert!(in_documentation(p), "{p}");
        }
        for p in [
            "app/security.py",
            "backend/core/config.py",
            "src/docsify.js",
            "internal/demo_mode/x.go",
        ] {
            assert!(!in_documentation(p), "{p}");
        }
    }

    #[test]
    fn a_comment_can_introduce_an_example() {
        let doc =
            "# to get a string like this run:\n# openssl rand -hex 32\nSECRET_KEY = \"09d2\"\n";
        assert!(comment_introduces_example(
            doc.as_bytes(),
            doc.find("SECRET").unwrap()
        ));
        let doc = "// e.g. the key of the demo tenant\nconst key = \"q8Zt\";\n";
        assert!(comment_introduces_example(
            doc.as_bytes(),
            doc.find("const").unwrap()
        ));
        for doc in [
            "# production credentials\nSECRET_KEY = \"09d2\"\n",
            "# like this one\nx = 1\nSECRET_KEY = \"09d2\"\n",
            "SECRET_KEY = \"09d2\"  # like this\n",
        ] {
            assert!(
                !comment_introduces_example(doc.as_bytes(), doc.find("SECRET").unwrap()),
                "{doc}"
            );
        }
    }

    #[test]
    fn documentation_paths() {
        for (p, m) in [
            ("README.md", Markup::Markdown),
            ("docs/a/reference.MD", Markup::Markdown),
            ("p.mdx", Markup::Markdown),
            ("x.rst", Markup::ReStructuredText),
            ("guide.adoc", Markup::AsciiDoc),
        ] {
            assert_eq!(Markup::of_path(p), Some(m), "{p}");
        }
        for p in ["config.toml", "md", "docs/notes", "a.md.py", "x.txt"] {
            assert_eq!(Markup::of_path(p), None, "{p}");
        }
    }

    #[test]
    fn a_markdown_heading_underline_is_not_an_asciidoc_delimiter_there() {
        let doc = "Setup\n-----\n\nFor example:\n\n```\ntoken = VALUE\n```\n";
        let pos = doc.find("VALUE").unwrap();
        assert_eq!(
            Page::new(doc.as_bytes()).example_markups(pos),
            Markup::Markdown.bit()
        );
    }

    #[test]
    fn a_fenced_block_introduced_as_an_example() {
        let doc = "## Registries\n\nThe token is stored in `credentials.toml`. It has a separate table for\neach registry, for example:\n\n```toml\n[registries.my-registry]\ntoken = \"VALUE\"\n```\n\nMore text.\n";
        assert!(at(doc, "VALUE"));
        assert!(!at(doc, "More text"), "after the block");
    }

    #[test]
    fn a_fenced_block_without_example_wording_is_not_one() {
        let doc = "## Configuration\n\nThe deploy job reads its registry credentials from this file:\n\n```toml\n[registries.internal]\ntoken = \"VALUE\"\n```\n";
        assert!(!at(doc, "VALUE"));
    }

    #[test]
    fn example_wording_outside_the_block_or_far_above_it_does_not_count() {
        let doc = "For example, the config:\n\n```\nx = 1\n```\n\ntoken = \"VALUE\"\n";
        assert!(
            !at(doc, "VALUE"),
            "not in a block: the fence above closes one"
        );
        let doc = "An example follows.\n\nSecond paragraph, about production.\n\n```\ntoken = \"VALUE\"\n```\n";
        assert!(
            !at(doc, "VALUE"),
            "only the paragraph just above the block is its lead-in"
        );
    }

    #[test]
    fn the_second_of_two_blocks_is_found_by_counting_fences() {
        let doc = "Production:\n\n```\na = 1\n```\n\nAn example:\n\n~~~ini\ntoken = VALUE\n~~~\n";
        assert!(at(doc, "VALUE"));
        let doc = "For example:\n\n```\na = 1\n```\n\nProduction:\n\n```\ntoken = VALUE\n```\n";
        assert!(!at(doc, "VALUE"));
    }

    #[test]
    fn every_block_of_a_long_page_is_told_apart() {
        // Hundreds of blocks, fences of both kinds, asked about in one `Page`: the fence index built
        // on the first question must answer each later one as counting from the page's start would.
        let mut doc = String::new();
        for i in 0..400 {
            let lead = if i % 3 == 0 {
                "For example:"
            } else {
                "Production:"
            };
            let fence = if i % 2 == 0 { "```" } else { "~~~" };
            doc.push_str(&format!(
                "{lead}\n\n{fence}ini\ntoken = VALUE{i}\n{fence}\n\ntext VALUE{i}x\n\n"
            ));
        }
        let page = Page::new(doc.as_bytes());
        for i in (0..400).rev() {
            let inside = doc.find(&format!("VALUE{i}\n")).unwrap();
            let after = doc.find(&format!("VALUE{i}x")).unwrap();
            assert_eq!(
                page.in_example_block(inside, Markup::Markdown),
                i % 3 == 0,
                "block {i}"
            );
            assert!(
                !page.in_example_block(after, Markup::Markdown),
                "after block {i}"
            );
        }
    }

    #[test]
    fn rst_and_asciidoc_blocks() {
        let rst = "Configure it like this:\n\n.. code-block:: ini\n\n   token = VALUE\n";
        assert!(at(rst, "VALUE"));
        let rst = "The file, for instance::\n\n    token = VALUE\n";
        assert!(at(rst, "VALUE"));
        let rst = "For example:\n\n.. code-block:: yaml\n\n   auth:\n     token: VALUE\n";
        assert!(at(rst, "VALUE"), "nested content under the directive");
        let rst = "For example:\n\n.. note::\n\nProduction\n  token: VALUE\n";
        assert!(!at(rst, "VALUE"), "unindented text above ends the search");
        let adoc = "An example configuration:\n\n[source,toml]\n----\ntoken = \"VALUE\"\n----\n";
        assert!(at(adoc, "VALUE"));
        let adoc = "Production configuration:\n\n[source,toml]\n----\ntoken = \"VALUE\"\n----\n";
        assert!(!at(adoc, "VALUE"));
    }
}
