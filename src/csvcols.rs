//! Password columns of CSV exports: a password manager's export (Chrome `name,url,username,password`,
//! Firefox `"url","username","password",…`, Bitwarden `…,login_username,login_password,…`, LastPass,
//! KeePass `"Title","Username","Password",…`, 1Password) and any table whose header names a password
//! column. A row's cell holds no name, so no named rule reads it on its own line; this module writes
//! each cell of that column as one line (`password = "…"`, the cell quoted) into a view
//! (keypath::Views) that the engine scans like a key-path view and whose hits it places back on the
//! cell (engine `add_csv_columns`). The named rules then judge the cell as they judge any password's
//! value (their allowlists leave out stand-ins, hashes and references).
//!
//! Only the header decides: the file's first line must be a CSV header (two separators or more, one
//! of `,` `;` tab) with a column named as a password. A cell is read in the RFC 4180 way (quoted with
//! `"`, `""` inside a quoted cell is one quote); a quoted cell that spans lines ends the reading (the
//! row's columns can no longer be counted on the line).

use crate::keypath::Views;
use std::ops::Range;

/// Longest header line judged (a CSV header is a few dozen names).
const MAX_HEADER: usize = 4096;
/// Rows read at most: an export is hundreds of rows; a data dump's millions are not a password
/// manager's, and the view must stay small.
const MAX_ROWS: usize = 100_000;
/// Shortest and longest cell viewed: shorter cells are no password a rule accepts; longer ones are
/// notes or blobs.
const MIN_CELL: usize = 6;
const MAX_CELL: usize = 256;

/// The column names that hold a password (lower case, without quotes or blanks).
const PASSWORD_COLUMNS: [&[u8]; 6] = [
    b"password",
    b"login_password",
    b"passwd",
    b"pwd",
    b"pass",
    b"user_password",
];

/// The view of `data`'s password column, when its first line is a CSV header naming one.
pub fn views(data: &[u8]) -> Option<Views> {
    let header_end = memchr::memchr(b'\n', &data[..data.len().min(MAX_HEADER)])?;
    let header = trim_cr(&data[..header_end]);
    let sep = separator(header)?;
    let column = cells(header, sep)
        .iter()
        .position(|c| is_password_column(&header[c.clone()]))?;
    let mut out = Views::default();
    let mut start = header_end + 1;
    for _ in 0..MAX_ROWS {
        if start >= data.len() {
            break;
        }
        let end = memchr::memchr(b'\n', &data[start..]).map_or(data.len(), |n| start + n);
        let line = trim_cr(&data[start..end]);
        if unbalanced(line) {
            break;
        }
        if let Some(cell) = cells(line, sep).get(column) {
            let value = &line[cell.clone()];
            if (MIN_CELL..=MAX_CELL).contains(&value.len())
                && !value.contains(&b'"')
                && !value.iter().any(|b| b.is_ascii_whitespace())
            {
                out.push_named(b"password", data, start + cell.start..start + cell.end);
            }
        }
        start = end + 1;
    }
    (!out.is_empty()).then_some(out)
}

/// The header's separator: the one of `,` `;` tab it uses twice or more (a column per field).
fn separator(header: &[u8]) -> Option<u8> {
    [b',', b';', b'\t']
        .into_iter()
        .find(|&s| header.iter().filter(|&&b| b == s).count() >= 2)
}

fn is_password_column(name: &[u8]) -> bool {
    let name: Vec<u8> = name
        .iter()
        .filter(|b| !b.is_ascii_whitespace())
        .map(u8::to_ascii_lowercase)
        .collect();
    PASSWORD_COLUMNS.contains(&name.as_slice())
}

/// Each cell's content in `line` (inside its quotes, when quoted).
fn cells(line: &[u8], sep: u8) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut i = 0;
    loop {
        if line.get(i) == Some(&b'"') {
            // A quoted cell runs to the quote not doubled; its content is between the quotes.
            let mut j = i + 1;
            while j < line.len() {
                if line[j] == b'"' {
                    if line.get(j + 1) == Some(&b'"') {
                        j += 2;
                        continue;
                    }
                    break;
                }
                j += 1;
            }
            out.push(i + 1..j.min(line.len()));
            i = memchr::memchr(sep, &line[j.min(line.len())..]).map_or(line.len(), |n| j + n);
        } else {
            let end = memchr::memchr(sep, &line[i..]).map_or(line.len(), |n| i + n);
            out.push(i..end);
            i = end;
        }
        if i >= line.len() {
            return out;
        }
        i += 1; // past the separator
    }
}

/// Whether `line` leaves a quoted cell open (an odd count of quotes): the cell goes on over lines.
fn unbalanced(line: &[u8]) -> bool {
    line.iter().filter(|&&b| b == b'"').count() % 2 == 1
}

fn trim_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn viewed(data: &str) -> Vec<String> {
        views(data.as_bytes()).map_or_else(Vec::new, |v| {
            v.entries()
                .into_iter()
                .map(|(_, span)| data[span].to_string())
                .collect()
        })
    }

    #[test]
    fn reads_the_column_the_header_names() {
        let chrome = "name,url,username,password\nacme,https://acme.io/,ops,Rk7vQ2xN9m\n";
        assert_eq!(viewed(chrome), ["Rk7vQ2xN9m"]);
        let keepass = "\"Title\",\"Username\",\"Password\",\"URL\"\r\n\"Acme\",\"ops\",\"Tz5#wK8vL2\",\"https://acme.io\"\r\n";
        assert_eq!(viewed(keepass), ["Tz5#wK8vL2"]);
        let bitwarden = "folder,favorite,type,name,login_uri,login_username,login_password,login_totp\n,,login,Acme,https://acme.io,ops,Hq3mW9vK6x,\n";
        assert_eq!(viewed(bitwarden), ["Hq3mW9vK6x"]);
        let semicolons = "service;user;pass\nsmtp;alerts;Vn8pL3xQ6m\n";
        assert_eq!(viewed(semicolons), ["Vn8pL3xQ6m"]);
    }

    #[test]
    fn a_header_without_a_password_column_or_a_quoted_cell_over_lines_is_not_read() {
        assert_eq!(
            viewed("name,url,username\nacme,https://acme.io/,Rk7vQ2xN9m\n"),
            [] as [&str; 0]
        );
        assert_eq!(viewed("a password,b\nRk7vQ2xN9m,x\n"), [] as [&str; 0]);
        let open = "name,notes,password\nacme,\"line one\nline two\",Rk7vQ2xN9m\n";
        assert_eq!(viewed(open), [] as [&str; 0]);
        assert_eq!(
            viewed("name,url,username,password\nacme,,ops,short\n"),
            [] as [&str; 0]
        );
    }
}
