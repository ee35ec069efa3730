//! Embeds `config-repo-template/` into the binary: `cfgctl init` writes it out.

use std::fs;
use std::path::Path;

fn main() {
    let root = Path::new("config-repo-template");
    println!("cargo:rerun-if-changed=config-repo-template");
    let mut files = Vec::new();
    collect(root, root, &mut files);
    files.sort();
    let mut code = String::from(
        "/// Every file of the template: (path inside the template, contents).\npub static FILES: &[(&str, &[u8])] = &[\n",
    );
    for rel in &files {
        let abs = fs::canonicalize(root.join(rel)).expect("template file");
        code.push_str(&format!(
            "    ({rel:?}, include_bytes!({:?})),\n",
            abs.display().to_string()
        ));
    }
    code.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("template_files.rs");
    fs::write(out, code).expect("writing template_files.rs");
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(root, &path, out);
        } else {
            let rel = path.strip_prefix(root).expect("inside the template");
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}
