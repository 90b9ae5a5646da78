//! Approximate areas for communes known only by their centre: the Voronoi cell
//! of each centre (the points nearer to it than to any other), clipped to the
//! hull of all centres grown by a margin. The code lists hold no boundaries, so
//! the map says that its areas are approximate. Real boundaries were looked for:
//! GADM's may not be redistributed without permission (gadm.org licence, as quoted
//! by JRC Aquaknow: "Redistribution, or commercial use is not allowed without prior
//! permission"), and OpenStreetMap's (ODbL, redistributable with attribution)
//! cannot be fetched by this build and do not yet follow the 2025 communes.

/// A point in map space (x to the right, y downwards).
pub type Pt = (f64, f64);

/// The cell of each site, in the order of `sites`. Sites at the same place share
/// the place: the first keeps the cell, the others get none (an empty polygon).
pub fn cells(sites: &[Pt], margin: f64) -> Vec<Vec<Pt>> {
    let outline = grown_hull(sites, margin);
    sites
        .iter()
        .enumerate()
        .map(|(i, &p)| {
            let mut poly = outline.clone();
            for (j, &q) in sites.iter().enumerate() {
                if i == j || poly.is_empty() {
                    continue;
                }
                if same(p, q) {
                    if j < i {
                        poly.clear();
                    }
                    continue;
                }
                // Keep the half-plane nearer p than q: (x − m)·(q − p) ≤ 0, m the midpoint.
                let (nx, ny) = (q.0 - p.0, q.1 - p.1);
                let (mx, my) = ((p.0 + q.0) / 2.0, (p.1 + q.1) / 2.0);
                poly = clip(&poly, |x: Pt| (x.0 - mx) * nx + (x.1 - my) * ny);
            }
            poly
        })
        .collect()
}

fn same(a: Pt, b: Pt) -> bool {
    (a.0 - b.0).abs() < 1e-9 && (a.1 - b.1).abs() < 1e-9
}

/// Sutherland–Hodgman clipping of a convex polygon to `side(x) ≤ 0`.
fn clip(poly: &[Pt], side: impl Fn(Pt) -> f64) -> Vec<Pt> {
    let mut out = Vec::with_capacity(poly.len() + 1);
    for (&a, &b) in poly.iter().zip(poly.iter().cycle().skip(1)) {
        let (sa, sb) = (side(a), side(b));
        if sa <= 0.0 {
            out.push(a);
        }
        if (sa < 0.0 && sb > 0.0) || (sa > 0.0 && sb < 0.0) {
            let t = sa / (sa - sb);
            out.push((a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1)));
        }
    }
    out
}

/// The convex hull of the sites grown by `margin`: each hull corner becomes a
/// few points on a circle of that radius, then the hull of them all is taken.
fn grown_hull(sites: &[Pt], margin: f64) -> Vec<Pt> {
    const STEPS: usize = 12;
    let hull = convex_hull(sites);
    let grown: Vec<Pt> = hull
        .iter()
        .flat_map(|&(x, y)| {
            (0..STEPS).map(move |k| {
                let a = std::f64::consts::TAU * k as f64 / STEPS as f64;
                (x + margin * a.cos(), y + margin * a.sin())
            })
        })
        .collect();
    convex_hull(&grown)
}

/// Andrew's monotone chain; the hull in clockwise order on screen (y down),
/// without repeated points.
pub fn convex_hull(points: &[Pt]) -> Vec<Pt> {
    let mut p: Vec<Pt> = points.iter().copied().filter(|(x, y)| x.is_finite() && y.is_finite()).collect();
    p.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    p.dedup_by(|a, b| same(*a, *b));
    if p.len() < 3 {
        return p;
    }
    let cross = |o: Pt, a: Pt, b: Pt| (a.0 - o.0) * (b.1 - o.1) - (a.1 - o.1) * (b.0 - o.0);
    let mut lower: Vec<Pt> = Vec::new();
    for &pt in &p {
        while let [.., o, a] = lower.as_slice() {
            if cross(*o, *a, pt) > 0.0 {
                break;
            }
            lower.pop();
        }
        lower.push(pt);
    }
    let mut upper: Vec<Pt> = Vec::new();
    for &pt in p.iter().rev() {
        while let [.., o, a] = upper.as_slice() {
            if cross(*o, *a, pt) > 0.0 {
                break;
            }
            upper.pop();
        }
        upper.push(pt);
    }
    lower.pop();
    upper.pop();
    lower.extend(upper);
    lower
}

/// The area of a simple polygon (absolute).
pub fn area(poly: &[Pt]) -> f64 {
    poly.iter().zip(poly.iter().cycle().skip(1)).map(|(p, q)| p.0 * q.1 - q.0 * p.1).sum::<f64>().abs() / 2.0
}

/// An SVG path for the polygon, one decimal place.
pub fn path(poly: &[Pt]) -> String {
    let mut d = String::with_capacity(poly.len() * 14);
    for (k, (x, y)) in poly.iter().enumerate() {
        d.push_str(&format!("{}{x:.1},{y:.1}", if k == 0 { 'M' } else { 'L' }));
    }
    if !d.is_empty() {
        d.push('Z');
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_sites_split_the_outline_at_their_bisector() {
        // Sites at (0,0) and (10,0), margin 5: the outline is the segment's hull grown by 5,
        // i.e. about x ∈ [−5, 15], y ∈ [−5, 5]. The bisector is x = 5.
        let c = cells(&[(0.0, 0.0), (10.0, 0.0)], 5.0);
        assert_eq!(c.len(), 2);
        assert!(c[0].iter().all(|p| p.0 <= 5.0 + 1e-9), "{:?}", c[0]);
        assert!(c[1].iter().all(|p| p.0 >= 5.0 - 1e-9), "{:?}", c[1]);
        // Each half: a 5×10 rectangle (50) plus half of the 12-gon of radius 5 that stands for
        // the disc at the end (½·12·½·5²·sin 30° = 37.5): 87.5.
        for cell in &c {
            let a = area(cell);
            assert!((a - 87.5).abs() < 1e-9, "area {a}");
        }
    }

    #[test]
    fn cells_tile_the_outline() {
        // A 3×3 grid of sites 10 apart: the cells' areas add up to the outline's, and
        // the middle one is the 10×10 square around (10,10).
        let sites: Vec<Pt> = (0..9).map(|k| ((k % 3) as f64 * 10.0, (k / 3) as f64 * 10.0)).collect();
        let c = cells(&sites, 5.0);
        let total: f64 = c.iter().map(|p| area(p)).sum();
        let outline = area(&grown_hull(&sites, 5.0));
        assert!((total - outline).abs() < 1e-6, "{total} vs {outline}");
        assert!((area(&c[4]) - 100.0).abs() < 1e-9, "{}", area(&c[4]));
    }

    #[test]
    fn a_repeated_site_gets_no_cell_and_a_single_site_the_whole_outline() {
        let c = cells(&[(1.0, 1.0), (1.0, 1.0), (5.0, 1.0)], 2.0);
        assert!(!c[0].is_empty());
        assert!(c[1].is_empty());
        let one = cells(&[(3.0, 3.0)], 2.0);
        // A 12-gon of radius 2: 12·½·2²·sin(30°) = 12.
        assert!((area(&one[0]) - 12.0).abs() < 1e-9, "{}", area(&one[0]));
    }

    #[test]
    fn the_path_closes() {
        assert_eq!(path(&[(0.0, 0.0), (1.0, 0.0), (0.0, 1.0)]), "M0.0,0.0L1.0,0.0L0.0,1.0Z");
        assert_eq!(path(&[]), "");
    }
}
