//! A built-in rule's check NFA (`matcher::widened_dfa`'s forward Thompson NFA of the widened
//! rest) compiled by build.rs and written as its states (`encode`), then put back together at run
//! time with regex-automata's NFA builder (`decode`): the same states, transitions and starts, for
//! a fraction of what reading the rule's tree back and compiling it costs (docs/engine.md,
//! "Stop 44"). regex-automata cannot serialize an NFA; its builder adds states one after another,
//! so states written in their order get their own ids back.
use regex_automata::nfa::thompson::{self, State, Transition};
use regex_automata::util::look::{Look, LookMatcher};
use regex_automata::util::primitives::StateID;

use super::gate::{put, take};

/// `rules::REGEX_SIZE_LIMIT` (build.rs, which compiles the NFAs, does not include rules.rs; the
/// engine asserts that the two agree).
pub(crate) const SIZE_LIMIT: usize = 16 << 20;

/// The compiled NFA's settings the check uses (`matcher::widened_dfa`): no UTF-8 requirement,
/// forwards, the size limit `limit`, no captures.
pub(crate) fn config(limit: usize) -> thompson::Config {
    thompson::Config::new()
        .utf8(false)
        .shrink(false)
        .reverse(false)
        .nfa_size_limit(Some(limit))
        .which_captures(thompson::WhichCaptures::None)
}

const RANGE: u8 = 0;
const SPARSE: u8 = 1;
const LOOK: u8 = 2;
const UNION: u8 = 3;
const BINARY_UNION: u8 = 4;
const FAIL: u8 = 5;
const MATCH: u8 = 6;

/// A state id as its distance from the state `at` that points to it (zig-zag): most point to a
/// neighbour, so most take one byte, and deflate finds the rest alike.
fn put_id(out: &mut Vec<u8>, at: usize, id: StateID) {
    let d = id.as_usize() as i64 - at as i64;
    put(out, ((d << 1) ^ (d >> 63)) as u64);
}

fn take_id(code: &mut &[u8], at: usize) -> Option<StateID> {
    let z = take(code)?;
    let d = (z >> 1) as i64 ^ -((z & 1) as i64);
    StateID::new(usize::try_from(at as i64 + d).ok()?).ok()
}

fn put_trans(out: &mut Vec<u8>, at: usize, t: &Transition) {
    out.push(t.start);
    out.push(t.end);
    put_id(out, at, t.next);
}

fn take_trans(code: &mut &[u8], at: usize) -> Option<Transition> {
    let (&[start, end], rest) = code.split_first_chunk::<2>()?;
    *code = rest;
    Some(Transition {
        start,
        end,
        next: take_id(code, at)?,
    })
}

/// Writes `nfa`'s states; `false` (and nothing written) when it is not one `decode` rebuilds as
/// it is: one pattern, forwards, no UTF-8 requirement, no captures, the default look matcher.
pub(crate) fn encode(nfa: &thompson::NFA, out: &mut Vec<u8>) -> bool {
    if nfa.pattern_len() != 1
        || nfa.is_utf8()
        || nfa.is_reverse()
        || nfa.has_capture()
        || format!("{:?}", nfa.look_matcher()) != format!("{:?}", LookMatcher::new())
    {
        return false;
    }
    let Some(pattern) = nfa.start_pattern(regex_automata::PatternID::ZERO) else {
        return false;
    };
    let mut code = Vec::new();
    put(&mut code, nfa.states().len() as u64);
    for id in [nfa.start_anchored(), nfa.start_unanchored(), pattern] {
        put(&mut code, id.as_usize() as u64);
    }
    for (at, state) in nfa.states().iter().enumerate() {
        match state {
            State::ByteRange { trans } => {
                code.push(RANGE);
                put_trans(&mut code, at, trans);
            }
            State::Sparse(sparse) => {
                code.push(SPARSE);
                put(&mut code, sparse.transitions.len() as u64);
                for t in sparse.transitions.iter() {
                    put_trans(&mut code, at, t);
                }
            }
            State::Look { look, next } => {
                code.push(LOOK);
                put(&mut code, u64::from(look.as_repr()));
                put_id(&mut code, at, *next);
            }
            State::Union { alternates } => {
                code.push(UNION);
                put(&mut code, alternates.len() as u64);
                for &alt in alternates.iter() {
                    put_id(&mut code, at, alt);
                }
            }
            State::BinaryUnion { alt1, alt2 } => {
                code.push(BINARY_UNION);
                put_id(&mut code, at, *alt1);
                put_id(&mut code, at, *alt2);
            }
            State::Fail => code.push(FAIL),
            State::Match { pattern_id } if pattern_id.as_usize() == 0 => code.push(MATCH),
            // Dense states are never built by regex-automata's compiler; captures are ruled out
            // above.
            _ => return false,
        }
    }
    out.extend_from_slice(&code);
    true
}

/// The NFA `encode` wrote, added state by state to regex-automata's builder in the order written
/// (so each gets its own id back; a builder's union of two alternates becomes a binary union, of
/// three or more a union, as the compiler's did), with the compiler's settings (`config`). `None`
/// when the code is not one `encode` wrote.
pub(crate) fn decode(mut code: &[u8], limit: usize) -> Option<thompson::NFA> {
    let code = &mut code;
    let len = usize::try_from(take(code)?).ok()?;
    let mut start = [StateID::ZERO; 3];
    for s in &mut start {
        *s = StateID::new(usize::try_from(take(code)?).ok()?).ok()?;
    }
    let mut b = thompson::Builder::new();
    b.set_utf8(false);
    b.set_reverse(false);
    b.set_size_limit(Some(limit)).ok()?;
    b.start_pattern().ok()?;
    for at in 0..len {
        let (&tag, rest) = code.split_first()?;
        *code = rest;
        let id = match tag {
            RANGE => b.add_range(take_trans(code, at)?),
            SPARSE => {
                let n = usize::try_from(take(code)?).ok()?;
                let mut ts = Vec::with_capacity(n.min(256));
                for _ in 0..n {
                    ts.push(take_trans(code, at)?);
                }
                b.add_sparse(ts)
            }
            LOOK => {
                let look = Look::from_repr(u32::try_from(take(code)?).ok()?)?;
                b.add_look(take_id(code, at)?, look)
            }
            UNION => {
                let n = usize::try_from(take(code)?).ok()?;
                let mut alts = Vec::with_capacity(n.min(code.len()));
                for _ in 0..n {
                    alts.push(take_id(code, at)?);
                }
                b.add_union(alts)
            }
            BINARY_UNION => {
                let alt1 = take_id(code, at)?;
                let alt2 = take_id(code, at)?;
                b.add_union(vec![alt1, alt2])
            }
            FAIL => b.add_fail(),
            MATCH => b.add_match(),
            _ => return None,
        }
        .ok()?;
        if id.as_usize() != at {
            return None;
        }
    }
    if !code.is_empty() {
        return None;
    }
    b.finish_pattern(start[2]).ok()?;
    b.build(start[0], start[1]).ok()
}
