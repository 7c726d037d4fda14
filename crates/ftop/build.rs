//! Rebuild the binary when the bundled playbook changes (it is embedded with include_dir).
fn main() {
    println!("cargo:rerun-if-changed=../../playbook");
}
