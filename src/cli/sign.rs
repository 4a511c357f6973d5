//! `eligo keygen`, `eligo verify` and `eligo bundle --sign`: a publisher's ed25519 key
//! pair, signing a bundle, and checking one against a trusted public key.

use super::{EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE};
use crate::bundle::{self, Bundle};
use crate::signing;
use std::path::{Path, PathBuf};

/// Write `<base>.key` (secret) and `<base>.pub` (public); never overwrites either.
pub fn keygen(base: &Path) -> i32 {
    let secret_path = with_suffix(base, "key");
    let public_path = with_suffix(base, "pub");
    for p in [&secret_path, &public_path] {
        if p.exists() {
            eprintln!("eligo keygen: {} already exists; not overwriting a key", p.display());
            return EXIT_USAGE;
        }
    }
    let mut seed = [0u8; 32];
    if let Err(e) = getrandom::fill(&mut seed) {
        eprintln!("eligo keygen: the operating system gave no random bytes: {e}");
        return EXIT_PROBLEMS;
    }
    let key = signing::signing_key_from_seed(seed);
    if let Err(e) = write_secret(&secret_path, &signing::secret_key_file(&key)) {
        eprintln!("eligo keygen: cannot write {}: {e}", secret_path.display());
        return EXIT_USAGE;
    }
    if let Err(e) = std::fs::write(&public_path, signing::public_key_file(&key.verifying_key())) {
        eprintln!("eligo keygen: cannot write {}: {e}", public_path.display());
        return EXIT_USAGE;
    }
    eprintln!(
        "wrote {} (secret: keep it private) and {} (public)",
        secret_path.display(),
        public_path.display()
    );
    println!("{}", signing::to_hex(key.verifying_key().as_bytes()));
    EXIT_OK
}

fn with_suffix(base: &Path, suffix: &str) -> PathBuf {
    let mut name = base.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

/// The secret key file is created readable by its owner only (on Unix).
fn write_secret(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)?.write_all(text.as_bytes())
}

/// Sign `bundle` with the secret key in `key_file` (for `eligo bundle --sign`).
pub fn sign(bundle: &mut Bundle, key_file: &Path) -> Result<(), i32> {
    let text = std::fs::read_to_string(key_file).map_err(|e| {
        eprintln!("eligo bundle: cannot read secret key {}: {e}", key_file.display());
        EXIT_USAGE
    })?;
    let key = signing::parse_secret_key(&text).map_err(|e| {
        eprintln!("eligo bundle: {}: {}", key_file.display(), e.message);
        EXIT_USAGE
    })?;
    signing::sign_bundle(bundle, &key);
    eprintln!(
        "signed with public key {}",
        signing::to_hex(key.verifying_key().as_bytes())
    );
    Ok(())
}

/// Check a bundle file: signed by the key in `public_key_file`, unchanged since, and every
/// rule set's files matching its hash and loading. Prints what it holds; exit 1 if not.
pub fn verify(bundle_file: &Path, public_key_file: &Path) -> i32 {
    let read = |p: &Path, what: &str| {
        std::fs::read_to_string(p).map_err(|e| {
            eprintln!("eligo verify: cannot read {what} {}: {e}", p.display());
            EXIT_USAGE
        })
    };
    let (json, key) = match (read(bundle_file, "bundle"), read(public_key_file, "public key")) {
        (Ok(j), Ok(k)) => (j, k),
        (Err(code), _) | (_, Err(code)) => return code,
    };
    match bundle::load_signed(&json, &key) {
        Ok(rulesets) => {
            println!("{}: signature good, every hash matches", bundle_file.display());
            for rs in &rulesets {
                println!("  {} {} {}", rs.id(), rs.manifest.version, rs.hash);
            }
            EXIT_OK
        }
        Err(e) => {
            println!("{}", e.to_json());
            eprintln!("eligo verify: {}: {e}", bundle_file.display());
            EXIT_PROBLEMS
        }
    }
}
