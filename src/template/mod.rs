//! The example configuration repository compiled into the binary (`config-repo-template/`).

include!(concat!(env!("OUT_DIR"), "/template_files.rs"));
