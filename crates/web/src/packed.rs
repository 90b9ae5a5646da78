//! Pages sent gzipped from parts compressed once. Most of a dashboard is parts kept
//! between requests (its body below the menu, made of its trend, map, drill-down and
//! unit picker; the stylesheet): each is kept with its deflate form beside its text
//! (`Packed`), and a page that holds it is sent as one gzip stream made of the kept
//! forms and the text between them compressed afresh (`stitch`). Compressing the
//! whole page for every request had been half of the server's work on a dashboard
//! (137 KB of HTML, 17.6 KB gzipped; 21.2 KB sent from parts).
//!
//! A part is compressed alone (none of its back-references reaches before it) and ends
//! on a byte boundary (a sync flush), so parts and fresh pieces follow one another in
//! one deflate stream; a fresh piece may point back into the text before it. The gzip
//! trailer's CRC-32 is combined from the pieces'. What the browser unpacks is byte
//! for byte the page as rendered.

use axum::body::Body;
use axum::body::HttpBody as _;
use axum::extract::Request;
use axum::http::header::{ACCEPT_ENCODING, ACCEPT_RANGES, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, VARY};
use axum::http::{HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;
use flate2::{Compress, Compression, FlushCompress, Status};
use std::fmt;
use std::sync::{Arc, LazyLock};

/// A part of a page with its deflate form, made once.
pub struct Packed {
    text: String,
    /// Raw deflate, alone, ending in a sync flush (not the stream's last block).
    deflate: Vec<u8>,
    crc: crc32fast::Hasher,
    /// Finds the part's first bytes in a page (a searcher for the whole part costs as much as the page's compression).
    head: memchr::memmem::Finder<'static>,
}

/// How far back deflate may point.
const WINDOW: usize = 32 * 1024;

/// How many of a part's first bytes are looked for; the rest is compared where they are found.
const HEAD: usize = 128;

/// Parts shorter than this are left to the page's own compression.
const WORTH_PACKING: usize = 1024;

impl Packed {
    pub fn new(text: String) -> Packed {
        Packed::composed(text, &[])
    }

    /// A part made of text and of other parts (a page's body holding its map): only the
    /// text between them is compressed, the parts are taken in their kept form.
    pub fn composed(text: String, parts: &[Arc<Packed>]) -> Packed {
        let mut deflate = Vec::new();
        let mut crc = crc32fast::Hasher::new();
        // A part that cannot be compressed is kept with no deflate form (the CRC then unused) and sent in the page's fresh pieces.
        if text.len() < WORTH_PACKING || deflate_stitched(text.as_bytes(), parts, &mut deflate, &mut crc).is_err() {
            deflate.clear();
        }
        let head = memchr::memmem::Finder::new(text.as_bytes().get(..HEAD.min(text.len())).unwrap_or_default()).into_owned();
        Packed { text, deflate, crc, head }
    }
}

impl fmt::Display for Packed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// A part of a page rendered from its template and packed.
pub fn render(part: &impl askama::Template) -> Result<Arc<Packed>, pcmd_store::StoreError> {
    render_with(part, &[])
}

/// A part of a page rendered and packed, holding `parts` (kept in their own packed form).
pub fn render_with(part: &impl askama::Template, parts: &[Arc<Packed>]) -> Result<Arc<Packed>, pcmd_store::StoreError> {
    let html = part.render().map_err(|e| {
        pcmd_store::StoreError::corrupt(format!("không dựng được một phần trang: {e}"), format!("a part of a page could not be rendered: {e}"))
    })?;
    Ok(Arc::new(Packed::composed(html, parts)))
}

/// The parts a page holds, put on its response by its handler.
#[derive(Clone, Default)]
pub struct Parts(pub Vec<Arc<Packed>>);

/// The stylesheet every page holds inline.
static STYLE: LazyLock<Arc<Packed>> = LazyLock::new(|| Arc::new(Packed::new(crate::pages::STYLE.to_string())));

/// Compresses all of `input` into `out` with `flush`, growing `out` as needed.
fn deflate_into(c: &mut Compress, input: &[u8], out: &mut Vec<u8>, flush: FlushCompress) -> Result<(), flate2::CompressError> {
    let mut done = 0usize;
    loop {
        out.reserve(input.len().saturating_sub(done) / 2 + 256);
        let (before_in, before_out) = (c.total_in(), c.total_out());
        let status = c.compress_vec(input.get(done..).unwrap_or_default(), out, flush)?;
        done += usize::try_from(c.total_in() - before_in).unwrap_or(0);
        let wrote = c.total_out() - before_out;
        let finished = match flush {
            FlushCompress::Finish => status == Status::StreamEnd,
            // The flush is complete when all input is taken and the output did not fill up.
            _ => done >= input.len() && out.len() < out.capacity(),
        };
        if finished {
            return Ok(());
        }
        if wrote == 0 && done >= input.len() && status == Status::BufError {
            return Ok(());
        }
    }
}

/// Whether the client takes gzip (an `Accept-Encoding` listing gzip with a quality above 0).
fn takes_gzip(headers: &HeaderMap) -> bool {
    headers.get_all(ACCEPT_ENCODING).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).any(|item| {
        let mut fields = item.split(';');
        let name = fields.next().unwrap_or_default().trim();
        let quality = fields
            .find_map(|f| {
                let (name, value) = f.split_once('=')?;
                name.trim().eq_ignore_ascii_case("q").then(|| value.trim().parse::<f32>().unwrap_or(0.0))
            })
            .unwrap_or(1.0);
        (name.eq_ignore_ascii_case("gzip") || name.eq_ignore_ascii_case("x-gzip")) && quality > 0.0
    })
}

