//! The rule files in `rules/` are embedded with `include_dir!`, which cargo does not track:
//! without this, adding or editing a rule would not rebuild the binary.

fn main() {
    println!("cargo:rerun-if-changed=rules");
}
