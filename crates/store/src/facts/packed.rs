//! Facts fetched as one text value instead of one row per unit. A national
//! read is some 13,000 rows of a few integers; through the `Any` driver each
//! row costs a message from the database thread, an `AnyRow` and its column
//! values, which made the row transfer cost more than the SQL. Wrapped as
//! `WITH p(c0, …) AS (<query>) SELECT group_concat(c0 || ',' || …, ';') FROM p`
//! (`string_agg` on PostgreSQL), the same rows come back as one value parsed here.

use crate::{Store, StoreError};

impl Store {
    /// `sql` (whose first `n` columns are integers, NULL read as 0) wrapped to give one text value.
    pub(crate) fn packed_sql(&self, sql: &str, n: usize) -> String {
        let cols: Vec<String> = (0..n).map(|i| format!("c{i}")).collect();
        let parts: Vec<String> = cols.iter().map(|c| format!("CAST(COALESCE({c}, 0) AS TEXT)")).collect();
        let agg = self.backend().text_agg();
        format!("WITH p({}) AS ({sql}) SELECT {agg}({}, ';') FROM p", cols.join(", "), parts.join(" || ',' || "))
    }
}

/// The rows of a packed value: `N` integers each.
pub(crate) fn unpack<const N: usize>(text: Option<String>) -> Result<Vec<[i64; N]>, StoreError> {
    let Some(text) = text.filter(|t| !t.is_empty()) else { return Ok(Vec::new()) };
    let bad = || StoreError::corrupt("kết quả gộp không đọc được", "a packed result cannot be read");
    text.split(';')
        .map(|row| {
            let mut out = [0i64; N];
            let mut fields = row.split(',');
            for slot in out.iter_mut() {
                *slot = fields.next().and_then(|f| f.trim().parse().ok()).ok_or_else(bad)?;
            }
            if fields.next().is_some() {
                return Err(bad());
            }
            Ok(out)
        })
        .collect()
}

/// The rows of a packed value: `width` integers each, for a width known only when the query is made.
pub(crate) fn unpack_wide(text: Option<String>, width: usize) -> Result<Vec<Vec<i64>>, StoreError> {
    let Some(text) = text.filter(|t| !t.is_empty()) else { return Ok(Vec::new()) };
    let bad = || StoreError::corrupt("kết quả gộp không đọc được", "a packed result cannot be read");
    text.split(';')
        .map(|row| {
            let out: Vec<i64> = row.split(',').map(|f| f.trim().parse().map_err(|_| bad())).collect::<Result<_, _>>()?;
            if out.len() == width {
                Ok(out)
            } else {
                Err(bad())
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn packed_rows_read_back() {
        assert_eq!(super::unpack::<3>(Some("1,2,3;40,-5,0".into())).unwrap(), vec![[1, 2, 3], [40, -5, 0]]);
        assert_eq!(super::unpack::<2>(None).unwrap(), Vec::<[i64; 2]>::new());
        assert!(super::unpack::<2>(Some("1,2,3".into())).is_err(), "a row of the wrong width");
        assert!(super::unpack::<2>(Some("1,x".into())).is_err());
        assert_eq!(super::unpack_wide(Some("1,2,3;4,5,6".into()), 3).unwrap(), vec![vec![1, 2, 3], vec![4, 5, 6]]);
        assert!(super::unpack_wide(Some("1,2;4,5,6".into()), 3).is_err(), "a row of the wrong width");
    }
}