/// Pieces shorter than this go as they are, in a stored block (the page's head, its last tags).
const WORTH_COMPRESSING: usize = 256;

/// `piece` as stored deflate blocks (the stream is on a byte boundary before and after them).
fn stored(piece: &[u8], out: &mut Vec<u8>) {
    for chunk in piece.chunks(usize::from(u16::MAX)) {
        let len = u16::try_from(chunk.len()).unwrap_or(u16::MAX);
        // BFINAL 0, BTYPE 00, then LEN and its one's complement.
        out.push(0);
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(chunk);
    }
}

thread_local! {
    /// A compressor per thread, reset for each piece: making one zeroes a quarter of a megabyte.
    static COMPRESSOR: std::cell::RefCell<Option<Compress>> = const { std::cell::RefCell::new(None) };
}

fn with_compressor<T>(f: impl FnOnce(&mut Compress) -> T) -> T {
    COMPRESSOR.with(|cell| match cell.try_borrow_mut() {
        Ok(mut slot) => f(slot.get_or_insert_with(|| Compress::new(Compression::default(), false))),
        Err(_) => f(&mut Compress::new(Compression::default(), false)),
    })
}

/// `html` deflated into `out` and added to `crc`, each of `parts` it holds taken in its
/// kept form and the text around them compressed afresh; it ends on a sync flush, so
/// that more may follow in the same stream.
fn deflate_stitched(html: &[u8], parts: &[Arc<Packed>], out: &mut Vec<u8>, crc: &mut crc32fast::Hasher) -> Result<(), flate2::CompressError> {
    // Where each part lies, in the page's order, none overlapping.
    let mut found: Vec<(usize, &Packed)> = parts
        .iter()
        .filter(|p| !p.deflate.is_empty())
        .filter_map(|p| p.head.find_iter(html).find(|&at| html.get(at..at + p.text.len()) == Some(p.text.as_bytes())).map(|at| (at, p.as_ref())))
        .collect();
    found.sort_by_key(|(at, _)| *at);
    // A fresh piece may point back into what comes before it in `html` (which is in the stream just
    // before it, as text or as a part), never before `html` itself: where it stands in a page differs.
    let fresh = |from: usize, to: usize, out: &mut Vec<u8>, crc: &mut crc32fast::Hasher| {
        let piece = html.get(from..to).unwrap_or_default();
        crc.update(piece);
        if piece.len() < WORTH_COMPRESSING {
            stored(piece, out);
            return Ok(());
        }
        with_compressor(|compress| {
            compress.reset();
            if from > 0 {
                // Reading a window costs about what compressing it does: no more than the piece can gain from.
                let reach = WINDOW.min(2 * piece.len());
                compress.set_dictionary(html.get(from.saturating_sub(reach)..from).unwrap_or_default())?;
            }
            deflate_into(compress, piece, out, FlushCompress::Sync)
        })
    };
    let mut at = 0usize;
    for (start, part) in found {
        if start < at {
            continue;
        }
        fresh(at, start, out, crc)?;
        out.extend_from_slice(&part.deflate);
        crc.combine(&part.crc);
        at = start + part.text.len();
    }
    fresh(at, html.len(), out, crc)
}

