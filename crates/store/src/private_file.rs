//! Files that hold secrets (the database with its password hashes, its WAL,
//! backups, the key file) are created readable and writable by their owner
//! only (0600 on Unix) from the start, not narrowed after being written.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::Path;

fn options() -> OpenOptions {
    let mut o = OpenOptions::new();
    o.write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o
}

/// Creates `path`, failing if it exists.
pub fn create_new(path: &Path) -> io::Result<File> {
    options().create_new(true).open(path)
}

/// Creates or truncates `path`; a file that existed is narrowed to its owner too.
pub fn create(path: &Path) -> io::Result<File> {
    let f = options().create(true).truncate(true).open(path)?;
    narrow(path)?;
    Ok(f)
}

/// Makes an existing file readable by its owner only.
pub fn narrow(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    let _ = path;
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn secrets_are_created_for_their_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("k");
        drop(super::create_new(&p).unwrap());
        assert_eq!(std::fs::metadata(&p).unwrap().permissions().mode() & 0o777, 0o600);
        assert!(super::create_new(&p).is_err(), "never over an existing file");
        let q = dir.path().join("b");
        std::fs::write(&q, "old").unwrap();
        std::fs::set_permissions(&q, std::fs::Permissions::from_mode(0o644)).unwrap();
        drop(super::create(&q).unwrap());
        assert_eq!(std::fs::metadata(&q).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(std::fs::read(&q).unwrap().len(), 0);
    }
}