/// The gzip stream of `html`, where each of `parts` it holds is taken in its kept deflate form.
pub fn gzip(html: &[u8], parts: &[Arc<Packed>]) -> Result<Vec<u8>, flate2::CompressError> {
    let mut out = Vec::with_capacity(html.len() / 5 + 64);
    out.extend_from_slice(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
    let mut crc = crc32fast::Hasher::new();
    deflate_stitched(html, parts, &mut out, &mut crc)?;
    // The last block: empty, fixed codes, marked final (after a sync flush the stream is on a byte boundary).
    out.extend_from_slice(&[0x03, 0x00]);
    out.extend_from_slice(&crc.finalize().to_le_bytes());
    // ISIZE: the length modulo 2^32, as gzip defines it.
    out.extend_from_slice(&((html.len() as u64 & 0xffff_ffff) as u32).to_le_bytes());
    Ok(out)
}

/// Sends an HTML page (or a JSON answer) gzipped from its parts when the client takes gzip
/// (its own parts and the stylesheet); anything else goes on to the general compression.
pub async fn stitch(req: Request, next: Next) -> Response {
    let gzip_ok = req.method() != Method::HEAD && takes_gzip(req.headers());
    let mut res = next.run(req).await;
    let parts = res.extensions_mut().remove::<Parts>().unwrap_or_default();
    // A page, or the API's figures (kept packed too).
    let html = res.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html") || v == "application/json");
    // Only whole bodies in memory (a rendered page): a stream is left as it is.
    let whole = res.body().size_hint().exact().is_some_and(|n| n >= WORTH_PACKING as u64);
    if !gzip_ok || !html || !whole || res.headers().contains_key(CONTENT_ENCODING) {
        return res;
    }
    let (mut head, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        head.headers.remove(CONTENT_LENGTH);
        return Response::from_parts(head, Body::empty());
    };
    let mut all = parts.0;
    all.push(STYLE.clone());
    match gzip(&bytes, &all) {
        Ok(zipped) => {
            head.headers.remove(ACCEPT_RANGES);
            head.headers.insert(CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            head.headers.insert(CONTENT_LENGTH, HeaderValue::from(zipped.len()));
            head.headers.append(VARY, HeaderValue::from_static("accept-encoding"));
            Response::from_parts(head, Body::from(zipped))
        }
        Err(_) => Response::from_parts(head, Body::from(bytes)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn gunzip(z: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(z).read_to_end(&mut out).unwrap();
        out
    }

    #[test]
    fn a_page_stitched_from_parts_unpacks_to_the_page_byte_for_byte() {
        // Two parts of 2,000+ bytes, one of them twice in the page, one part the page does
        // not hold, and text before, between and after them.
        let a = Arc::new(Packed::new("<svg>".to_string() + &"<rect x=\"1\"/>Phường 2 ".repeat(150) + "</svg>"));
        let b = Arc::new(Packed::new("<table>".to_string() + &"<tr><td>Xã Long Phú</td><td>1.234</td></tr>".repeat(60) + "</table>"));
        let absent = Arc::new(Packed::new("không có trong trang ".repeat(100)));
        let page = format!("<!doctype html><h1>Sóc Trăng</h1>{a}<p>giữa</p>{b}<p>lại</p>{a}<footer>hết</footer>");
        let z = gzip(page.as_bytes(), &[b.clone(), a.clone(), absent]).unwrap();
        assert_eq!(gunzip(&z), page.as_bytes());
        // The kept forms are in the stream as they are: the first copy of `a` and `b`.
        assert!(z.windows(a.deflate.len()).any(|w| w == a.deflate.as_slice()));
        assert!(z.windows(b.deflate.len()).any(|w| w == b.deflate.as_slice()));
        // A page that is only a part, and one with no part.
        let only = a.text.clone();
        assert_eq!(gunzip(&gzip(only.as_bytes(), std::slice::from_ref(&a)).unwrap()), only.as_bytes());
        assert_eq!(gunzip(&gzip(b"", &[]).unwrap()), b"");
        assert_eq!(gunzip(&gzip(page.as_bytes(), &[]).unwrap()), page.as_bytes());
        // A part holding parts (a body holding its map), inside a page: the body's kept form holds `b`'s.
        let body = Arc::new(Packed::composed(format!("<main>{b}<p>rồi</p>{a}</main>"), &[a.clone(), b.clone()]));
        assert!(body.deflate.windows(b.deflate.len()).any(|w| w == b.deflate.as_slice()));
        let page = format!("<head>đầu</head>{body}<p>cuối</p>");
        assert_eq!(gunzip(&gzip(page.as_bytes(), std::slice::from_ref(&body)).unwrap()), page.as_bytes());
    }

    #[test]
    fn gzip_is_taken_only_where_the_client_accepts_it() {
        let with = |v: &'static str| {
            let mut h = HeaderMap::new();
            h.insert(ACCEPT_ENCODING, HeaderValue::from_static(v));
            takes_gzip(&h)
        };
        assert!(with("gzip, deflate, br"));
        assert!(with("br;q=1.0, GZIP;q=0.5"));
        assert!(!with("gzip;q=0"));
        assert!(!with("gzip; Q=0"));
        assert!(!with("br, identity"));
        assert!(!takes_gzip(&HeaderMap::new()));
    }
}
